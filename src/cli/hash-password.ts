// `hash-password`: a bcrypt hash for the web config's basic_auth_users.
import { Command } from 'commander';

/** The password is the first line of stdin (never an argument: it would be in the shell history). */
async function hashPassword(cost: number): Promise<void> {
  if (!Number.isInteger(cost) || cost < 4 || cost > 15) {
    process.stderr.write('hash-password: --cost must be an integer from 4 to 15\n');
    process.exitCode = 2;
    return;
  }
  let input = '';
  for await (const chunk of process.stdin) input += String(chunk);
  const password = input.split(/\r?\n/)[0] ?? '';
  if (password === '') {
    process.stderr.write('hash-password: no password on standard input\n');
    process.exitCode = 2;
    return;
  }
  const { default: bcrypt } = await import('bcryptjs');
  process.stdout.write(`${await bcrypt.hash(password, cost)}\n`);
}

/** `hash-password [--cost n]`. */
export function hashPasswordCommand(): Command {
  return new Command('hash-password')
    .description(
      'print the bcrypt hash of a password read from standard input, for basic_auth_users (where htpasswd is not installed)',
    )
    .option('--cost <n>', 'bcrypt cost', '10')
    .action(async (opts: { cost: string }) => hashPassword(Number(opts.cost)));
}
