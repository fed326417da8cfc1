// The CRL reader against CRLs made by `openssl ca -gencrl`, with openssl's own reading
// (`openssl crl -text`) as the oracle: a 100 k-entry CRL (past the ASN.1 schema library's node
// limit), reason codes, PEM and DER, the issuer's signature, and malformed input.
import { strict as assert } from 'node:assert';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedCertFacts } from '../../../../src/certs/inspect/cert-facts.js';
import {
  CRL_ENTRIES_PER_TURN,
  CrlError,
  crlSignedBy,
  lookupSerial,
  parseCrl,
} from '../../../../src/certs/revocation/crl.js';
import { OpensslCa, openssl } from '../../../support/openssl-ca.js';

const ENTRIES = 100_000;
const REASONS = ['keyCompromise', 'superseded', 'cessationOfOperation', 'CACompromise'];

describe('CRL reader', function () {
  this.timeout(60_000);
  let dir: string;
  let ca: OpensslCa;
  let other: OpensslCa;
  let big: Buffer;
  let bigPem: Buffer;
  /** what openssl reads in the CRL: the oracle */
  let text: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tls-sli-crl-'));
    const urls = { ocsp: 'http://127.0.0.1:1/', crl: 'http://127.0.0.1:1/crl' };
    ca = await OpensslCa.create(dir, 'CRL CA', urls);
    other = await OpensslCa.create(dir, 'Other CA', urls);
    // an index as `openssl ca -revoke` writes it, 100 k lines at once
    const lines: string[] = [];
    for (let i = 0; i < ENTRIES; i++) {
      const serial = (0x10_0000 + i).toString(16).toUpperCase();
      lines.push(
        `R\t301231000000Z\t261101120000Z,${REASONS[i % REASONS.length]}\t${serial}\tunknown\t/CN=c${i}`,
      );
    }
    await writeFile(join(ca.dir, 'index.txt'), `${lines.join('\n')}\n`);
    big = await ca.crl();
    await writeFile(join(dir, 'big.der'), big);
    bigPem = Buffer.from(await openssl(['crl', '-inform', 'DER', '-in', join(dir, 'big.der')]));
    text = await openssl(['crl', '-inform', 'DER', '-in', join(dir, 'big.der'), '-text', '-noout']);
  });

  after(() => rm(dir, { recursive: true, force: true }));

  it(`reads all ${ENTRIES} entries openssl lists, DER and PEM alike`, async () => {
    const listed = text.match(/Serial Number: /g)?.length ?? 0;
    assert.equal(listed, ENTRIES);
    const crl = await parseCrl(big);
    assert.equal(crl.entries, listed);
    assert.equal((await parseCrl(bigPem)).entries, listed);
    const next = /Next Update: (.+)/.exec(text)?.[1] ?? '';
    assert.equal(crl.nextUpdate, Date.parse(`${next.trim()}`) / 1000);
  });

  it('every reason and time as openssl prints them (sampled)', async () => {
    const crl = await parseCrl(big);
    const labels: Record<string, string> = {
      'Key Compromise': 'key_compromise',
      Superseded: 'superseded',
      'Cessation Of Operation': 'cessation_of_operation',
      'CA Compromise': 'ca_compromise',
    };
    const blocks = text.split('Serial Number: ').slice(1);
    for (const block of blocks.filter((_, i) => i % 997 === 0)) {
      const serial = (block.split('\n')[0] ?? '').trim().toLowerCase();
      const reason = /X509v3 CRL Reason Code:\s*\n\s*(.+)/.exec(block)?.[1]?.trim() ?? '';
      const date = /Revocation Date: (.+)/.exec(block)?.[1]?.trim() ?? '';
      const found = lookupSerial(crl, serial);
      assert.deepEqual(found, { at: Date.parse(date) / 1000, reason: labels[reason] }, serial);
    }
    assert.equal(lookupSerial(crl, 'abcdef0123'), undefined);
  });

  it("verifies with the issuer's key, not with another CA's", async () => {
    const crl = await parseCrl(big);
    const issuer = new X509Certificate(ca.own.pem);
    const stranger = new X509Certificate(other.own.pem);
    assert.equal(await crlSignedBy(crl, issuer, cachedCertFacts(issuer.raw).subjectName), true);
    assert.equal(
      await crlSignedBy(crl, stranger, cachedCertFacts(stranger.raw).subjectName),
      false,
    );
    const tampered = Buffer.from(big);
    tampered.writeUInt8((tampered.at(200) ?? 0) ^ 1, 200); // inside an entry
    assert.equal(
      await crlSignedBy(await parseCrl(tampered), issuer, cachedCertFacts(issuer.raw).subjectName),
      false,
    );
  });

  it(`gives the event loop a turn every ${CRL_ENTRIES_PER_TURN} entries`, async () => {
    let pauses = 0;
    await parseCrl(big, () => {
      pauses += 1;
      return Promise.resolve();
    });
    assert.equal(pauses, Math.floor(ENTRIES / CRL_ENTRIES_PER_TURN));
    // with the default pause, a timer set before the parse fires before it ends
    let fired = false;
    setImmediate(() => (fired = true));
    const parsing = parseCrl(big).then(() => fired);
    assert.equal(await parsing, true);
  });

  const malformed: ReadonlyArray<[string, Buffer, RegExp]> = [
    ['empty', Buffer.alloc(0), /truncated element at byte 0/],
    ['not a SEQUENCE', Buffer.from([0x04, 0x01, 0x00]), /CertificateList: expected tag 0x30/],
    ['a length past the end', Buffer.from([0x30, 0x82, 0xff, 0xff, 0x00]), /overruns/],
    [
      'PEM of something else',
      Buffer.from('-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n'),
      /PEM without a "X509 CRL" block/,
    ],
  ];
  for (const [name, input, message] of malformed) {
    it(`malformed (${name}): a CrlError naming it`, async () => {
      await assert.rejects(
        () => parseCrl(input),
        (err: unknown) => err instanceof CrlError && message.test(err.message),
      );
    });
  }

  it('a CRL cut short anywhere: a CrlError, never another error', async () => {
    for (let cut = 1; cut < 400; cut += 7) {
      try {
        await parseCrl(big.subarray(0, cut));
      } catch (err) {
        assert.ok(err instanceof CrlError, `cut at ${cut}: ${String(err)}`);
      }
    }
  });
});
