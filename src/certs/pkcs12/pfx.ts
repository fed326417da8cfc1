// Reads the certificates out of a PKCS#12 keystore (RFC 7292) as OpenSSL does: the MAC tells
// whether the password is right (no password tries the empty one, then none at all), then the
// encrypted safes are opened and their certificate bags read. Private keys are never decrypted.
// Every iteration count is read before any key is derived, and a file asking for more than the
// cap is refused unread. Costly by design of the format (see kdf.ts): the exporter runs this in
// a worker thread. Pure: bytes in, certificates or a reason out; never throws.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { unparsable, type ParsedCertFile } from '../files/parsed-cert-file.js';
import {
  DerError,
  TAG,
  bytes,
  children,
  expect,
  octets,
  oid,
  readTlv,
  smallInteger,
  type Tlv,
} from '../der.js';
import { bmpPassword, digestOf, pbkdf2, pkcs12Kdf, type Digest } from './kdf.js';
import {
  Pkcs12BadDecrypt,
  Pkcs12Unsupported,
  passwordScheme,
  readPbkdf2,
  type PasswordScheme,
} from './pbe.js';

/**
 * The most iterations one derivation may ask for: ten times what OWASP recommends for
 * PBKDF2-SHA256 (600,000) and fifty times Java's default, a few seconds of a worker's time.
 */
export const MAX_PKCS12_ITERATIONS = 10_000_000;

const DATA = '1.2.840.113549.1.7.1';
const ENCRYPTED_DATA = '1.2.840.113549.1.7.6';
const PBMAC1 = '1.2.840.113549.1.5.14';
const CERT_BAG = '1.2.840.113549.1.12.10.1.3';
const SAFE_CONTENTS_BAG = '1.2.840.113549.1.12.10.1.6';
const X509_CERTIFICATE = '1.2.840.113549.1.9.22.1';

interface Mac {
  readonly iterations: number;
  /** the MAC over the AuthenticatedSafe with this password, compared with the stored one */
  verifies(password: string | null): boolean;
}

type Safe = { readonly plain: Buffer } | { readonly scheme: PasswordScheme; readonly data: Buffer };

/** A ContentInfo's type and its [0] EXPLICIT content. */
function contentInfo(buf: Buffer, tlv: Tlv | undefined, what: string): [string, Tlv | undefined] {
  const [type, content] = children(buf, expect(tlv, TAG.sequence, what));
  const name = oid(buf, expect(type, TAG.oid, `${what} contentType`));
  return [name, content && children(buf, content)[0]];
}

function readMac(buf: Buffer, macData: Tlv, signed: Buffer): Mac {
  const [digestInfo, saltTlv, countTlv] = children(buf, expect(macData, TAG.sequence, 'MacData'));
  const [algorithm, digestTlv] = children(buf, expect(digestInfo, TAG.sequence, 'MacData mac'));
  const [algOid, params] = children(buf, expect(algorithm, TAG.sequence, 'MAC algorithm'));
  const name = oid(buf, expect(algOid, TAG.oid, 'MAC algorithm'));
  const stored = bytes(buf, expect(digestTlv, TAG.octetString, 'MAC digest'));
  const hmac = (digest: Digest, key: Buffer): boolean => {
    const mac = createHmac(digest.name, key).update(signed).digest();
    return mac.length === stored.length && timingSafeEqual(mac, stored);
  };
  if (name === PBMAC1) {
    // RFC 9579: PBKDF2 gives the key, the salt and count in MacData are not used
    const [kdf, scheme] = children(buf, expect(params, TAG.sequence, 'PBMAC1-params'));
    const p = readPbkdf2(buf, children(buf, expect(kdf, TAG.sequence, 'PBMAC1 kdf'))[1] as Tlv);
    const schemeOid = oid(
      buf,
      expect(
        children(buf, expect(scheme, TAG.sequence, 'PBMAC1 scheme'))[0],
        TAG.oid,
        'PBMAC1 scheme',
      ),
    );
    const digest = digestOf(schemeOid);
    if (!digest) throw new Pkcs12Unsupported(`PBMAC1 with the MAC ${schemeOid}`);
    return {
      iterations: p.iterations,
      verifies: (password) =>
        hmac(
          digest,
          pbkdf2(p.prf, password ?? '', p.salt, p.iterations, p.keyLength ?? digest.size),
        ),
    };
  }
  const digest = digestOf(name);
  if (!digest) throw new Pkcs12Unsupported(`the MAC digest ${name}`);
  const salt = bytes(buf, expect(saltTlv, TAG.octetString, 'MacData macSalt'));
  const iterations = countTlv
    ? smallInteger(buf, expect(countTlv, TAG.integer, 'MacData iterations'))
    : 1;
  return {
    iterations,
    verifies: (password) =>
      hmac(digest, pkcs12Kdf(digest, bmpPassword(password), salt, 3, iterations, digest.size)),
  };
}

