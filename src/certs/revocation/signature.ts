// Checks a signature made by a CA over DER bytes (a CRL's tbsCertList, an OCSP response's
// tbsResponseData) with node:crypto: at once for an OCSP response's kilobytes, in libuv's thread
// pool for a CRL's megabytes (hashing 40 MB is a tenth of a second). Pure.
import { verify, type KeyObject } from 'node:crypto';

/** The digest of each signature algorithm OID (null: the key's own, as for Ed25519). */
const DIGESTS: Readonly<Record<string, string | null>> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '1.3.101.112': null,
  '1.3.101.113': null,
};

/** Whether `signature` over `signed` verifies with `key` under the algorithm `oid`. */
export function signatureVerifies(
  oid: string,
  signed: Buffer,
  key: KeyObject,
  signature: Buffer,
): boolean {
  const digest = DIGESTS[oid];
  if (digest === undefined) return false;
  try {
    return verify(digest, signed, key, signature);
  } catch {
    return false; // a key of another type than the algorithm's
  }
}

/** The same check off the event loop; never rejects. */
export function signatureVerifiesInPool(
  oid: string,
  signed: Buffer,
  key: KeyObject,
  signature: Buffer,
): Promise<boolean> {
  const digest = DIGESTS[oid];
  if (digest === undefined) return Promise.resolve(false);
  return new Promise((resolve) => {
    try {
      verify(digest, signed, key, signature, (err, ok) => resolve(err === null && ok));
    } catch {
      resolve(false); // a key of another type than the algorithm's
    }
  });
}
