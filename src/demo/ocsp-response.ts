// Builds OCSP responses (RFC 6960) for a leaf, signed by its issuer: the demo staples them, tests too.
import 'reflect-metadata';
import { createHash, webcrypto } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  BasicOCSPResponse,
  CertID,
  CertStatus,
  OCSPResponse,
  OCSPResponseStatus,
  ResponderID,
  ResponseBytes,
  ResponseData,
  RevokedInfo,
  SingleResponse,
  id_pkix_ocsp_basic,
} from '@peculiar/asn1-ocsp';
import { AlgorithmIdentifier, Certificate } from '@peculiar/asn1-x509';
import type { Issued } from '../certs/mint.js';

export type OcspStatus = 'good' | 'revoked' | 'unknown';

const SIGNATURE_OIDS = {
  p256: '1.2.840.10045.4.3.2',
  rsa2048: '1.2.840.113549.1.1.11',
  rsa1024: '1.2.840.113549.1.1.11',
  ed25519: '1.3.101.112',
} as const;

export async function ocspResponse(
  leaf: Issued,
  issuer: Issued,
  status: OcspStatus,
  options: { nextUpdateDays?: number; signer?: Issued; serial?: ArrayBuffer } = {},
): Promise<Buffer> {
  const leafAsn = AsnConvert.parse(leaf.cert.rawData, Certificate);
  const issuerAsn = AsnConvert.parse(issuer.cert.rawData, Certificate);
  const sha1 = (b: ArrayBuffer): ArrayBuffer => {
    const d = createHash('sha1').update(Buffer.from(b)).digest();
    return d.buffer.slice(d.byteOffset, d.byteOffset + d.byteLength);
  };
  const certID = new CertID({
    hashAlgorithm: new AlgorithmIdentifier({ algorithm: '1.3.14.3.2.26', parameters: null }),
    issuerNameHash: new OctetString(sha1(AsnConvert.serialize(issuerAsn.tbsCertificate.subject))),
    issuerKeyHash: new OctetString(
      sha1(issuerAsn.tbsCertificate.subjectPublicKeyInfo.subjectPublicKey),
    ),
    serialNumber: options.serial ?? leafAsn.tbsCertificate.serialNumber,
  });
  const now = new Date();
  const certStatus =
    status === 'good'
      ? new CertStatus({ good: null })
      : status === 'revoked'
        ? new CertStatus({
            revoked: new RevokedInfo({ revocationTime: new Date(now.getTime() - 3600_000) }),
          })
        : new CertStatus({ unknown: null });
  const tbs = new ResponseData({
    responderID: new ResponderID({
      byKey: new OctetString(sha1(issuerAsn.tbsCertificate.subjectPublicKeyInfo.subjectPublicKey)),
    }),
    producedAt: now,
    responses: [
      new SingleResponse({
        certID,
        certStatus,
        thisUpdate: new Date(now.getTime() - 60_000),
        nextUpdate: new Date(now.getTime() + (options.nextUpdateDays ?? 1) * 86_400_000),
      }),
    ],
  });
  const signer = options.signer ?? issuer;
  const algorithm =
    signer.kind === 'p256'
      ? { name: 'ECDSA', hash: 'SHA-256' }
      : signer.kind === 'rsa2048' || signer.kind === 'rsa1024'
        ? { name: 'RSASSA-PKCS1-v1_5' }
        : { name: 'Ed25519' };
  let signature: Buffer = Buffer.from(
    await webcrypto.subtle.sign(algorithm, signer.keys.privateKey, AsnConvert.serialize(tbs)),
  );
  if (signer.kind === 'p256') signature = ecdsaToDer(signature);
  const basic = new BasicOCSPResponse({
    tbsResponseData: tbs,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: SIGNATURE_OIDS[signer.kind] }),
    signature: new Uint8Array(signature).buffer,
  });
  const response = new OCSPResponse({
    responseStatus: OCSPResponseStatus.successful,
    responseBytes: new ResponseBytes({
      responseType: id_pkix_ocsp_basic,
      response: new OctetString(AsnConvert.serialize(basic)),
    }),
  });
  return Buffer.from(AsnConvert.serialize(response));
}

/** WebCrypto's ECDSA signature is r||s; X.509 and OCSP want the DER SEQUENCE of two INTEGERs. */
function ecdsaToDer(raw: Buffer): Buffer {
  const half = raw.length / 2;
  const int = (b: Buffer): Buffer => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    let v = b.subarray(i);
    if ((v[0] ?? 0) & 0x80) v = Buffer.concat([Buffer.from([0]), v]);
    return Buffer.concat([Buffer.from([0x02, v.length]), v]);
  };
  const body = Buffer.concat([int(raw.subarray(0, half)), int(raw.subarray(half))]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}
