// Config problems. Loading never stops at the first problem: a ConfigError carries every problem
// found, each naming the file, the line and column, and the YAML path it is about.
import { ExporterError } from '../errors.js';

export interface ConfigProblem {
  readonly file: string;
  /** 1-based; absent when the problem has no place in the file (e.g. it cannot be read) */
  readonly line?: number;
  readonly column?: number;
  /** e.g. `access_logs[0].start_at`; empty for the document itself */
  readonly path: string;
  readonly message: string;
}

export function formatProblem(p: ConfigProblem): string {
  const place = p.line === undefined ? p.file : `${p.file}:${p.line}:${p.column ?? 1}`;
  return p.path === '' ? `${place} ${p.message}` : `${place} ${p.path}: ${p.message}`;
}

export class ConfigError extends ExporterError {
  readonly problems: readonly ConfigProblem[];

  constructor(
    code: 'CONFIG_INVALID' | 'CONFIG_READ_FAILED',
    problems: readonly ConfigProblem[],
    options?: { cause?: unknown },
  ) {
    super(code, problems.map(formatProblem).join('\n'), options);
    this.problems = problems;
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}
