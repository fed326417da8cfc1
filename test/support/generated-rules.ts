// For tests of `generate` with an optional alert: run a command to its end, and read the alert
// names of a rules file.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { parse } from 'yaml';

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
