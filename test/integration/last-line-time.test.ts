// tls_sli_exporter_log_last_line_timestamp_seconds over real files and a hand-moved clock: it is
// when the last complete line was read, for the byte fast path (JSON) and the text path alike.
import { strict as assert } from 'node:assert';
import { appendFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AccessLogService } from '../../src/accesslog/access-log-service.js';
import { parseConfigText } from '../../src/config/load.js';
import { LogFamilies } from '../../src/metrics/log-families.js';
import { istio, listenerJson } from '../support/envoy-lines.js';
import { memoryLogger } from '../support/logs.js';
import { withTempDir } from '../support/tmp.js';

const CASES = [
  ['envoy_listener_json', () => listenerJson({ REQUESTED_SERVER_NAME: 'a.example' })],
  ['istio', () => istio({ REQUESTED_SERVER_NAME: 'a.example' })],
] as const;

describe('last line time', () => {
  it('after a restart that resumes at the end: the file\'s last write, not 0 (no false "stalled")', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'access.log');
      await writeFile(path, `${listenerJson({ REQUESTED_SERVER_NAME: 'a.example' })}\n`);
      const written = 1_764_000_000; // the last line Envoy wrote, before the restart
      await utimes(path, written, written);
      const families = new LogFamilies();
      const service = new AccessLogService({
        families,
        logger: memoryLogger().logger,
        now: () => 1_764_000_600_000,
        watch: false,
      });
      await service.apply(
        parseConfigText(
          `access_logs:\n  - {name: t, path: ${JSON.stringify(path)}, format: envoy_listener_json, start_at: end}\n`,
          'test.yml',
        ),
      );
      try {
        assert.equal([...families.lastLine.samples()][0]?.value, written);
      } finally {
        await service.stop();
      }
    });
  });

  for (const [format, line] of CASES) {
    it(`${format}: moves when a complete line is read, not on a poll or a partial line`, async () => {
      await withTempDir(async (dir) => {
        const path = join(dir, 'access.log');
        await writeFile(path, '');
        let clock = 1_000_000;
        const families = new LogFamilies();
        const service = new AccessLogService({
          families,
          logger: memoryLogger().logger,
          now: () => clock,
          watch: false,
        });
        const lastLine = (): number | undefined => [...families.lastLine.samples()][0]?.value;
        await service.apply(
          parseConfigText(
            `access_logs:\n  - {name: t, path: ${JSON.stringify(path)}, format: ${format}, start_at: beginning}\n`,
            'test.yml',
          ),
        );
        try {
          await appendFile(path, `${line()}\n${line()}\n`);
          await service.pollAll();
          assert.equal(lastLine(), 1000);
          clock = 2_000_000;
          await service.pollAll();
          assert.equal(lastLine(), 1000, 'a poll with nothing new');
          clock = 3_000_000;
          const text = line();
          await appendFile(path, text.slice(0, 20));
          await service.pollAll();
          assert.equal(lastLine(), 1000, 'a partial line');
          clock = 4_000_000;
          await appendFile(path, `${text.slice(20)}\n`);
          await service.pollAll();
          assert.equal(lastLine(), 4000);
        } finally {
          await service.stop();
        }
      });
    });
  }
});
