// PKCS#12 keystores as openssl and keytool write them, read by the exporter's own decoder: the
// certificates are the ones openssl reads, a wrong password and a costly file are named reasons.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { decodePkcs12 } from '../../../src/certs/pkcs12/pfx.js';
import { KeystoreReader } from '../../../src/certs/pkcs12/keystore-reader.js';
import { chain, type Issued } from '../../support/pki.js';
import {
  indefiniteLength,
  keytoolTruststore,
  opensslKeystore,
  opensslKeystoreCerts,
} from '../../support/keystores.js';
import { withTempDir } from '../../support/tmp.js';

const PASSWORD = 'Keystore-pässword-7';
/** keytool refuses a PKCS#12 password that is not ASCII */
const JAVA_PASSWORD = 'changeit-7';

interface Case {
  readonly name: string;
  /** the keystore's path; `password` is what it was written with */
  make(
    dir: string,
    c: { leaf: Issued; intermediate: Issued; root: Issued },
  ): Promise<string> | string;
  readonly password?: string;
  /** the subjects read, in the file's order */
  readonly subjects: readonly string[];
}

const CASES: readonly Case[] = [
  {
    name: 'openssl 3 defaults (PBES2 AES-256, MAC SHA-256), with its chain',
    make: (dir, c) => opensslKeystore(dir, 'default.p12', c.leaf, PASSWORD, [], [c.intermediate]),
    subjects: ['pkcs12.test', 'Test Intermediate CA'],
  },
  {
    name: 'openssl -legacy (RC2-40 certificates, MAC SHA-1)',
    make: (dir, c) => opensslKeystore(dir, 'legacy.p12', c.leaf, PASSWORD, ['-legacy']),
    subjects: ['pkcs12.test'],
  },
  {
    name: 'openssl with 3DES and a SHA-1 MAC',
    make: (dir, c) =>
      opensslKeystore(dir, '3des.p12', c.leaf, PASSWORD, [
        '-certpbe',
        'PBE-SHA1-3DES',
        '-keypbe',
        'PBE-SHA1-3DES',
        '-macalg',
        'sha1',
      ]),
    subjects: ['pkcs12.test'],
  },
  {
    name: 'openssl with certificates unencrypted',
    make: (dir, c) => opensslKeystore(dir, 'plain.p12', c.leaf, PASSWORD, ['-certpbe', 'NONE']),
    subjects: ['pkcs12.test'],
  },
  {
    name: 'openssl with an empty password, read with none configured',
    make: (dir, c) => opensslKeystore(dir, 'empty.p12', c.leaf, ''),
    password: '',
    subjects: ['pkcs12.test'],
  },
  {
    name: 'keytool truststore (JDK 17: PBES2, HmacPBESHA256, 10,000 iterations)',
    make: (dir, c) => keytoolTruststore(dir, 'java.p12', c.root, JAVA_PASSWORD),
    password: JAVA_PASSWORD,
    subjects: ['Test Root CA'],
  },
  {
    name: 'keytool truststore, legacy (JDK 8: RC2-40, SHA-1 MAC at 100,000 iterations)',
    make: (dir, c) => keytoolTruststore(dir, 'java8.p12', c.root, JAVA_PASSWORD, true),
    password: JAVA_PASSWORD,
    subjects: ['Test Root CA'],
  },
  {
    name: 'BER: an indefinite-length outer SEQUENCE',
    make: async (dir, c) =>
      indefiniteLength(await opensslKeystore(dir, 'ber.p12', c.leaf, PASSWORD)),
    subjects: ['pkcs12.test'],
  },
];

async function pki(): Promise<{ leaf: Issued; intermediate: Issued; root: Issued }> {
  const c = await chain({ names: ['pkcs12.test'], leaf: { kind: 'rsa2048' } });
  return { leaf: c.leaf, intermediate: c.intermediate, root: c.root };
}