function readSafes(authSafe: Buffer): Safe[] {
  const outer = expect(readTlv(authSafe, 0), TAG.sequence, 'AuthenticatedSafe');
  return children(authSafe, outer).map((info) => {
    const [type, content] = contentInfo(authSafe, info, 'AuthenticatedSafe ContentInfo');
    if (content === undefined) throw new DerError('a ContentInfo without content');
    if (type === DATA) return { plain: octets(authSafe, content) };
    if (type !== ENCRYPTED_DATA) throw new Pkcs12Unsupported(`a safe of type ${type}`);
    const [, eci] = children(authSafe, expect(content, TAG.sequence, 'EncryptedData'));
    const [, algorithm, data] = children(
      authSafe,
      expect(eci, TAG.sequence, 'EncryptedContentInfo'),
    );
    if (data === undefined) throw new DerError('EncryptedContentInfo without encryptedContent');
    return { scheme: passwordScheme(authSafe, algorithm as Tlv), data: octets(authSafe, data) };
  });
}

/** The x509 certificates of a SafeContents, nested safeContentsBags included. */
function certBags(buf: Buffer, safeContents: Tlv, depth = 0): Buffer[] {
  if (depth > 4) throw new DerError('safeContentsBags nested too deep');
  return children(buf, expect(safeContents, TAG.sequence, 'SafeContents')).flatMap((bag) => {
    const [id, value] = children(buf, expect(bag, TAG.sequence, 'SafeBag'));
    const bagId = oid(buf, expect(id, TAG.oid, 'SafeBag bagId'));
    const inner = value && children(buf, value)[0];
    if (bagId === SAFE_CONTENTS_BAG && inner) return certBags(buf, inner, depth + 1);
    if (bagId !== CERT_BAG || !inner) return [];
    const [certId, certValue] = children(buf, expect(inner, TAG.sequence, 'CertBag'));
    if (oid(buf, expect(certId, TAG.oid, 'CertBag certId')) !== X509_CERTIFICATE) return [];
    const octetString = certValue && children(buf, certValue)[0];
    if (!octetString) throw new DerError('CertBag without certValue');
    return [Buffer.from(octets(buf, octetString))];
  });
}

function open(bytes: Buffer, password: string | undefined, maxIterations: number): ParsedCertFile {
  const outer = expect(readTlv(bytes, 0), TAG.sequence, 'PFX');
  const [version, authSafeInfo, macData] = children(bytes, outer);
  expect(version, TAG.integer, 'PFX version');
  const [type, content] = contentInfo(bytes, authSafeInfo, 'PFX authSafe');
  if (type !== DATA || content === undefined)
    throw new Pkcs12Unsupported(`an authSafe of type ${type} (public-key integrity)`);
  const authSafe = octets(bytes, content);
  const mac = macData && readMac(bytes, macData, authSafe);
  const safes = readSafes(authSafe);
  const counts = [
    mac?.iterations ?? 1,
    ...safes.map((s) => ('scheme' in s ? s.scheme.iterations : 1)),
  ];
  const most = Math.max(...counts);
  if (most > maxIterations)
    return {
      ok: false,
      reason: 'pkcs12_iterations',
      detail: `PKCS#12 asks for ${most} key-derivation iterations, over the limit of ${maxIterations}`,
    };
  if (Math.min(...counts) < 1) throw new DerError('an iteration count below 1');
  const wrong: ParsedCertFile = {
    ok: false,
    reason: 'pkcs12_password',
    detail:
      password === undefined
        ? 'PKCS#12 needs a password (password_file)'
        : 'PKCS#12 password is wrong',
  };
  const candidates = password === undefined ? ['', null] : [password];
  const opened = (pw: string | null): Buffer[] | undefined => {
    try {
      return safes.flatMap((s) => {
        const der = 'plain' in s ? s.plain : s.scheme.decrypt(pw, s.data);
        return certBags(der, readTlv(der, 0));
      });
    } catch (err) {
      if (err instanceof Pkcs12BadDecrypt || (mac === undefined && err instanceof DerError))
        return undefined;
      throw err;
    }
  };
  let certs: Buffer[] | undefined;
  for (const pw of candidates) {
    if (mac && !mac.verifies(pw)) continue;
    certs = opened(pw);
    if (certs !== undefined) break;
    if (mac) throw new DerError('a safe does not decrypt with the password its MAC accepts');
  }
  if (certs === undefined) return wrong;
  const bad = unparsable(certs, 'PKCS#12 certificate');
  if (bad) return bad;
  return certs.length > 0
    ? { ok: true, certs }
    : { ok: false, reason: 'no_certificate', detail: 'PKCS#12 without a certificate' };
}

/** The certificates of a PKCS#12 file, or why not; a malformed file is `corrupt`, never a throw. */
export function decodePkcs12(
  bytes: Buffer,
  password: string | undefined,
  maxIterations: number = MAX_PKCS12_ITERATIONS,
): ParsedCertFile {
  try {
    return open(bytes, password, maxIterations);
  } catch (err) {
    if (err instanceof Pkcs12Unsupported)
      return {
        ok: false,
        reason: 'unsupported',
        detail: `PKCS#12 uses ${err.message}, which is not read`,
      };
    const what = err instanceof DerError ? err.message : String(err);
    return { ok: false, reason: 'corrupt', detail: `neither PEM, DER nor PKCS#12 (${what})` };
  }
}
