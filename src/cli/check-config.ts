// `check-config`: the config file as serving would load it, and the files it names as serving
// would read them; every problem at once.
import { Command } from 'commander';
import { envName, flagOrEnv, type Env, type Flags } from '../config/overrides.js';
import { ExporterError, problemsOf } from '../errors.js';
import { resolveConfig } from '../main.js';
import { CONFIG_FLAG, flagsOf } from './flags.js';

async function checkConfig(fileArg: string | undefined, flags: Flags, env: Env): Promise<void> {
  const file = fileArg ?? flagOrEnv(CONFIG_FLAG, flags, env)?.value;
  if (file === undefined) {
    process.stderr.write(
      `check-config: give a file, or --${CONFIG_FLAG}, or ${envName(CONFIG_FLAG)}\n`,
    );
    process.exitCode = 2;
    return;
  }
  try {
    const config = await resolveConfig(file, flags, env);
    // the files it names, as serving would read them: all problems at once
    const { fileProblems } = await import('./file-checks.js');
    const problems = await fileProblems(config, file);
    if (problems.length > 0) throw new ExporterError('CONFIG_INVALID', problems.join('\n'));
    process.stdout.write(`${file}: OK\n`);
  } catch (err) {
    for (const problem of problemsOf(err)) process.stderr.write(`${problem}\n`);
    process.stderr.write(`${file}: FAILED\n`);
    process.exitCode = 1;
  }
}

/** `check-config [file]`: exit 0 when valid, else every problem and exit 1. */
export function checkConfigCommand(env: Env): Command {
  return new Command('check-config')
    .description('validate a config file: exit 0 when valid, else list every problem and exit 1')
    .argument('[file]', `config file (default: --${CONFIG_FLAG})`)
    .action(async (file: string | undefined, _opts, cmd: Command) =>
      checkConfig(file, flagsOf(cmd), env),
    );
}
