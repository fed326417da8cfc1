// A source file generated from another and committed (the WebAssembly module, the status page's
// script): written, or with `--check` compared, failing when the committed file is not what the
// source gives (the test command runs each check, like `generate --check`).
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));

/** Writes `text` to `target` (relative to the repository), or checks it with --check. */
export async function writeOrCheck({ source, target, text, command, wrote }) {
  const path = `${root}/${target}`;
  if (process.argv.includes('--check')) {
    const current = await readFile(path, 'utf8').catch(() => '');
    if (current !== text) {
      process.stderr.write(`${target} is not what ${source} compiles to: run ${command}\n`);
      process.exit(1);
    }
    process.stdout.write(`${target} matches ${source}\n`);
  } else {
    await writeFile(path, text);
    process.stdout.write(`wrote ${target} (${wrote})\n`);
  }
}
