// The password-based encryptions a PKCS#12 file's certificates may be under: PBES2 (PBKDF2 with
// AES-CBC or 3DES, what OpenSSL 3 and Java 17 write) and RFC 7292's pbeWithSHAAnd... ciphers (what
// OpenSSL's -legacy and Java 8 write; RC2 from node-forge, as OpenSSL 3 leaves it to its legacy
// provider). Reading an AlgorithmIdentifier gives its iteration count before any work is done, so
// a cost cap can refuse a file unread. Pure.
import { createDecipheriv } from 'node:crypto';
import forge from 'node-forge';
import { DerError, TAG, bytes, children, expect, oid, smallInteger, type Tlv } from '../der.js';
import { bmpPassword, digestOf, pbkdf2, pkcs12Kdf, type Digest } from './kdf.js';

/** A file this reader cannot open: an algorithm it does not implement. */
export class Pkcs12Unsupported extends Error {
  override readonly name = 'Pkcs12Unsupported';
}

/** A decryption whose padding is wrong: the password, when nothing else said so. */
export class Pkcs12BadDecrypt extends Error {
  override readonly name = 'Pkcs12BadDecrypt';
}

export interface PasswordScheme {
  readonly iterations: number;
  /** `null`: no password at all (OpenSSL tries it after the empty one) */
  decrypt(password: string | null, data: Buffer): Buffer;
}

const PBES2 = '1.2.840.113549.1.5.13';
const PBKDF2 = '1.2.840.113549.1.5.12';
const HMAC_SHA1 = '1.2.840.113549.2.7';

/** PBES2 ciphers: OID -> [node cipher, key bytes] */
const PBES2_CIPHERS: Readonly<Record<string, readonly [string, number]>> = {
  '2.16.840.1.101.3.4.1.2': ['aes-128-cbc', 16],
  '2.16.840.1.101.3.4.1.22': ['aes-192-cbc', 24],
  '2.16.840.1.101.3.4.1.42': ['aes-256-cbc', 32],
  '1.2.840.113549.3.7': ['des-ede3-cbc', 24],
};

/** RFC 7292 appendix C, with SHA-1: OID -> [cipher, key bytes] ('rc2-N': node-forge's RC2) */
const PKCS12_CIPHERS: Readonly<Record<string, readonly [string, number]>> = {
  '1.2.840.113549.1.12.1.3': ['des-ede3-cbc', 24],
  '1.2.840.113549.1.12.1.4': ['des-ede-cbc', 16],
  '1.2.840.113549.1.12.1.5': ['rc2-128', 16],
  '1.2.840.113549.1.12.1.6': ['rc2-40', 5],
};

const SHA1 = digestOf('1.3.14.3.2.26') as Digest;

function decipher(cipher: string, key: Buffer, iv: Buffer, data: Buffer): Buffer {
  if (cipher.startsWith('rc2-')) {
    const rc2 = forge.rc2.createDecryptionCipher(key.toString('binary'), Number(cipher.slice(4)));
    rc2.start(iv.toString('binary'));
    rc2.update(forge.util.createBuffer(data.toString('binary')));
    if (!rc2.finish()) throw new Pkcs12BadDecrypt('bad padding');
    return Buffer.from(rc2.output.getBytes(), 'binary');
  }
  try {
    const d = createDecipheriv(cipher, key, iv);
    return Buffer.concat([d.update(data), d.final()]);
  } catch (err) {
    if (/bad decrypt|wrong final block/i.test((err as Error).message))
      throw new Pkcs12BadDecrypt('bad padding');
    throw err;
  }
}

/** PBKDF2-params: salt, iterations, key length and prf. */
export function readPbkdf2(
  buf: Buffer,
  params: Tlv,
): { salt: Buffer; iterations: number; keyLength: number | undefined; prf: Digest } {
  const [salt, count, ...rest] = children(buf, expect(params, TAG.sequence, 'PBKDF2-params'));
  const keyLength = rest[0]?.tag === TAG.integer ? smallInteger(buf, rest[0]) : undefined;
  const prfTlv = rest.find((t) => t.tag === TAG.sequence);
  const prfOid = prfTlv ? oid(buf, expect(children(buf, prfTlv)[0], TAG.oid, 'prf')) : HMAC_SHA1;
  const prf = digestOf(prfOid);
  if (!prf) throw new Pkcs12Unsupported(`PBKDF2 with the prf ${prfOid}`);
  return {
    salt: bytes(buf, expect(salt, TAG.octetString, 'PBKDF2 salt')),
    iterations: smallInteger(buf, expect(count, TAG.integer, 'PBKDF2 iterationCount')),
    keyLength,
    prf,
  };
}

function pbes2(buf: Buffer, params: Tlv): PasswordScheme {
  const [kdf, enc] = children(buf, expect(params, TAG.sequence, 'PBES2-params'));
  const [kdfOid, kdfParams] = children(buf, expect(kdf, TAG.sequence, 'keyDerivationFunc'));
  const kdfName = oid(buf, expect(kdfOid, TAG.oid, 'keyDerivationFunc'));
  if (kdfName !== PBKDF2) throw new Pkcs12Unsupported(`PBES2 with the key derivation ${kdfName}`);
  const p = readPbkdf2(buf, expect(kdfParams, TAG.sequence, 'PBKDF2-params'));
  const [encOid, ivTlv] = children(buf, expect(enc, TAG.sequence, 'encryptionScheme'));
  const encName = oid(buf, expect(encOid, TAG.oid, 'encryptionScheme'));
  const cipher = PBES2_CIPHERS[encName];
  if (!cipher) throw new Pkcs12Unsupported(`PBES2 with the cipher ${encName}`);
  const iv = bytes(buf, expect(ivTlv, TAG.octetString, 'encryptionScheme IV'));
  return {
    iterations: p.iterations,
    decrypt: (password, data) =>
      decipher(
        cipher[0],
        pbkdf2(p.prf, password ?? '', p.salt, p.iterations, p.keyLength ?? cipher[1]),
        iv,
        data,
      ),
  };
}

function pkcs12Pbe(buf: Buffer, cipher: readonly [string, number], params: Tlv): PasswordScheme {
  const [salt, count] = children(buf, expect(params, TAG.sequence, 'pkcs-12PbeParams'));
  const saltBytes = bytes(buf, expect(salt, TAG.octetString, 'pkcs-12PbeParams salt'));
  const iterations = smallInteger(buf, expect(count, TAG.integer, 'pkcs-12PbeParams iterations'));
  return {
    iterations,
    decrypt: (password, data) => {
      const pw = bmpPassword(password);
      const key = pkcs12Kdf(SHA1, pw, saltBytes, 1, iterations, cipher[1]);
      const iv = pkcs12Kdf(SHA1, pw, saltBytes, 2, iterations, 8);
      return decipher(cipher[0], key, iv, data);
    },
  };
}

/** The scheme of a contentEncryptionAlgorithm; throws Pkcs12Unsupported for one not read. */
export function passwordScheme(buf: Buffer, algorithm: Tlv): PasswordScheme {
  const [id, params] = children(buf, expect(algorithm, TAG.sequence, 'encryption algorithm'));
  const name = oid(buf, expect(id, TAG.oid, 'encryption algorithm'));
  if (params === undefined) throw new DerError(`encryption algorithm ${name} without parameters`);
  if (name === PBES2) return pbes2(buf, params);
  const legacy = PKCS12_CIPHERS[name];
  if (legacy) return pkcs12Pbe(buf, legacy, params);
  throw new Pkcs12Unsupported(`the encryption ${name}`);
}
