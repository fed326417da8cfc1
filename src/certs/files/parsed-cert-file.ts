// What reading a certificate file gives: its certificates (DER), a reason it could not be read,
// or nothing to read (a key on its own). Shared by the PEM/DER reader and the PKCS#12 one.
import type { CertFileErrorReason } from '../../domain/exporter-words.js';
import { certFacts } from '../inspect/cert-facts.js';

export type ParsedCertFile =
  | { readonly ok: true; readonly certs: readonly Buffer[] }
  | { readonly ok: false; readonly reason: CertFileErrorReason; readonly detail: string }
  /** a file with no certificate that is not an error (a private key on its own) */
  | { readonly ok: 'skip'; readonly detail: string };

/** The first certificate that does not parse, as the file's `corrupt` result; else undefined. */
export function unparsable(certs: readonly Buffer[], what: string): ParsedCertFile | undefined {
  for (const [i, der] of certs.entries()) {
    try {
      certFacts(der);
    } catch (err) {
      return {
        ok: false,
        reason: 'corrupt',
        detail: `${what} ${i + 1} does not parse: ${(err as Error).message}`,
      };
    }
  }
  return undefined;
}
