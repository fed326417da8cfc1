// The positions file: for each followed file, its identity (device, inode and a fingerprint of
// its first bytes, so a reused inode is not taken for the same file) and the offset up to which
// every complete line has been counted and published. Written atomically: a temp file in the
// same directory, fsync, rename over the old one, fsync the directory. Reading never throws: a
// missing, empty or corrupt file is reported and treated as absent.
import { createHash } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Bytes at the start of a file that identify it together with (dev, inode). */
export const FINGERPRINT_BYTES = 256;

export interface FilePosition {
  /** the path it was followed under */
  readonly path: string;
  /** `dev:ino`, as identityOf() writes it */
  readonly id: string;
  /** sha256 (hex) of the first `fingerprintBytes` bytes */
  readonly fingerprint: string;
  readonly fingerprintBytes: number;
  readonly offset: number;
}

export type PositionsProblem = 'read' | 'corrupt' | 'write';

export function fingerprintOf(firstBytes: Buffer): string {
  return createHash('sha256').update(firstBytes).digest('hex');
}

const FORMAT_VERSION = 1;

function isPosition(v: unknown): v is FilePosition {
  if (typeof v !== 'object' || v === null) return false;
  const p = v as Record<string, unknown>;
  return (
    typeof p['path'] === 'string' &&
    typeof p['id'] === 'string' &&
    /^[0-9a-f]{64}$/.test(String(p['fingerprint'])) &&
    Number.isSafeInteger(p['fingerprintBytes']) &&
    (p['fingerprintBytes'] as number) >= 0 &&
    (p['fingerprintBytes'] as number) <= FINGERPRINT_BYTES &&
    Number.isSafeInteger(p['offset']) &&
    (p['offset'] as number) >= 0
  );
}

/** Parses the file's text; undefined with a reason when it is not a positions file. */
export function parsePositions(
  text: string,
): { ok: true; positions: FilePosition[] } | { ok: false; detail: string } {
  if (text.trim() === '') return { ok: false, detail: 'the file is empty' };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { ok: false, detail: `not JSON: ${(err as Error).message}` };
  }
  const doc = data as { version?: unknown; files?: unknown };
  if (typeof data !== 'object' || data === null || doc.version !== FORMAT_VERSION)
    return { ok: false, detail: `expected {"version": ${FORMAT_VERSION}, "files": [...]}` };
  if (!Array.isArray(doc.files) || !doc.files.every(isPosition))
    return {
      ok: false,
      detail: 'files: expected a list of {path, id, fingerprint, fingerprintBytes, offset}',
    };
  return { ok: true, positions: doc.files };
}

export function formatPositions(positions: readonly FilePosition[]): string {
  return `${JSON.stringify({ version: FORMAT_VERSION, files: positions }, null, 1)}\n`;
}

export class PositionsFile {
  constructor(
    readonly path: string,
    private readonly onProblem: (problem: PositionsProblem, detail: string) => void,
  ) {}

  /** What was saved; empty (and reported) when the file is missing, empty or corrupt. */
  async load(): Promise<FilePosition[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // the first start: nothing saved yet, nothing to report
      if (code === 'ENOENT') return [];
      this.onProblem('read', `${this.path}: ${code ?? String(err)}`);
      return [];
    }
    const parsed = parsePositions(text);
    if (!parsed.ok) {
      this.onProblem('corrupt', `${this.path}: ${parsed.detail}`);
      return [];
    }
    return parsed.positions;
  }

  /** Replaces the file atomically; false (and reported) when it could not be written. */
  async save(positions: readonly FilePosition[]): Promise<boolean> {
    const dir = dirname(this.path);
    const temp = join(dir, `.${basename(this.path)}.${process.pid}.tmp`);
    try {
      const handle = await open(temp, 'w', 0o600);
      try {
        await handle.writeFile(formatPositions(positions));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.path);
      const dirHandle = await open(dir, 'r');
      try {
        await dirHandle.sync();
      } finally {
        await dirHandle.close();
      }
      return true;
    } catch (err) {
      await rm(temp, { force: true }).catch(() => undefined);
      const code = (err as NodeJS.ErrnoException).code;
      this.onProblem('write', `${this.path}: ${code ?? String(err)}`);
      return false;
    }
  }
}
