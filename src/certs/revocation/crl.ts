// Reads a certificate revocation list (RFC 5280 §5), DER or PEM, of any size: the entries become
// a Map from serial to revocation time and reason, so a lookup stays O(1) for 100 k entries.
// Verifies the issuer's name and signature. Pure: no clock, no I/O.
// Not read: delta CRLs, indirect CRLs (entries naming another certificateIssuer) and the
// issuingDistributionPoint scope; a CRL using them is still read as a full CRL of its issuer.
import type { X509Certificate } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { REVOCATION_REASONS } from '../../domain/tls-words.js';
import {
  DerError,
  TAG,
  bytes,
  children,
  derFromPem,
  expect,
  integerHex,
  isTime,
  oid,
  readTlv,
  smallInteger,
  time,
  whole,
} from '../der.js';
import { signatureVerifiesInPool } from './signature.js';

/** RFC 5280 CRLReason code -> its label value: the list's order, code 7 unassigned. */
export const REVOCATION_REASON_CODES: Readonly<Record<number, string>> = Object.fromEntries(
  REVOCATION_REASONS.map((reason, i) => [i < 7 ? i : i + 1, reason]),
);

const REASON_CODE_OID = '2.5.29.21';
/** no reasonCode extension on the entry */
const NO_REASON = 15;

export interface Revocation {
  /** Unix seconds */
  readonly at: number;
  readonly reason: string;
}

export interface Crl {
  /** DER of the issuer Name, compared byte for byte with the certificate's issuer */
  readonly issuerName: Buffer;
  readonly thisUpdate: number;
  readonly nextUpdate: number | undefined;
  readonly entries: number;
  readonly signed: Buffer;
  readonly signatureOid: string;
  readonly signature: Buffer;
  /** serial (lowercase hex, no leading zeros) -> revocation time × 16 + reason code */
  readonly revoked: ReadonlyMap<string, number>;
}

export class CrlError extends Error {
  override readonly name = 'CrlError';
}

function revokedEntry(buf: Buffer, entry: ReturnType<typeof readTlv>): [string, number] {
  const [serial, date, extensions] = children(buf, expect(entry, TAG.sequence, 'CRL entry'));
  const at = time(buf, expect(isTime(date) ? date : undefined, date?.tag ?? 0, 'revocationDate'));
  let reason = NO_REASON;
  if (extensions?.tag === TAG.sequence) {
    for (const ext of children(buf, extensions)) {
      const [id, ...rest] = children(buf, ext);
      if (id === undefined || oid(buf, id) !== REASON_CODE_OID) continue;
      const value = rest.at(-1);
      if (value?.tag !== TAG.octetString) continue;
      const enumerated = readTlv(buf, value.valueStart, value.end);
      if (enumerated.tag === TAG.enumerated) reason = smallInteger(buf, enumerated);
    }
  }
  return [integerHex(buf, expect(serial, TAG.integer, 'CRL entry serial')), at * 16 + reason];
}

/** entries read in one turn of the event loop: about 10 ms of work on the bench machine */
export const CRL_ENTRIES_PER_TURN = 4_096;

/**
 * Parses a CRL; rejects with CrlError naming what is malformed. A CRL of a million entries is
 * seconds of work: it is read CRL_ENTRIES_PER_TURN entries at a time, `pause` between them.
 */
export async function parseCrl(input: Buffer, pause: () => Promise<void> = nextTurn): Promise<Crl> {
  try {
    const buf = derFromPem(input, 'X509 CRL');
    const outer = expect(readTlv(buf, 0), TAG.sequence, 'CertificateList');
    const [tbs, algorithm, signature] = children(buf, outer);
    const tbsTlv = expect(tbs, TAG.sequence, 'tbsCertList');
    const fields = children(buf, tbsTlv);
    let i = fields[0]?.tag === TAG.integer ? 1 : 0; // version v2
    i += 1; // signature AlgorithmIdentifier (the outer one is what is checked)
    const issuer = expect(fields[i++], TAG.sequence, 'issuer');
    const thisUpdateTlv = fields[i++];
    if (!isTime(thisUpdateTlv)) throw new DerError('thisUpdate is missing');
    const thisUpdate = time(buf, thisUpdateTlv as ReturnType<typeof readTlv>);
    let nextUpdate: number | undefined;
    if (isTime(fields[i])) nextUpdate = time(buf, fields[i++] as ReturnType<typeof readTlv>);
    const revoked = new Map<string, number>();
    const list = fields[i];
    if (list?.tag === TAG.sequence) {
      for (let at = list.valueStart, n = 1; at < list.end; n++) {
        const entry = readTlv(buf, at, list.end);
        const [serial, value] = revokedEntry(buf, entry);
        revoked.set(serial, value);
        at = entry.end;
        if (n % CRL_ENTRIES_PER_TURN === 0) await pause();
      }
    }
    const algorithmTlv = expect(algorithm, TAG.sequence, 'signatureAlgorithm');
    const sig = bytes(buf, expect(signature, TAG.bitString, 'signatureValue'));
    return {
      issuerName: Buffer.from(whole(buf, issuer)),
      thisUpdate,
      nextUpdate,
      entries: revoked.size,
      signed: whole(buf, tbsTlv),
      signatureOid: oid(buf, expect(children(buf, algorithmTlv)[0], TAG.oid, 'algorithm')),
      signature: sig.subarray(1), // the unused-bits byte
      revoked,
    };
  } catch (err) {
    if (err instanceof DerError) throw new CrlError(`malformed CRL: ${err.message}`);
    throw err;
  }
}

/** Whether the CRL is the issuer's: same name, and its signature verifies with the issuer's key. */
export async function crlSignedBy(
  crl: Crl,
  issuer: X509Certificate,
  issuerSubject: Buffer,
): Promise<boolean> {
  return (
    crl.issuerName.equals(issuerSubject) &&
    (await signatureVerifiesInPool(crl.signatureOid, crl.signed, issuer.publicKey, crl.signature))
  );
}

/** The entry for a serial (lowercase hex, no leading zeros), if revoked. */
export function lookupSerial(crl: Crl, serial: string): Revocation | undefined {
  const value = crl.revoked.get(serial);
  if (value === undefined) return undefined;
  const code = value % 16;
  return {
    at: (value - code) / 16,
    reason: REVOCATION_REASON_CODES[code] ?? 'unspecified',
  };
}
