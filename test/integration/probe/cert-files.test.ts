// Certificate files on a real file system: formats, directories, globs, swaps, deletions, errors.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { opensslNotAfter } from '../../support/openssl.js';
import { mkdir, rename, rm, symlink, truncate, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_FILES, scanCertFiles } from '../../../src/probe/cert-file-source.js';
import type { CertFileErrorReason } from '../../../src/domain/exporter-words.js';
import { chain, issue } from '../../support/pki.js';
import { withTempDir } from '../../support/tmp.js';

type Entry = { name: string; paths: string[]; exclude: string[]; password_file?: string };

async function scan(
  entries: Entry[],
): Promise<{ files: Map<string, string[]>; errors: Array<[CertFileErrorReason, string]> }> {
  const errors: Array<[CertFileErrorReason, string]> = [];
  const found = await scanCertFiles(entries, (reason, path) => errors.push([reason, path]));
  const files = new Map(
    [...found].map(([path, certs]) => [
      path,
      certs.map((c) => `${c.position}:${c.facts.subjectCN}`),
    ]),
  );
  return { files, errors };
}

describe('certificate files', function () {
  this.timeout(20_000);

  it('a PEM chain, a PEM with its private key, a key on its own, DER: all read, keys skipped', async () => {
    await withTempDir(async (dir) => {
      const c = await chain({ names: ['files.test'] });
      await writeFile(join(dir, 'chain.pem'), `${c.leaf.pem}\n${c.intermediate.pem}`);
      await writeFile(join(dir, 'with-key.pem'), `${await c.leaf.keyPem()}\n${c.leaf.pem}`);
      await writeFile(join(dir, 'tls.key'), await c.leaf.keyPem());
      await writeFile(join(dir, 'root.der'), Buffer.from(c.root.cert.rawData));
      const { files, errors } = await scan([{ name: 'dir', paths: [dir], exclude: [] }]);
      assert.deepEqual(errors, []);
      assert.deepEqual(files.get(join(dir, 'chain.pem')), [
        'leaf:files.test',
        'intermediate:Test Intermediate CA',
      ]);
      assert.deepEqual(files.get(join(dir, 'with-key.pem')), ['leaf:files.test']);
      assert.deepEqual(files.get(join(dir, 'root.der')), ['root:Test Root CA']);
      assert.equal(files.has(join(dir, 'tls.key')), false);
    });
  });

  it('the notAfter read from a file equals what openssl prints', async () => {
    await withTempDir(async (dir) => {
      const leaf = await issue({ cn: 'dates.test', notAfterDays: 17 });
      await writeFile(join(dir, 'a.pem'), leaf.pem);
      const found = await scanCertFiles(
        [{ name: 'x', paths: [join(dir, 'a.pem')], exclude: [] }],
        () => undefined,
      );
      assert.equal(found.get(join(dir, 'a.pem'))?.[0]?.facts.notAfter, opensslNotAfter(leaf.pem));
    });
  });

  it('PKCS#12: read with the password file; a wrong password is a pkcs12_password error', async () => {
    await withTempDir(async (dir) => {
      const leaf = await issue({ cn: 'p12.test', kind: 'rsa2048' });
      await writeFile(join(dir, 'c.pem'), leaf.pem);
      await writeFile(join(dir, 'k.pem'), await leaf.keyPem());
      execFileSync('openssl', [
        'pkcs12',
        '-export',
        '-in',
        join(dir, 'c.pem'),
        '-inkey',
        join(dir, 'k.pem'),
        '-out',
        join(dir, 'store.p12'),
        '-passout',
        'pass:s3cret',
      ]);
      await writeFile(join(dir, 'good-pass'), 's3cret\n');
      await writeFile(join(dir, 'bad-pass'), 'nope\n');
      const good = await scan([
        {
          name: 'p12',
          paths: [join(dir, 'store.p12')],
          exclude: [],
          password_file: join(dir, 'good-pass'),
        },
      ]);
      assert.deepEqual(good.files.get(join(dir, 'store.p12')), ['leaf:p12.test']);
      const bad = await scan([
        {
          name: 'p12',
          paths: [join(dir, 'store.p12')],
          exclude: [],
          password_file: join(dir, 'bad-pass'),
        },
      ]);
      assert.deepEqual(bad.errors, [['pkcs12_password', join(dir, 'store.p12')]]);
    });
  });

  it('a corrupt file is an error and the rest carry on', async () => {
    await withTempDir(async (dir) => {
      const leaf = await issue({ cn: 'ok.test' });
      await writeFile(join(dir, 'ok.pem'), leaf.pem);
      await writeFile(
        join(dir, 'broken.pem'),
        '-----BEGIN CERTIFICATE-----\nnot base64 at all!!\n-----END CERTIFICATE-----\n',
      );
      await writeFile(join(dir, 'garbage.crt'), Buffer.from([1, 2, 3, 4]));
      const { files, errors } = await scan([{ name: 'd', paths: [dir], exclude: [] }]);
      assert.deepEqual(files.get(join(dir, 'ok.pem')), ['leaf:ok.test']);
      assert.deepEqual(
        errors.sort(),
        [
          ['corrupt', join(dir, 'broken.pem')],
          ['corrupt', join(dir, 'garbage.crt')],
        ].sort(),
      );
    });
  });

  it('hostile files: 1 GB refused unread, 100 k files capped and reported, unreadable counted', async function () {
    this.timeout(120_000);
    await withTempDir(async (dir) => {
      const leaf = await issue({ cn: 'ok.test' });
      // sparse: 1 GB by size, nothing on disk
      const huge = join(dir, 'huge', 'bundle.pem');
      await mkdir(join(dir, 'huge'));
      await writeFile(huge, '');
      await truncate(huge, 2 ** 30);
      await writeFile(join(dir, 'huge', 'ok.pem'), leaf.pem);
      const many = join(dir, 'many');
      await mkdir(many);
      for (let i = 0; i < 100_000; i += 1_000) {
        await Promise.all(
          Array.from({ length: 1_000 }, (_, k) =>
            writeFile(join(many, `f${String(i + k).padStart(6, '0')}.pem`), leaf.pem),
          ),
        );
      }
      // a directory where a file is expected: unreadable even for root
      await mkdir(join(dir, 'password.txt'));
      const { files, errors } = await scan([
        { name: 'huge', paths: [join(dir, 'huge')], exclude: [] },
        { name: 'many', paths: [many], exclude: [] },
        {
          name: 'p12',
          paths: [join(dir, 'huge', 'ok.pem')],
          exclude: [],
          password_file: join(dir, 'password.txt'),
        },
      ]);
      assert.deepEqual(files.get(join(dir, 'huge', 'ok.pem')), ['leaf:ok.test']);
      assert.equal(files.has(huge), false);
      assert.equal([...files.keys()].filter((f) => f.startsWith(many)).length, MAX_FILES);
      assert.deepEqual(errors.sort(), [
        ['scan_capped', 'many'],
        ['too_large', huge],
        ['unreadable', join(dir, 'password.txt')],
      ]);
    });
  });

  it('globs with ** and exclude', async () => {
    await withTempDir(async (dir) => {
      const leaf = await issue({ cn: 'glob.test' });
      await mkdir(join(dir, 'a', 'b'), { recursive: true });
      await mkdir(join(dir, 'expired'), { recursive: true });
      await writeFile(join(dir, 'top.pem'), leaf.pem);
      await writeFile(join(dir, 'a', 'b', 'deep.pem'), leaf.pem);
      await writeFile(join(dir, 'a', 'b', 'deep.txt'), 'not a cert');
      await writeFile(join(dir, 'expired', 'old.pem'), leaf.pem);
      const { files } = await scan([
        { name: 'g', paths: [`${dir}/**/*.pem`], exclude: ['**/expired/**'] },
      ]);
      assert.deepEqual([...files.keys()].sort(), [
        join(dir, 'a', 'b', 'deep.pem'),
        join(dir, 'top.pem'),
      ]);
    });
  });

  it('a Kubernetes Secret symlink swap shows the new certificate under the same path; a deleted file disappears', async () => {
    await withTempDir(async (dir) => {
      const first = await issue({ cn: 'v1.test' });
      const second = await issue({ cn: 'v2.test' });
      // the kubelet's atomic writer: tls.crt -> ..data/tls.crt, ..data -> ..<timestamp>
      await mkdir(join(dir, '..2026_11_30_01'));
      await writeFile(join(dir, '..2026_11_30_01', 'tls.crt'), first.pem);
      await symlink('..2026_11_30_01', join(dir, '..data'));
      await symlink(join('..data', 'tls.crt'), join(dir, 'tls.crt'));
      const entry = [{ name: 'secret', paths: [dir, `${dir}/**/*.crt`], exclude: [] }];
      assert.deepEqual(Object.fromEntries((await scan(entry)).files), {
        [join(dir, 'tls.crt')]: ['leaf:v1.test'],
      });

      await mkdir(join(dir, '..2026_11_30_02'));
      await writeFile(join(dir, '..2026_11_30_02', 'tls.crt'), second.pem);
      await symlink('..2026_11_30_02', join(dir, '..data_tmp'));
      await rename(join(dir, '..data_tmp'), join(dir, '..data'));
      await rm(join(dir, '..2026_11_30_01'), { recursive: true });
      assert.deepEqual(Object.fromEntries((await scan(entry)).files), {
        [join(dir, 'tls.crt')]: ['leaf:v2.test'],
      });

      await unlink(join(dir, 'tls.crt'));
      assert.deepEqual((await scan(entry)).files.size, 0);
    });
  });
});
