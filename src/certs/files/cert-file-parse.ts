// Reads the certificates out of a file's bytes: PEM (bundles of several certificates, with any
// private keys in the same file skipped and never logged), DER, or PKCS#12 with a password
// (pkcs12/pfx.ts). Pure: bytes in, DER certificates or a reason out.
import { certFacts } from '../inspect/cert-facts.js';
import { unparsable, type ParsedCertFile } from './parsed-cert-file.js';
import { decodePkcs12 } from '../pkcs12/pfx.js';

export type { ParsedCertFile } from './parsed-cert-file.js';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

function parsePem(text: string): ParsedCertFile {
  const certs: Buffer[] = [];
  let blocks = 0;
  for (const m of text.matchAll(PEM_BLOCK)) {
    blocks += 1;
    if (m[1] !== 'CERTIFICATE' && m[1] !== 'TRUSTED CERTIFICATE') continue; // keys and others: skipped
    certs.push(Buffer.from((m[2] ?? '').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'));
  }
  const bad = unparsable(certs, 'certificate');
  if (bad) return bad;
  if (certs.length > 0) return { ok: true, certs };
  if (blocks > 0) return { ok: 'skip', detail: 'no certificate in the PEM blocks (a key only)' };
  return { ok: false, reason: 'corrupt', detail: 'a PEM header without a complete block' };
}

/**
 * PEM and DER read at once; a file that may be PKCS#12 is handed back (`ok: 'pkcs12'`), as its
 * key derivations are for a worker thread (pkcs12/keystore-reader.ts).
 */
export function parsePlainCertFile(bytes: Buffer): ParsedCertFile | { readonly ok: 'pkcs12' } {
  if (bytes.length === 0) return { ok: false, reason: 'no_certificate', detail: 'empty file' };
  const head = bytes.subarray(0, 8192).toString('latin1');
  if (head.includes('-----BEGIN ')) return parsePem(bytes.toString('latin1'));
  if (bytes[0] === 0x30) {
    try {
      certFacts(bytes);
      return { ok: true, certs: [bytes] };
    } catch {
      return { ok: 'pkcs12' };
    }
  }
  return { ok: false, reason: 'corrupt', detail: 'neither PEM, DER nor PKCS#12' };
}

/** Any certificate file, PKCS#12 included, on the calling thread. */
export function parseCertFile(bytes: Buffer, password: string | undefined): ParsedCertFile {
  const plain = parsePlainCertFile(bytes);
  return plain.ok === 'pkcs12' ? decodePkcs12(bytes, password) : plain;
}
