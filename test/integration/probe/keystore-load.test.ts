// Issue 36: keystores at a million PBKDF2 iterations load while the exporter keeps answering.
// The exporter runs as users run it (the built command); /-/healthy is asked every 25 ms from
// this process while four such keystores and one beyond the iteration cap are read.
import { strict as assert } from 'node:assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_PKCS12_ITERATIONS } from '../../../src/certs/pkcs12/pfx.js';
import { startServing } from '../../support/cli-process.js';
import { sampleValue } from '../../support/exposition.js';
import { opensslKeystore } from '../../support/keystores.js';
import { issue } from '../../support/pki.js';
import { withTempDir } from '../../support/tmp.js';

/** Kubernetes' default livenessProbe timeoutSeconds: an ask slower than this restarts the pod */
const LIVENESS_TIMEOUT_MS = 1_000;

describe('keystores under load', function () {
  this.timeout(120_000);

  it('four keystores at 1,000,000 iterations: every /-/healthy ask answered, certificates published; one over the cap is named', async () => {
    await withTempDir(async (dir) => {
      const leaf = await issue({ cn: 'keystore.test', kind: 'rsa2048' });
      await Promise.all(
        [1, 2, 3, 4].map((i) =>
          opensslKeystore(dir, `store${i}.p12`, leaf, 's3cret', ['-iter', '1000000']),
        ),
      );
      // only the MAC at the count, so openssl makes it in a second
      await opensslKeystore(dir, 'costly.p12', leaf, 's3cret', [
        '-iter',
        String(MAX_PKCS12_ITERATIONS + 1),
        '-certpbe',
        'NONE',
        '-keypbe',
        'NONE',
      ]);
      await writeFile(join(dir, 'password'), 's3cret\n');
      await writeFile(
        join(dir, 'c.yml'),
        [
          'cert_files:',
          `  - {name: stores, paths: ['${dir}/*.p12'], password_file: ${join(dir, 'password')}}`,
        ].join('\n'),
      );
      const exporter = await startServing([`--config.file=${join(dir, 'c.yml')}`]);
      try {
        const slow: string[] = [];
        let asks = 0;
        let metrics = '';
        const published = (): number =>
          [1, 2, 3, 4].filter(
            (i) =>
              sampleValue(metrics, 'tls_cert_days_remaining', {
                name: join(dir, `store${i}.p12`),
              }) !== undefined,
          ).length;
        while (published() < 4) {
          const started = performance.now();
          const res = await fetch(`${exporter.url}/-/healthy`, {
            signal: AbortSignal.timeout(LIVENESS_TIMEOUT_MS),
          }).catch((err: Error) => err);
          asks += 1;
          if (res instanceof Error || res.status !== 200)
            slow.push(`ask ${asks}: ${res instanceof Error ? res.message : res.status}`);
          metrics = await (await fetch(`${exporter.url}/metrics`)).text();
          await new Promise((r) => setTimeout(r, Math.max(0, 25 - (performance.now() - started))));
        }
        assert.deepEqual(slow, [], `of ${asks} asks`);
        assert.ok(asks > 4, `${asks} asks while loading`);
        assert.equal(
          sampleValue(metrics, 'tls_sli_exporter_cert_file_errors_total', {
            reason: 'pkcs12_iterations',
          }),
          1,
        );
        const logged = await exporter.waitForLog((l) => l.msg === 'cannot read certificate file');
        assert.equal(logged['path'], join(dir, 'costly.p12'));
        assert.equal(
          logged['detail'],
          `PKCS#12 asks for ${MAX_PKCS12_ITERATIONS + 1} key-derivation iterations, over the limit of ${MAX_PKCS12_ITERATIONS}`,
        );
      } finally {
        exporter.child.kill();
        await exporter.exited;
      }
    });
  });
});
