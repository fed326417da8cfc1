// For tests of `generate` with an optional alert: run a command to its end, read the alert names
// of a rules file, and generate with the alert's flag and check what comes out with promtool.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { BIN } from './cli-process.js';

/** `cmd` run to its end: its status and its output; the command must be installed. */
export function run(cmd: string, args: readonly string[]): { status: number | null; out: string } {
  const result = spawnSync(cmd, args, { encoding: 'utf8' });
  assert.equal(result.error, undefined, `${cmd} must be installed (the test command installs it)`);
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

/** The alerts a Prometheus rules file defines, in order. */
export const alertNames = (rules: string): string[] =>
  (parse(rules) as { groups: Array<{ rules: Array<{ alert?: string }> }> }).groups.flatMap((g) =>
    g.rules.flatMap((r) => (r.alert === undefined ? [] : [r.alert])),
  );

/**
 * `generate --dir DIR FLAG VALUE` by the built CLI: each rules file of `files` (in alerts/) names
 * `alert`, its expression matches `expr`, and `promtool check rules` accepts it; then `promtool
 * test rules` passes `tests` (in alerts/tests/). Answers the path of that tests file.
 */
export async function generatedWithAlert(
  dir: string,
  [flag, value]: readonly [string, string],
  alert: string,
  expr: RegExp,
  files: readonly string[],
  tests: string,
): Promise<string> {
  const generated = run(process.execPath, [BIN, 'generate', '--dir', dir, flag, value]);
  assert.equal(generated.status, 0, generated.out);
  for (const file of files) {
    const rules = join(dir, 'alerts', file);
    const text = await readFile(rules, 'utf8');
    assert.ok(alertNames(text).includes(alert), file);
    assert.match(text, expr);
    const checked = run('promtool', ['check', 'rules', rules]);
    assert.equal(checked.status, 0, checked.out);
  }
  const testsFile = join(dir, 'alerts/tests', tests);
  const tested = run('promtool', ['test', 'rules', testsFile]);
  assert.equal(tested.status, 0, tested.out);
  assert.match(tested.out, /SUCCESS/);
  return testsFile;
}
