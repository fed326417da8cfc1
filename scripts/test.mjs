// The test command (`npm test`, run by .ci/run): build, typecheck, lint, then every mocha suite
// under c8 coverage. Each check step counts as one test; the run ends with the line
// `N passed, N failed` alone, and exits non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import { readdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Tools the tests run for real, and the Debian package of each. Installed when missing (CI runs
// as root); never skipped: without them the run fails.
const TOOLS = [
  ['promtool', 'prometheus'],
  ['amtool', 'prometheus-alertmanager'],
  ['openssl', 'openssl'],
  ['chromium', 'chromium'],
];

function has(tool) {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

function ensureTools() {
  const missing = TOOLS.filter(([tool]) => !has(tool));
  if (missing.length === 0) return true;
  const packages = [...new Set(missing.map(([, pkg]) => pkg))];
  if (process.getuid?.() !== 0) {
    process.stderr.write(
      `missing ${missing.map(([t]) => t).join(', ')}: install the Debian packages ${packages.join(' ')}\n`,
    );
    return false;
  }
  process.stdout.write(`\n== installing ${packages.join(' ')}\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], {
    stdio: 'inherit',
    env,
  });
  return TOOLS.every(([tool]) => has(tool));
}

const npx = (args) => ['npx', ['--no-install', ...args]];
const cli = (args) => [process.execPath, ['bin/tls-sli-exporter.js', ...args]];
const ruleTests = () =>
  readdirSync('alerts/tests')
    .filter((f) => f.endsWith('.yml'))
    .map((f) => `alerts/tests/${f}`);
const AM = 'alerts/alertmanager.example.yml';
const STEPS = [
  ['build', ['npm', ['run', '--silent', 'build']]],
  ['typecheck', npx(['tsc', '-p', 'tsconfig.json'])],
  ['typecheck (status page script, DOM)', npx(['tsc', '-p', 'web/tsconfig.json'])],
  ['lint', npx(['eslint', '.'])],
  ['format', npx(['prettier', '--check', '--log-level', 'warn', '.'])],
  ['generated files up to date', cli(['generate', '--check'])],
  ['WebAssembly module up to date', [process.execPath, ['scripts/build-wasm.mjs', '--check']]],
  [
    'status page script up to date',
    [process.execPath, ['scripts/build-status-script.mjs', '--check']],
  ],
  ['promtool check rules', ['promtool', ['check', 'rules', 'alerts/tls-sli.rules.yml']]],
  ['promtool test rules', () => ['promtool', ['test', 'rules', ...ruleTests()]]],
  [
    'promtool check config (example)',
    ['promtool', ['check', 'config', 'alerts/prometheus.example.yml']],
  ],
  ['amtool check-config', ['amtool', ['check-config', AM]]],
  [
    'amtool routes: critical pages',
    [
      'amtool',
      [
        'config',
        'routes',
        'test',
        `--config.file=${AM}`,
        '--verify.receivers=pager',
        'severity=critical',
      ],
    ],
  ],
  [
    'amtool routes: warning goes to chat',
    [
      'amtool',
      [
        'config',
        'routes',
        'test',
        `--config.file=${AM}`,
        '--verify.receivers=chat',
        'severity=warning',
      ],
    ],
  ],
];

let passed = 0;
let failed = 0;

if (ensureTools()) passed += 1;
else failed += 1;

function run(name, [cmd, args], env = process.env) {
  process.stdout.write(`\n== ${name}: ${cmd} ${args.join(' ')}\n`);
  const result = spawnSync(cmd, args, { stdio: 'inherit', env });
  const ok = result.status === 0;
  process.stdout.write(
    `== ${name}: ${ok ? 'ok' : `FAILED (exit ${result.status ?? result.signal})`}\n`,
  );
  return ok;
}

for (const [name, command] of STEPS) {
  if (run(name, typeof command === 'function' ? command() : command)) passed += 1;
  else failed += 1;
}

const dir = mkdtempSync(join(tmpdir(), 'tls-sli-test-'));
const countsFile = join(dir, 'counts.json');
const mochaOk = run('mocha', npx(['c8', '--reporter=text-summary', '--reporter=lcov', 'mocha']), {
  ...process.env,
  TEST_COUNTS_FILE: countsFile,
});
try {
  const counts = JSON.parse(readFileSync(countsFile, 'utf8'));
  passed += counts.passes;
  failed += counts.failures;
} catch {
  // mocha died before reporting: count the whole suite as one failure
  failed += 1;
}
if (!mochaOk && failed === 0) failed += 1;
rmSync(dir, { recursive: true, force: true });

process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exitCode = failed === 0 ? 0 : 1;
