// The client certificates the certificate faults present: one from a CA minted for the drill
// (which the server cannot trust), and an expired one, minted under the client CA when its
// certificate and key are given, or read as supplied.
import { readFile } from 'node:fs/promises';
import { issue, loadIssuer } from '../certs/mint.js';
import type { ClientCredential } from './run-drill.js';

export async function untrustedCredential(): Promise<ClientCredential> {
  const ca = await issue({
    cn: 'tls-sli-exporter drill CA (untrusted)',
    ca: true,
    notAfterDays: 1,
  });
  const leaf = await issue({
    cn: 'tls-sli-exporter-drill',
    issuer: ca,
    client: true,
    notAfterDays: 1,
  });
  return { cert: `${leaf.pem}\n${ca.pem}`, key: await leaf.keyPem() };
}

export interface ExpiredSource {
  readonly clientCaCert?: string;
  readonly clientCaKey?: string;
  readonly expiredCert?: string;
  readonly expiredKey?: string;
}

/** An expired client certificate, or why there is none. */
export async function expiredCredential(
  source: ExpiredSource,
): Promise<ClientCredential | { readonly skipped: string }> {
  if (source.expiredCert !== undefined && source.expiredKey !== undefined)
    return {
      cert: await readFile(source.expiredCert, 'utf8'),
      key: await readFile(source.expiredKey, 'utf8'),
    };
  if (source.clientCaCert !== undefined && source.clientCaKey !== undefined) {
    const ca = await loadIssuer(
      await readFile(source.clientCaCert, 'utf8'),
      await readFile(source.clientCaKey, 'utf8'),
    );
    const leaf = await issue({
      cn: 'tls-sli-exporter-drill-expired',
      issuer: ca,
      client: true,
      notBeforeDays: -30,
      notAfterDays: -1,
    });
    return { cert: leaf.pem, key: await leaf.keyPem() };
  }
  return {
    skipped:
      'give --client-ca-cert and --client-ca-key (an expired certificate is minted under them), or --expired-cert and --expired-key',
  };
}
