// Typed errors: every error the exporter throws on purpose carries a stable `code` that callers,
// logs and tests match on, and keeps the underlying `cause`.

export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'CONFIG_READ_FAILED'
  | 'FLAG_INVALID'
  | 'LISTEN_FAILED'
  | 'PROBE_MODULE_INVALID'
  | 'TARGET_NOT_ALLOWED';

export class ExporterError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The problems an error reports, one per line (a ConfigError's message is one per line). */
export function problemsOf(err: unknown): string[] {
  if (err instanceof ExporterError) return err.message.split('\n');
  return [err instanceof Error ? err.message : String(err)];
}
