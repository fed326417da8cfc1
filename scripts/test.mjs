// The test command (`npm test`, run by .ci/run): build, typecheck, lint, then every mocha suite
// under c8 coverage, and the image built from docker/Dockerfile and run (scripts/test-image.mjs).
// Each check step counts as one test, and so does the check that no test left a tls-sli-* entry in
// the temporary directory; the run ends with the line
// `N passed, N failed` alone, and exits non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import { ensureTools, IMAGE_TOOLS, TEST_TOOLS } from './tools.mjs';
import { readdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const npx = (args) => ['npx', ['--no-install', ...args]];
const cli = (args) => [process.execPath, ['bin/tls-sli-exporter.js', ...args]];
const ruleTests = () =>
  readdirSync('alerts/tests')
    .filter((f) => f.endsWith('.yml'))
    .map((f) => `alerts/tests/${f}`);
const AM = 'alerts/alertmanager.example.yml';
/** amtool's verdict on where the shipped routing sends an alert with these labels */
const routeTest = (what, receiver, ...labels) => [
  `amtool routes: ${what}`,
  [
    'amtool',
    [
      'config',
      'routes',
      'test',
      `--config.file=${AM}`,
      `--verify.receivers=${receiver}`,
      ...labels,
    ],
  ],
];
const STEPS = [
  ['build', ['npm', ['run', '--silent', 'build']]],
  [
    'image: docker/Dockerfile built and run (npm run test:image)',
    [process.execPath, ['scripts/test-image.mjs']],
  ],
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
  [
    'promtool check rules (English and Chinese)',
    ['promtool', ['check', 'rules', 'alerts/tls-sli.rules.yml', 'alerts/tls-sli.rules.zh-CN.yml']],
  ],
  ['promtool test rules', () => ['promtool', ['test', 'rules', ...ruleTests()]]],
  [
    'promtool check config (example)',
    ['promtool', ['check', 'config', 'alerts/prometheus.example.yml']],
  ],
  ['amtool check-config', ['amtool', ['check-config', AM]]],
  routeTest('critical pages', 'pager', 'severity=critical'),
  routeTest(
    'info (a finding, never an outage) goes to chat',
    'chat',
    'severity=info',
    'alertname=TLSUnusedCertificateExpired',
  ),
  routeTest('warning goes to chat', 'chat', 'severity=warning'),
];

// what the tests make in the temporary directory is named tls-sli-*: none may outlive the run
const ours = () => readdirSync(tmpdir()).filter((name) => name.startsWith('tls-sli-'));
const before = new Set(ours());

let passed = 0;
let failed = 0;

if (ensureTools([...TEST_TOOLS, ...IMAGE_TOOLS])) passed += 1;
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

const leftovers = ours().filter((name) => !before.has(name));
process.stdout.write(
  `\n== no temporary files left behind: ${leftovers.length === 0 ? 'ok' : 'FAILED'}\n`,
);
if (leftovers.length === 0) passed += 1;
else {
  failed += 1;
  for (const name of leftovers) {
    process.stdout.write(`   left behind: ${join(tmpdir(), name)}\n`);
    rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exitCode = failed === 0 ? 0 : 1;
