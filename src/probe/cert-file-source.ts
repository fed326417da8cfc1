// Finds and reads the certificate files of the `cert_files` config: files, directories (the
// files directly in them) and globs (`**` crosses directories). Kubernetes Secret volumes are
// read through their stable names: the `..data` and `..<timestamp>` directories behind them are
// not walked, so a symlink swap shows the new certificate under the same path. Every scan reads
// every file again; a removed file simply is not in the next result.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { isGlob, pathGlob } from '../config/path-glob.js';
import type { Config } from '../config/schema.js';
import type { CertFileErrorReason } from '../metrics/label-values.js';
import { cachedCertFacts } from './inspect/cert-facts.js';
import { parseCertFile } from './cert-file-parse.js';
import { filePositionOf, type PositionedCert } from './probe-result.js';

const MAX_DEPTH = 16;
const MAX_FILES = 10_000;
const MAX_FILE_BYTES = 10 * 1024 * 1024;

export type CertFileError = (reason: CertFileErrorReason, path: string, detail: string) => void;

function globBase(pattern: string): string {
  const parts = pattern.split('/');
  const firstGlob = parts.findIndex((p) => /[*?[]/.test(p));
  return parts.slice(0, firstGlob).join('/') || (pattern.startsWith('/') ? '/' : '.');
}

async function walk(dir: string, depth: number, out: string[]): Promise<void> {
  if (depth > MAX_DEPTH || out.length >= MAX_FILES) return;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.name.startsWith('..')) continue; // Kubernetes' atomic-writer internals
    const path = join(dir, e.name);
    const st = await stat(path).catch(() => undefined);
    if (st?.isDirectory()) await walk(path, depth + 1, out);
    else if (st?.isFile()) out.push(path);
  }
}

export async function expandPaths(
  patterns: readonly string[],
  exclude: readonly string[],
): Promise<string[]> {
  const found = new Set<string>();
  for (const pattern of patterns) {
    if (isGlob(pattern)) {
      const files: string[] = [];
      await walk(globBase(pattern), 0, files);
      const matcher = pathGlob(pattern);
      for (const f of files) if (matcher.test(f)) found.add(f);
      continue;
    }
    const st = await stat(pattern).catch(() => undefined);
    if (st?.isFile()) found.add(pattern);
    else if (st?.isDirectory()) {
      for (const e of await readdir(pattern).catch(() => [] as string[])) {
        if (e.startsWith('..')) continue;
        const path = join(pattern, e);
        if ((await stat(path).catch(() => undefined))?.isFile()) found.add(path);
      }
    }
  }
  const excluded = exclude.map(pathGlob);
  return [...found].filter((p) => !excluded.some((x) => x.test(p.split(sep).join('/')))).sort();
}

/** Reads every configured certificate file: path -> its certificates (leaf first, as stored). */
export async function scanCertFiles(
  entries: Config['cert_files'],
  onError: CertFileError,
): Promise<Map<string, PositionedCert[]>> {
  const result = new Map<string, PositionedCert[]>();
  for (const entry of entries) {
    let password: string | undefined;
    if (entry.password_file !== undefined) {
      try {
        password = (await readFile(entry.password_file, 'utf8')).replace(/\r?\n$/, '');
      } catch (err) {
        onError(
          'unreadable',
          entry.password_file,
          `password_file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
        );
      }
    }
    for (const path of await expandPaths(entry.paths, entry.exclude)) {
      let bytes: Buffer;
      try {
        const st = await stat(path);
        if (st.size > MAX_FILE_BYTES) {
          onError('corrupt', path, `larger than ${MAX_FILE_BYTES} bytes`);
          continue;
        }
        bytes = await readFile(path);
      } catch (err) {
        onError('unreadable', path, (err as NodeJS.ErrnoException).code ?? String(err));
        continue;
      }
      const parsed = parseCertFile(bytes, password);
      if (parsed.ok === 'skip') continue;
      if (!parsed.ok) {
        onError(parsed.reason, path, parsed.detail);
        continue;
      }
      result.set(
        path,
        parsed.certs.map((der) => {
          const facts = cachedCertFacts(der);
          return { position: filePositionOf(facts), facts };
        }),
      );
    }
  }
  return result;
}
