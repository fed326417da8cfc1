// OCSP (RFC 6960): the request for one certificate, and what a response says about it. A response
// counts only when it is about this certificate (certID: serial, issuer name and key hashes), is
// signed by the issuer or by a responder the issuer certified for OCSP signing (id-kp-OCSPSigning),
// is not from the future and not past its nextUpdate, and echoes our nonce when it carries one.
// Pure: the time comes in as an argument; the same reader serves stapled and fetched responses.
import 'reflect-metadata';
import { createHash, X509Certificate } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  BasicOCSPResponse,
  CertID,
  OCSPRequest,
  OCSPResponse,
  OCSPResponseStatus,
  Request,
  TBSRequest,
  id_pkix_ocsp_basic,
  id_pkix_ocsp_nonce,
} from '@peculiar/asn1-ocsp';
import { AlgorithmIdentifier, Extension, id_kp_OCSPSigning } from '@peculiar/asn1-x509';
import type { RevocationFailure } from '../../domain/tls-words.js';
import type { CertFacts } from '../inspect/cert-facts.js';
import { cachedCertFacts } from '../inspect/cert-facts.js';
import { REVOCATION_REASON_CODES } from './crl.js';
import { signatureVerifies } from './signature.js';

const SHA1 = '1.3.14.3.2.26';
const HASHES: Readonly<Record<string, string>> = {
  [SHA1]: 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** how far a responder's clock may run ahead of ours */
const CLOCK_SKEW_SECONDS = 300;

export type OcspCertStatus = 'good' | 'revoked' | 'unknown';

/** Why a response could not be used (a closed list: these are label values). */
export type OcspProblem = Extract<
  RevocationFailure,
  | 'responder_error'
  | 'bad_response'
  | 'wrong_certificate'
  | 'bad_signature'
  | 'stale'
  | 'nonce_mismatch'
>;

export type OcspReading =
  | {
      readonly ok: true;
      readonly status: OcspCertStatus;
      readonly thisUpdate: number;
      readonly nextUpdate: number | undefined;
      readonly revokedAt?: number;
      readonly reason?: string;
    }
  | { readonly ok: false; readonly problem: OcspProblem; readonly detail: string };

function stripLeadingZeros(bytes: Buffer): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  return bytes.subarray(i);
}

const digest = (hash: string, data: Buffer): Buffer => createHash(hash).update(data).digest();

const toArrayBuffer = (b: Buffer): ArrayBuffer =>
  b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

/** An OCSP request (DER) for `cert` issued by `issuer`, with a SHA-1 certID as RFC 5019 asks. */
export function ocspRequest(cert: CertFacts, issuer: CertFacts, nonce?: Buffer): Buffer {
  const certID = new CertID({
    hashAlgorithm: new AlgorithmIdentifier({ algorithm: SHA1, parameters: null }),
    issuerNameHash: new OctetString(toArrayBuffer(digest('sha1', issuer.subjectName))),
    issuerKeyHash: new OctetString(toArrayBuffer(digest('sha1', issuer.publicKeyBits))),
    serialNumber: toArrayBuffer(
      Buffer.from(cert.serial.length % 2 ? `0${cert.serial}` : cert.serial, 'hex'),
    ),
  });
  // a serial whose top bit is set needs a leading zero byte to stay positive
  const serial = Buffer.from(certID.serialNumber);
  if ((serial[0] ?? 0) & 0x80)
    certID.serialNumber = toArrayBuffer(Buffer.concat([Buffer.from([0]), serial]));
  const tbsRequest = new TBSRequest({ requestList: [new Request({ reqCert: certID })] });
  if (nonce !== undefined) {
    tbsRequest.requestExtensions = [
      new Extension({
        extnID: id_pkix_ocsp_nonce,
        critical: false,
        extnValue: new OctetString(AsnConvert.serialize(new OctetString(toArrayBuffer(nonce)))),
      }),
    ];
  }
  return Buffer.from(AsnConvert.serialize(new OCSPRequest({ tbsRequest })));
}

function nonceOf(basic: BasicOCSPResponse): Buffer | undefined {
  const ext = basic.tbsResponseData.responseExtensions?.find(
    (e) => e.extnID === id_pkix_ocsp_nonce,
  );
  if (!ext) return undefined;
  const value = Buffer.from(ext.extnValue.buffer);
  // RFC 8954: an OCTET STRING inside the extension's OCTET STRING; some responders send it bare
  try {
    return Buffer.from(AsnConvert.parse(value, OctetString).buffer);
  } catch {
    return value;
  }
}

function isOcspSigner(candidate: X509Certificate): boolean {
  const eku = cachedCertFacts(candidate.raw).extendedKeyUsage;
  return eku?.includes(id_kp_OCSPSigning) === true;
}

