// A reload reads its config in a worker thread: the same config, and the same problems with their
// file, line and path, as reading it on the main thread.
import { strict as assert } from 'node:assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../../../src/config/errors.js';
import { loadConfigFile } from '../../../src/config/load.js';
import { loadConfigFileInThread } from '../../../src/config/load-in-thread.js';
import { withTempDir } from '../../support/tmp.js';

const CASES: ReadonlyArray<[string, string]> = [
  [
    'valid, with probes and certificate files',
    [
      'probes:',
      '  modules: { mtls: { expect_client_auth: true } }',
      '  targets:',
      ...Array.from(
        { length: 50 },
        (_, i) => `    - { name: t${i}, address: 'es${i}.logging.svc:9200', module: mtls }`,
      ),
      'cert_files:',
      "  - { name: envoy, paths: ['/etc/envoy/certs/**/*.pem'] }",
    ].join('\n'),
  ],
  ['a wrong type and an unknown key', 'probes:\n  timeout: soon\n  tragets: []\n'],
  ['broken YAML', 'probes: [\n'],
];

async function outcome(load: (file: string) => Promise<unknown>, file: string): Promise<unknown> {
  try {
    return { config: await load(file) };
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return { code: err.code, problems: err.problems, message: err.message };
  }
}

describe('config read in a worker thread', function () {
  this.timeout(20_000);

  for (const [name, text] of CASES) {
    it(`${name}: what the main thread reads`, async () => {
      await withTempDir(async (dir) => {
        const file = join(dir, 'c.yml');
        await writeFile(file, text);
        assert.deepEqual(
          await outcome(loadConfigFileInThread, file),
          await outcome(loadConfigFile, file),
        );
      });
    });
  }

  it('a file that cannot be read: CONFIG_READ_FAILED naming it', async () => {
    await assert.rejects(
      loadConfigFileInThread('/nonexistent/c.yml'),
      (err) => err instanceof ConfigError && err.code === 'CONFIG_READ_FAILED',
    );
  });
});
