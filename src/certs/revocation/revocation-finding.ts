// What a revocation check found for one certificate by one method. Cached with the probe result
// and published per certificate (tls_cert_revocation_*).
import type {
  RevocationFailure,
  RevocationMethod,
  RevocationStatus,
} from '../../domain/tls-words.js';

export interface RevocationFinding {
  readonly method: RevocationMethod;
  readonly status: RevocationStatus;
  /** where the answer came from: the server's staple, a responder, a CRL; the URL when fetched */
  readonly source?: 'staple' | 'responder' | 'crl';
  readonly url?: string;
  /** nextUpdate of the OCSP response or CRL the answer came from, Unix seconds */
  readonly nextUpdate?: number;
  /** when revoked: the time and the RFC 5280 reason */
  readonly revokedAt?: number;
  readonly reason?: string;
  /** when unavailable: why */
  readonly failure?: RevocationFailure;
  readonly detail: string;
}
