// PKCS#12 keystores made by the tools sites make them with: openssl (3.x defaults, -legacy, any
// iteration count) and Java's keytool (its current defaults and its pre-JDK-17 legacy ones).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireTool } from './daemon.js';
import type { Issued } from './pki.js';

/** `openssl pkcs12 -export` of a leaf with its key (and more certificates), extra flags as given. */
export async function opensslKeystore(
  dir: string,
  name: string,
  leaf: Issued,
  password: string,
  flags: readonly string[] = [],
  more: readonly Issued[] = [],
): Promise<string> {
  requireTool('openssl', 'openssl');
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  const out = join(dir, name);
  writeFileSync(cert, [leaf.pem, ...more.map((c) => c.pem)].join('\n'));
  writeFileSync(key, await leaf.keyPem());
  execFileSync('openssl', [
    'pkcs12',
    '-export',
    '-in',
    cert,
    '-inkey',
    key,
    '-out',
    out,
    '-passout',
    `pass:${password}`,
    ...flags,
  ]);
  return out;
}

/** A keytool truststore holding one certificate; `legacy`: the algorithms of JDK 8 and 11. */
export function keytoolTruststore(
  dir: string,
  name: string,
  cert: Issued,
  password: string,
  legacy = false,
): string {
  requireTool('keytool', 'openjdk-17-jre-headless');
  const file = join(dir, `${name}.crt`);
  const out = join(dir, name);
  writeFileSync(file, cert.pem);
  execFileSync(
    'keytool',
    [
      ...(legacy ? ['-J-Dkeystore.pkcs12.legacy'] : []),
      '-importcert',
      '-noprompt',
      '-alias',
      'ca',
      '-file',
      file,
      '-keystore',
      out,
      '-storetype',
      'PKCS12',
      '-storepass',
      password,
    ],
    { stdio: 'pipe' },
  );
  return out;
}

/** The certificates openssl itself reads from a keystore, as DER in the file's order. */
export function opensslKeystoreCerts(path: string, password: string): Buffer[] {
  // -legacy loads the provider with RC2 beside the default one
  const pem = execFileSync(
    'openssl',
    ['pkcs12', '-legacy', '-in', path, '-nokeys', '-passin', `pass:${password}`],
    {
      encoding: 'utf8',
    },
  );
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map(
    (m) => Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64'),
  );
}

/**
 * The same keystore with its outer SEQUENCE in BER's indefinite-length form, as some Windows and
 * Java writers produce.
 */
export function indefiniteLength(path: string): string {
  const der = readFileSync(path);
  const lengthBytes = der[1] === undefined || der[1] < 0x80 ? 0 : der[1] & 0x7f;
  const content = der.subarray(2 + lengthBytes);
  const out = `${path}.ber`;
  writeFileSync(out, Buffer.concat([Buffer.from([0x30, 0x80]), content, Buffer.alloc(2)]));
  return out;
}
