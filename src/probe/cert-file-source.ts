// Finds and reads the certificate files of the `cert_files` config: files, directories (the
// files directly in them) and globs (`**` crosses directories). Kubernetes Secret volumes are
// read through their stable names: the `..data` and `..<timestamp>` directories behind them are
// not walked, so a symlink swap shows the new certificate under the same path. Every scan reads
// every file again; a removed file simply is not in the next result.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { isGlob, pathGlob } from '../config/globs.js';
import type { Config } from '../config/schema.js';
import type { CertFileErrorReason } from '../domain/exporter-words.js';
import { cachedCertFacts } from '../certs/inspect/cert-facts.js';
import { parsePlainCertFile } from '../certs/files/cert-file-parse.js';
import { keystoreReader } from '../certs/pkcs12/keystore-reader.js';
import { filePositionOf, type PositionedCert } from './probe-result.js';

const MAX_DEPTH = 16;
/** files one `cert_files` entry may name; past it the scan stops and says so */
export const MAX_FILES = 10_000;
/** a certificate file larger than this is refused unread (bundles are kilobytes) */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export type CertFileError = (reason: CertFileErrorReason, path: string, detail: string) => void;

function globBase(pattern: string): string {
  const parts = pattern.split('/');
  const firstGlob = parts.findIndex((p) => /[*?[]/.test(p));
  return parts.slice(0, firstGlob).join('/') || (pattern.startsWith('/') ? '/' : '.');
}

/** Files found so far; `capped` once MAX_FILES were taken and more were there. */
interface Found {
  readonly files: Set<string>;
  capped: boolean;
}

function take(found: Found, path: string): boolean {
  if (found.files.has(path)) return true;
  if (found.files.size >= MAX_FILES) {
    found.capped = true;
    return false;
  }
  found.files.add(path);
  return true;
}

async function walk(dir: string, depth: number, out: string[]): Promise<void> {
  if (depth > MAX_DEPTH) return;
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
    // enough to fill the cap twice over: the glob filter below may drop many of them
    if (out.length > 2 * MAX_FILES) return;
  }
}

export async function expandPaths(
  patterns: readonly string[],
  exclude: readonly string[],
): Promise<{ paths: string[]; capped: boolean }> {
  const excluded = exclude.map(pathGlob);
  const wanted = (p: string): boolean => !excluded.some((x) => x.test(p.split(sep).join('/')));
  const found: Found = { files: new Set(), capped: false };
  for (const pattern of patterns) {
    if (isGlob(pattern)) {
      const files: string[] = [];
      await walk(globBase(pattern), 0, files);
      const matcher = pathGlob(pattern);
      for (const f of files) if (matcher.test(f) && wanted(f) && !take(found, f)) break;
      if (files.length > 2 * MAX_FILES) found.capped = true;
      continue;
    }
    const st = await stat(pattern).catch(() => undefined);
    if (st?.isFile()) {
      if (wanted(pattern)) take(found, pattern);
    } else if (st?.isDirectory()) {
      for (const e of (await readdir(pattern).catch(() => [] as string[])).sort()) {
        if (e.startsWith('..')) continue;
        const path = join(pattern, e);
        if (!wanted(path) || !(await stat(path).catch(() => undefined))?.isFile()) continue;
        if (!take(found, path)) break;
      }
    }
  }
  return { paths: [...found.files].sort(), capped: found.capped };
}

/** Reads every configured certificate file: path -> its certificates (leaf first, as stored). */
export async function scanCertFiles(
  entries: Config['cert_files'],
  onError: CertFileError,
  /** what each file's certificates become before they are published (revocation checks) */
  check: (
    entry: Config['cert_files'][number],
    certs: PositionedCert[],
  ) => Promise<PositionedCert[]> = (_entry, certs) => Promise.resolve(certs),
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
    const { paths, capped } = await expandPaths(entry.paths, entry.exclude);
    if (capped) {
      onError(
        'scan_capped',
        entry.name,
        `more than ${MAX_FILES} files: the first ${MAX_FILES} were read, the rest skipped`,
      );
    }
    for (const path of paths) {
      let bytes: Buffer;
      try {
        const st = await stat(path);
        if (st.size > MAX_FILE_BYTES) {
          onError('too_large', path, `${st.size} bytes, over the ${MAX_FILE_BYTES}-byte limit`);
          continue;
        }
        bytes = await readFile(path);
      } catch (err) {
        onError('unreadable', path, (err as NodeJS.ErrnoException).code ?? String(err));
        continue;
      }
      const plain = parsePlainCertFile(bytes);
      const parsed = plain.ok === 'pkcs12' ? await keystoreReader().read(bytes, password) : plain;
      if (parsed.ok === 'skip') continue;
      if (!parsed.ok) {
        onError(parsed.reason, path, parsed.detail);
        continue;
      }
      const certs = parsed.certs.map((der) => {
        const facts = cachedCertFacts(der);
        return { position: filePositionOf(facts), facts };
      });
      result.set(path, await check(entry, certs));
    }
  }
  return result;
}
