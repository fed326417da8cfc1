// The server's certificate inside an OpenSSL session as Node serialises it (`getSession()`:
// i2d_SSL_SESSION). The session holds the leaf only (`peer`, [3] EXPLICIT), never the
// intermediates; copying it out costs ~9 µs where reading the presented chain through Node costs
// ~140 µs per intermediate (each is re-decoded by X509_dup). Pure.
import { children, readTlv, TAG, whole } from '../certs/der.js';

/** Context tag [3], constructed: `peer` in OpenSSL's SSL_SESSION_ASN1. */
const PEER = 0xa3;

/** The leaf's DER, or undefined when the session carries none or is not what OpenSSL writes. */
export function leafOfSession(session: Buffer | undefined): Buffer | undefined {
  if (session === undefined) return undefined;
  try {
    const top = readTlv(session, 0);
    if (top.tag !== TAG.sequence) return undefined;
    const peer = children(session, top).find((field) => field.tag === PEER);
    if (peer === undefined) return undefined;
    const cert = readTlv(session, peer.valueStart, peer.end);
    return cert.tag === TAG.sequence ? whole(session, cert) : undefined;
  } catch {
    return undefined;
  }
}
