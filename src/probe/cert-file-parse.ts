// Reads the certificates out of a file's bytes: PEM (bundles of several certificates, with any
// private keys in the same file skipped and never logged), DER, or PKCS#12 with a password.
// Pure: bytes in, DER certificates or a reason out.
import forge from 'node-forge';
import type { CertFileErrorReason } from '../domain/exporter-words.js';
import { certFacts } from './inspect/cert-facts.js';

export type ParsedCertFile =
  | { readonly ok: true; readonly certs: readonly Buffer[] }
  | { readonly ok: false; readonly reason: CertFileErrorReason; readonly detail: string }
  /** a file with no certificate that is not an error (a private key on its own) */
  | { readonly ok: 'skip'; readonly detail: string };

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

function parsePem(text: string): ParsedCertFile {
  const certs: Buffer[] = [];
  let blocks = 0;
  for (const m of text.matchAll(PEM_BLOCK)) {
    blocks += 1;
    if (m[1] !== 'CERTIFICATE' && m[1] !== 'TRUSTED CERTIFICATE') continue; // keys and others: skipped
    const der = Buffer.from((m[2] ?? '').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
    try {
      certFacts(der);
    } catch (err) {
      return {
        ok: false,
        reason: 'corrupt',
        detail: `certificate ${certs.length + 1} does not parse: ${(err as Error).message}`,
      };
    }
    certs.push(der);
  }
  if (certs.length > 0) return { ok: true, certs };
  if (blocks > 0) return { ok: 'skip', detail: 'no certificate in the PEM blocks (a key only)' };
  return { ok: false, reason: 'corrupt', detail: 'a PEM header without a complete block' };
}

function parsePkcs12(bytes: Buffer, password: string | undefined): ParsedCertFile {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn = forge.asn1.fromDer(forge.util.createBuffer(bytes.toString('binary')));
    p12 = forge.pkcs12.pkcs12FromAsn1(asn, false, password ?? '');
  } catch (err) {
    const message = (err as Error).message;
    if (/MAC could not be verified|Invalid password/i.test(message)) {
      return {
        ok: false,
        reason: 'pkcs12_password',
        detail:
          password === undefined
            ? 'PKCS#12 needs a password (password_file)'
            : 'PKCS#12 password is wrong',
      };
    }
    return { ok: false, reason: 'corrupt', detail: 'neither PEM, DER nor PKCS#12' };
  }
  const certBag = forge.pki.oids['certBag'] as string;
  const bags: forge.pkcs12.Bag[] = p12.getBags({ bagType: certBag })[certBag] ?? [];
  const certs = bags.flatMap((bag) => {
    const asn1 = bag.cert
      ? forge.pki.certificateToAsn1(bag.cert)
      : (bag as { asn1?: forge.asn1.Asn1 }).asn1;
    return asn1 ? [Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary')] : [];
  });
  return certs.length > 0
    ? { ok: true, certs }
    : { ok: false, reason: 'no_certificate', detail: 'PKCS#12 without a certificate' };
}

export function parseCertFile(bytes: Buffer, password: string | undefined): ParsedCertFile {
  if (bytes.length === 0) return { ok: false, reason: 'no_certificate', detail: 'empty file' };
  const head = bytes.subarray(0, 8192).toString('latin1');
  if (head.includes('-----BEGIN ')) return parsePem(bytes.toString('latin1'));
  if (bytes[0] === 0x30) {
    try {
      certFacts(bytes);
      return { ok: true, certs: [bytes] };
    } catch {
      return parsePkcs12(bytes, password);
    }
  }
  return { ok: false, reason: 'corrupt', detail: 'neither PEM, DER nor PKCS#12' };
}
