// OpenSSL's verify errors as probe reasons, and key/digest strength as OpenSSL's security levels
// count it. Codes are Node's names (src/crypto/crypto_common.cc); texts are OpenSSL 3.0's
// X509_verify_cert_error_string, as libcrypto.so.3 holds them (Node reports many as UNSPECIFIED).
import { strict as assert } from 'node:assert';
import { opensslReason } from '../../../src/certs/inspect/openssl-verdict.js';
import {
  keySecurityBits,
  levelBits,
  signatureSecurityBits,
} from '../../../src/certs/inspect/strength.js';
import type { CertFacts } from '../../../src/certs/inspect/cert-facts.js';

describe('OpenSSL verify errors as probe reasons', () => {
  const CASES: ReadonlyArray<readonly [string, string, string]> = [
    ['CERT_HAS_EXPIRED', 'certificate has expired', 'cert_expired'],
    ['CERT_NOT_YET_VALID', 'certificate is not yet valid', 'cert_expired'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate', 'unknown_ca'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain', 'unknown_ca'],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'unable to get local issuer certificate', 'unknown_ca'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate', 'unknown_ca'],
    ['INVALID_PURPOSE', 'unsuitable certificate purpose', 'cert_purpose'],
    ['PATH_LENGTH_EXCEEDED', 'path length constraint exceeded', 'cert_path_length'],
    ['UNSPECIFIED', 'invalid CA certificate', 'cert_invalid_ca'],
    ['UNSPECIFIED', 'key usage does not include certificate signing', 'cert_invalid_ca'],
    ['UNSPECIFIED', 'EE certificate key too weak', 'cert_weak_key'],
    ['UNSPECIFIED', 'CA certificate key too weak', 'cert_weak_key'],
    ['UNSPECIFIED', 'CA signature digest algorithm too weak', 'cert_weak_signature'],
    ['UNSPECIFIED', 'unsupported certificate purpose', 'cert_purpose'], // OpenSSL 1.1's text
    ['CERT_SIGNATURE_FAILURE', 'certificate signature failure', 'cert_verify_failed'],
    ['UNSPECIFIED', 'unhandled critical extension', 'cert_verify_failed'],
  ];
  for (const [code, message, reason] of CASES) {
    it(`${code} "${message}" -> ${reason}`, () => {
      assert.equal(opensslReason({ code, message }), reason);
    });
  }
});

describe('security bits as OpenSSL counts them', () => {
  const facts = (keyAlgorithm: string, keyBits: number, signatureAlgorithm = 'x'): CertFacts =>
    ({ keyAlgorithm, keyBits, signatureAlgorithm }) as CertFacts;
  const KEYS: ReadonlyArray<readonly [string, number, number]> = [
    ['rsa', 1024, 80],
    ['rsa', 1536, 80],
    ['rsa', 2048, 112],
    ['rsa', 3072, 128],
    ['rsa', 4096, 128],
    ['ecdsa', 256, 128],
    ['ecdsa', 384, 192],
    ['ed25519', 256, 128],
    ['ed448', 456, 224],
  ];
  for (const [alg, bits, security] of KEYS) {
    it(`${alg} ${bits}: ${security} bits`, () => {
      assert.equal(keySecurityBits(facts(alg, bits)), security);
    });
  }
  it('SHA-1 and MD5 signatures are below level 1, SHA-256 above level 2', () => {
    assert.ok(signatureSecurityBits(facts('rsa', 2048, 'sha1WithRSAEncryption')) < levelBits(1));
    assert.ok(signatureSecurityBits(facts('ecdsa', 256, 'ecdsa-with-SHA1')) < levelBits(1));
    assert.ok(signatureSecurityBits(facts('rsa', 2048, 'md5WithRSAEncryption')) < levelBits(1));
    assert.ok(signatureSecurityBits(facts('rsa', 2048, 'sha256WithRSAEncryption')) >= levelBits(2));
  });
  it('levels 0 to 5 ask for 0, 80, 112, 128, 192, 256 bits', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5].map(levelBits), [0, 80, 112, 128, 192, 256]);
  });
});