describe('PKCS#12 keystores', function () {
  this.timeout(60_000);

  for (const c of CASES) {
    it(`${c.name}: the certificates openssl reads; a wrong password is pkcs12_password`, async () => {
      await withTempDir(async (dir) => {
        const path = await c.make(dir, await pki());
        const password = c.password ?? PASSWORD;
        const bytes = readFileSync(path);
        const read = decodePkcs12(bytes, password === '' ? undefined : password);
        assert.equal(read.ok, true, JSON.stringify(read));
        const certs = read.ok === true ? read.certs : [];
        const expected = opensslKeystoreCerts(path.replace(/\.ber$/, ''), password);
        assert.deepEqual(
          certs.map((d) => d.toString('base64')),
          expected.map((d) => d.toString('base64')),
        );
        assert.equal(certs.length, c.subjects.length);
        const wrong = decodePkcs12(bytes, 'not-the-password');
        assert.deepEqual(wrong.ok === false && [wrong.reason, wrong.detail], [
          'pkcs12_password',
          'PKCS#12 password is wrong',
        ]);
      });
    });
  }

  it('a keystore needing a password with none configured says so', async () => {
    await withTempDir(async (dir) => {
      const bytes = readFileSync(await opensslKeystore(dir, 'p.p12', (await pki()).leaf, PASSWORD));
      const read = decodePkcs12(bytes, undefined);
      assert.deepEqual(
        read.ok === false && read.detail,
        'PKCS#12 needs a password (password_file)',
      );
    });
  });

  it('a file asking for more iterations than the cap is refused before any derivation', async () => {
    await withTempDir(async (dir) => {
      const path = await opensslKeystore(dir, 'i.p12', (await pki()).leaf, PASSWORD, [
        '-iter',
        '5000',
      ]);
      const read = decodePkcs12(readFileSync(path), PASSWORD, 4_999);
      assert.deepEqual(read.ok === false && [read.reason, read.detail], [
        'pkcs12_iterations',
        'PKCS#12 asks for 5000 key-derivation iterations, over the limit of 4999',
      ]);
      assert.equal(decodePkcs12(readFileSync(path), PASSWORD, 5_000).ok, true);
    });
  });

  it('truncated and altered files are corrupt, never a throw', async () => {
    await withTempDir(async (dir) => {
      const bytes = readFileSync(await opensslKeystore(dir, 'c.p12', (await pki()).leaf, PASSWORD));
      for (const cut of [4, 100, bytes.length - 1]) {
        const read = decodePkcs12(bytes.subarray(0, cut), PASSWORD);
        assert.equal(read.ok === false && read.reason, 'corrupt', `cut at ${cut}`);
      }
      // a flipped byte inside the signed content: the MAC no longer verifies with any password
      const altered = Buffer.from(bytes);
      altered[200] = (altered[200] as number) ^ 0xff;
      const read = decodePkcs12(altered, PASSWORD);
      assert.equal(read.ok, false);
    });
  });

  it('the reader: worker threads, concurrent reads, one derivation per unchanged file', async () => {
    await withTempDir(async (dir) => {
      const { leaf } = await pki();
      const paths = await Promise.all(
        [1, 2, 3].map((i) => opensslKeystore(dir, `k${i}.p12`, leaf, PASSWORD, ['-iter', '20000'])),
      );
      const reader = new KeystoreReader(2);
      try {
        const files = paths.map((p) => readFileSync(p));
        const results = await Promise.all(files.map((b) => reader.read(b, PASSWORD)));
        for (const r of results) assert.deepEqual(r, decodePkcs12(files[0] as Buffer, PASSWORD));
        const again = reader.read(files[0] as Buffer, PASSWORD);
        assert.equal(
          again,
          reader.read(files[0] as Buffer, PASSWORD),
          'kept by content and password',
        );
        assert.equal((await reader.read(files[0] as Buffer, 'wrong')).ok, false);
      } finally {
        await reader.close();
      }
    });
  });
});
