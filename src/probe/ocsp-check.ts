// The stapled OCSP response of a probe, as tls_ocsp_* publishes it: stapled or not, its status
// and nextUpdate, or why it is unusable. The reading itself (certID, signer, times) is
// revocation/ocsp.ts, shared with the responder checks. Pure: the time comes in as an argument.
import { X509Certificate } from 'node:crypto';
import { cachedCertFacts } from '../certs/inspect/cert-facts.js';
import type { OcspFinding } from './probe-result.js';
import { readOcspResponse } from '../certs/revocation/ocsp.js';

const CODES = { good: 0, revoked: 1, unknown: 2 } as const;

export function checkOcsp(
  response: Buffer | undefined,
  leafDer: Buffer | undefined,
  issuerDer: Buffer | undefined,
  mode: 'off' | 'request' | 'require',
  nowSeconds: number,
): OcspFinding | undefined {
  if (mode === 'off') return undefined;
  if (!response || response.length === 0)
    return { stapled: false, problem: 'no OCSP response stapled' };
  if (!leafDer || !issuerDer)
    return { stapled: true, problem: 'no issuer certificate to check the OCSP response against' };
  let reading;
  try {
    reading = readOcspResponse(
      response,
      cachedCertFacts(leafDer),
      new X509Certificate(issuerDer),
      nowSeconds,
    );
  } catch (err) {
    return { stapled: true, problem: `unusable certificates: ${(err as Error).message}` };
  }
  if (!reading.ok)
    return { stapled: true, problem: `the stapled response: ${reading.detail}`, reading };
  return {
    stapled: true,
    reading,
    status: CODES[reading.status],
    ...(reading.nextUpdate === undefined ? {} : { nextUpdate: reading.nextUpdate }),
  };
}
