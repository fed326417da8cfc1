// The key derivations a PKCS#12 file asks for: RFC 7292 appendix B's iterated hash (the MAC key
// and the legacy pbeWithSHAAnd... ciphers) and PBKDF2 (PBES2, PBMAC1), both with node:crypto's
// digests. The iterated hash has no native form in Node: a million iterations take about 0.7 s
// of JavaScript, which is why keystores are read off the main thread (keystore-reader.ts). Pure.
import { hash, pbkdf2Sync } from 'node:crypto';

/** Digest OIDs (AlgorithmIdentifier of a MAC or a PBKDF2 prf) -> [node name, output, block]. */
const DIGESTS: Readonly<Record<string, readonly [string, number, number]>> = {
  '1.3.14.3.2.26': ['sha1', 20, 64],
  '2.16.840.1.101.3.4.2.4': ['sha224', 28, 64],
  '2.16.840.1.101.3.4.2.1': ['sha256', 32, 64],
  '2.16.840.1.101.3.4.2.2': ['sha384', 48, 128],
  '2.16.840.1.101.3.4.2.3': ['sha512', 64, 128],
  // the HMAC OIDs PBKDF2 and PBMAC1 name their prf by
  '1.2.840.113549.2.7': ['sha1', 20, 64],
  '1.2.840.113549.2.8': ['sha224', 28, 64],
  '1.2.840.113549.2.9': ['sha256', 32, 64],
  '1.2.840.113549.2.10': ['sha384', 48, 128],
  '1.2.840.113549.2.11': ['sha512', 64, 128],
};

export interface Digest {
  readonly name: string;
  readonly size: number;
  readonly block: number;
}

export function digestOf(oid: string): Digest | undefined {
  const d = DIGESTS[oid];
  return d && { name: d[0], size: d[1], block: d[2] };
}

/** RFC 7292 B.1: the password as a BMPString with its two-byte terminator; none: no bytes. */
export function bmpPassword(password: string | null): Buffer {
  if (password === null) return Buffer.alloc(0);
  return Buffer.concat([Buffer.from(password, 'utf16le').swap16(), Buffer.alloc(2)]);
}

/** Which key RFC 7292 B.3 derives: 1 a cipher key, 2 its IV, 3 a MAC key. */
export type KdfPurpose = 1 | 2 | 3;

function repeatTo(block: number, source: Buffer): Buffer {
  if (source.length === 0) return source;
  const out = Buffer.alloc(block * Math.ceil(source.length / block));
  for (let i = 0; i < out.length; i++) out[i] = source[i % source.length] as number;
  return out;
}

/** RFC 7292 B.2: `size` bytes of key from the BMP password and salt. */
export function pkcs12Kdf(
  digest: Digest,
  password: Buffer,
  salt: Buffer,
  purpose: KdfPurpose,
  iterations: number,
  size: number,
): Buffer {
  const v = digest.block;
  const d = Buffer.alloc(v, purpose);
  const input = Buffer.concat([repeatTo(v, salt), repeatTo(v, password)]);
  const out: Buffer[] = [];
  for (let produced = 0; produced < size; produced += digest.size) {
    let a = hash(digest.name, Buffer.concat([d, input]), 'buffer');
    for (let i = 1; i < iterations; i++) a = hash(digest.name, a, 'buffer');
    out.push(a);
    if (produced + digest.size >= size) break;
    // I_j = (I_j + B + 1) mod 2^(8v), B being A repeated to v bytes
    const b = repeatTo(v, a).subarray(0, v);
    for (let j = 0; j < input.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = (input[j + k] as number) + (b[k] as number) + carry;
        input[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(out).subarray(0, size);
}

/** PBKDF2 with the password's UTF-8 bytes, as OpenSSL and Java give them for PBES2. */
export function pbkdf2(
  digest: Digest,
  password: string,
  salt: Buffer,
  iterations: number,
  size: number,
): Buffer {
  return pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, size, digest.name);
}
