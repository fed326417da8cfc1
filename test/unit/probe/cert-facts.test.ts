import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { certFacts } from '../../../src/certs/inspect/cert-facts.js';
import { expiryMark } from '../../../src/probe/report.js';
import { withTempDir } from '../../support/tmp.js';
import { join } from 'node:path';

describe('certificate facts', () => {
  it('SM2 keys and SM3 signatures are named (OpenSSL-made certificate)', async () => {
    await withTempDir((dir) => {
      return Promise.resolve().then(() => {
        const key = join(dir, 'sm2.key');
        execFileSync('openssl', ['genpkey', '-algorithm', 'SM2', '-out', key]);
        const pem = execFileSync(
          'openssl',
          ['req', '-x509', '-new', '-key', key, '-sm3', '-subj', '/CN=sm2.test', '-days', '30'],
          { encoding: 'utf8' },
        );
        const facts = certFacts(new X509Certificate(pem).raw);
        assert.equal(facts.keyAlgorithm, 'sm2');
        assert.equal(facts.curve, 'sm2');
        assert.equal(facts.keyBits, 256);
        assert.equal(facts.signatureAlgorithm, 'sm2-with-SM3');
        assert.equal(facts.subjectCN, 'sm2.test');
        assert.equal(facts.selfIssued, true);
      });
    });
  });

  it('the serial is lowercase hex without leading zero bytes, as openssl prints it', async () => {
    await withTempDir((dir) => {
      return Promise.resolve().then(() => {
        const key = join(dir, 'k.pem');
        execFileSync('openssl', [
          'genpkey',
          '-algorithm',
          'EC',
          '-pkeyopt',
          'ec_paramgen_curve:P-384',
          '-out',
          key,
        ]);
        const pem = execFileSync(
          'openssl',
          [
            'req',
            '-x509',
            '-new',
            '-key',
            key,
            '-subj',
            '/CN=serial.test',
            '-days',
            '1',
            '-set_serial',
            '0x00ABCDEF01',
          ],
          { encoding: 'utf8' },
        );
        const facts = certFacts(new X509Certificate(pem).raw);
        const printed = execFileSync('openssl', ['x509', '-noout', '-serial'], {
          input: pem,
          encoding: 'utf8',
        })
          .trim()
          .replace('serial=', '');
        assert.equal(facts.serial, printed.toLowerCase().replace(/^0+/, ''));
        assert.equal(facts.curve, 'P-384');
        assert.equal(facts.keyBits, 384);
      });
    });
  });
});

describe('expiry colours of the probe report: the board thresholds', () => {
  const cases: ReadonlyArray<[number, string]> = [
    [-1, 'RED'],
    [0, 'RED'],
    [6.99, 'RED'],
    [7, 'YELLOW'],
    [29.99, 'YELLOW'],
    [30, 'GREEN'],
    [365, 'GREEN'],
  ];
  for (const [days, mark] of cases) {
    it(`${days} days is ${mark}`, () => {
      assert.equal(expiryMark(days), mark);
    });
  }
});
