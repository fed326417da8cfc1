// Golden files: a sample log per preset and the exposition it must produce. Regenerate with
// UPDATE_GOLDEN=1 after a deliberate change, and review the diff.
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parserFor } from '../../../src/accesslog/parse/parser-for.js';
import { PRESET_NAMES } from '../../../src/accesslog/parse/presets.js';
import { parseConfigText } from '../../../src/config/load.js';
import { METRICS } from '../../../src/metrics/catalog.js';
import { harness } from '../../support/pipeline-harness.js';

const DIR = fileURLToPath(new URL('../../golden/', import.meta.url));
const ALLOW = [
  '*.example.com',
  'audit-gw.example.internal',
  'orders_backend',
  'audit_splunk',
  'plain_backend',
  'outbound|*||**',
];

describe('golden files: sample log per preset -> exposition', () => {
  for (const preset of PRESET_NAMES) {
    it(preset, async () => {
      const config = parseConfigText(
        `access_logs:\n  - {name: golden, path: /x, format: ${preset}}\n`,
        'c.yml',
      );
      const log = config.access_logs[0];
      assert.ok(log);
      const h = harness(parserFor(log).parser, { log: 'golden', allow: ALLOW });
      const lines = readFileSync(`${DIR}${preset}.log`, 'utf8').split('\n');
      lines.pop(); // the file ends with a newline
      for (const line of lines) h.pipeline.line(line);
      const samples = await h.samples(
        METRICS.handshakeSuccess.name,
        METRICS.handshakeFailures.name,
        METRICS.logLines.name,
        METRICS.labelValuesFolded.name,
      );
      const nonZero = samples.filter((l) => !l.endsWith(' 0'));
      const zeroFailures = samples.filter(
        (l) => l.startsWith(METRICS.handshakeFailures.name) && l.endsWith(' 0'),
      );
      const actual = `${nonZero.join('\n')}\n# failure series at 0: ${zeroFailures.length}\n`;
      const file = `${DIR}${preset}.prom`;
      if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(file, actual);
      assert.equal(actual, readFileSync(file, 'utf8'));
    });
  }
});
