// The test command (`npm test`, run by .ci/run): build, typecheck, lint, then every mocha suite
// under c8 coverage. Each check step counts as one test; the run ends with the line
// `N passed, N failed` alone, and exits non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const npx = (args) => ['npx', ['--no-install', ...args]];
const STEPS = [
  ['build', ['npm', ['run', '--silent', 'build']]],
  ['typecheck', npx(['tsc', '-p', 'tsconfig.json'])],
  ['lint', npx(['eslint', '.'])],
  ['format', npx(['prettier', '--check', '--log-level', 'warn', '.'])],
];

let passed = 0;
let failed = 0;

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
  if (run(name, command)) passed += 1;
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
