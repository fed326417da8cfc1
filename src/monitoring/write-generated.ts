// Writes the generated files under a root directory, or checks that the ones there are
// identical (what CI runs: a committed file that drifted from the generator fails).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export async function writeGenerated(
  root: string,
  files: ReadonlyMap<string, string>,
): Promise<string[]> {
  for (const [path, content] of files) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return [...files.keys()];
}

/** The files whose committed content differs from the generator's (missing files included). */
export async function driftedFiles(
  root: string,
  files: ReadonlyMap<string, string>,
): Promise<string[]> {
  const drifted: string[] = [];
  for (const [path, content] of files) {
    const current = await readFile(join(root, path), 'utf8').catch(() => undefined);
    if (current !== content) drifted.push(path);
  }
  return drifted;
}