const problem = (p: OcspProblem, detail: string): OcspReading => ({
  ok: false,
  problem: p,
  detail,
});

/**
 * What `response` says about `cert` (issued by `issuer`) at `nowSeconds`. With `nonce`, a
 * response that carries a different one is refused (one without a nonce is accepted: many
 * responders answer from pre-signed responses).
 */
export function readOcspResponse(
  response: Buffer,
  cert: CertFacts,
  issuer: X509Certificate,
  nowSeconds: number,
  nonce?: Buffer,
): OcspReading {
  let basic: BasicOCSPResponse;
  try {
    const outer = AsnConvert.parse(response, OCSPResponse);
    if (outer.responseStatus !== OCSPResponseStatus.successful || !outer.responseBytes)
      return problem(
        'responder_error',
        `the responder answered ${OCSPResponseStatus[outer.responseStatus] ?? outer.responseStatus}`,
      );
    if (outer.responseBytes.responseType !== id_pkix_ocsp_basic)
      return problem(
        'bad_response',
        `unsupported response type ${outer.responseBytes.responseType}`,
      );
    basic = AsnConvert.parse(outer.responseBytes.response.buffer, BasicOCSPResponse);
  } catch (err) {
    return problem('bad_response', `unparsable OCSP response: ${(err as Error).message}`);
  }
  const issuerFacts = cachedCertFacts(issuer.raw);
  const serial = Buffer.from(cert.serial.length % 2 ? `0${cert.serial}` : cert.serial, 'hex');
  const single = basic.tbsResponseData.responses.find((r) => {
    const hash = HASHES[r.certID.hashAlgorithm.algorithm];
    return (
      hash !== undefined &&
      stripLeadingZeros(Buffer.from(r.certID.serialNumber)).equals(stripLeadingZeros(serial)) &&
      Buffer.from(r.certID.issuerKeyHash.buffer).equals(digest(hash, issuerFacts.publicKeyBits)) &&
      Buffer.from(r.certID.issuerNameHash.buffer).equals(digest(hash, issuerFacts.subjectName))
    );
  });
  if (!single) return problem('wrong_certificate', 'the response is about another certificate');
  const signed = Buffer.from(AsnConvert.serialize(basic.tbsResponseData));
  const signature = Buffer.from(basic.signature);
  const oid = basic.signatureAlgorithm.algorithm;
  // the issuer itself, or a delegated responder: issued by the issuer, for OCSP signing
  const delegates = (basic.certs ?? [])
    .map((c) => new X509Certificate(Buffer.from(AsnConvert.serialize(c))))
    .filter((c) => c.checkIssued(issuer) && c.verify(issuer.publicKey) && isOcspSigner(c));
  const signer = [issuer, ...delegates].find((c) =>
    signatureVerifies(oid, signed, c.publicKey, signature),
  );
  if (!signer)
    return problem(
      'bad_signature',
      'the response is signed neither by the issuer nor by a responder the issuer certified for OCSP signing',
    );
  if (signer !== issuer && nowSeconds > new Date(signer.validTo).getTime() / 1000)
    return problem('bad_signature', `the responder certificate expired at ${signer.validTo}`);
  if (nonce !== undefined) {
    const echoed = nonceOf(basic);
    if (echoed !== undefined && !echoed.equals(nonce))
      return problem('nonce_mismatch', 'the response carries another nonce than the request');
  }
  const thisUpdate = Math.floor(single.thisUpdate.getTime() / 1000);
  const nextUpdate = single.nextUpdate ? Math.floor(single.nextUpdate.getTime() / 1000) : undefined;
  if (thisUpdate > nowSeconds + CLOCK_SKEW_SECONDS)
    return problem(
      'stale',
      `thisUpdate ${new Date(thisUpdate * 1000).toISOString()} is in the future`,
    );
  if (nextUpdate !== undefined && nextUpdate < nowSeconds)
    return problem('stale', `past its nextUpdate ${new Date(nextUpdate * 1000).toISOString()}`);
  const revoked = single.certStatus.revoked;
  if (revoked) {
    return {
      ok: true,
      status: 'revoked',
      thisUpdate,
      nextUpdate,
      revokedAt: Math.floor(revoked.revocationTime.getTime() / 1000),
      reason:
        revoked.revocationReason === undefined
          ? 'unspecified'
          : (REVOCATION_REASON_CODES[revoked.revocationReason.reason] ?? 'unspecified'),
    };
  }
  return {
    ok: true,
    status: single.certStatus.unknown !== undefined ? 'unknown' : 'good',
    thisUpdate,
    nextUpdate,
  };
}
