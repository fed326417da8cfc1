// Asks the real openssl what it reads in a certificate, to compare with what we publish.
import { execFileSync } from 'node:child_process';

/** notAfter as `openssl x509 -enddate` prints it, in Unix seconds */
export function opensslNotAfter(pem: string): number {
  const out = execFileSync('openssl', ['x509', '-noout', '-enddate'], {
    input: pem,
    encoding: 'utf8',
  });
  return Math.floor(new Date(out.replace('notAfter=', '').trim()).getTime() / 1000);
}
