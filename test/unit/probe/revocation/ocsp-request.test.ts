// Our OCSP request against openssl's: byte for byte without a nonce (`openssl ocsp -no_nonce
// -reqout`), and openssl's reading of our nonce (`openssl ocsp -reqin -req_text`).
import { strict as assert } from 'node:assert';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedCertFacts } from '../../../../src/certs/inspect/cert-facts.js';
import { ocspRequest } from '../../../../src/certs/revocation/ocsp.js';
import { OpensslCa, openssl, type IssuedFile } from '../../../support/openssl-ca.js';

describe('OCSP request', function () {
  this.timeout(30_000);
  let dir: string;
  let ca: OpensslCa;
  const leaves: IssuedFile[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tls-sli-ocsp-req-'));
    ca = await OpensslCa.create(dir, 'Request CA', {
      ocsp: 'http://127.0.0.1:1/',
      crl: 'http://127.0.0.1:1/crl',
    });
    // several serials, some with the top bit set (DER needs a leading zero byte for them)
    for (let i = 0; i < 6; i++) {
      if (i >= 3) await writeFile(join(ca.dir, 'serial'), `C0${i}F\n`);
      leaves.push(await ca.issue(dir, `leaf-${i}`));
    }
  });

  after(() => rm(dir, { recursive: true, force: true }));

  it('equals the request openssl makes for the same certificate, byte for byte', async () => {
    assert.ok(leaves.some((l) => /^[89a-f]/.test(l.serial) && l.serial.length % 2 === 0));
    for (const leaf of leaves) {
      const out = join(dir, `${leaf.name}.req`);
      await openssl([
        'ocsp',
        '-issuer',
        ca.own.certPath,
        '-cert',
        leaf.certPath,
        '-no_nonce',
        '-reqout',
        out,
      ]);
      const theirs = await readFile(out);
      const ours = ocspRequest(
        cachedCertFacts(new X509Certificate(leaf.pem).raw),
        cachedCertFacts(new X509Certificate(ca.own.pem).raw),
      );
      assert.equal(ours.toString('hex'), theirs.toString('hex'), `serial ${leaf.serial}`);
    }
  });

  it('carries a nonce openssl reads back', async () => {
    const [leaf] = leaves;
    assert.ok(leaf);
    const nonce = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const path = join(dir, 'nonce.req');
    await writeFile(
      path,
      ocspRequest(
        cachedCertFacts(new X509Certificate(leaf.pem).raw),
        cachedCertFacts(new X509Certificate(ca.own.pem).raw),
        nonce,
      ),
    );
    const text = await openssl(['ocsp', '-reqin', path, '-req_text']);
    assert.match(text, /OCSP Nonce:\s*\n\s*0410 ?00112233445566778899AABBCCDDEEFF/i);
    assert.match(text, new RegExp(`Serial Number: 0*${leaf.serial}`, 'i'));
  });
});
