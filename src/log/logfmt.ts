// logfmt rendering of one pino record, in the shape Prometheus' own components log:
// `time=… level=info msg="…" key=value`. Pure; nested objects are flattened with dots.

// eslint-disable-next-line no-control-regex -- control characters must force quoting
const BARE = /^[^\s"=\\\x00-\x1f]+$/;

function textOf(value: unknown): string {
  if (value instanceof Error) return value.message;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return `${value}`;
  }
  if (value === undefined) return '';
  return JSON.stringify(value) ?? typeof value;
}

export function logfmtValue(value: unknown): string {
  const text = textOf(value);
  return BARE.test(text) ? text : JSON.stringify(text);
}

function flatten(prefix: string, value: unknown, out: string[]): void {
  if (value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Error)) {
    const entries = Object.entries(value as Record<string, unknown>);
    // pino serialises errors as { type, message, stack }: keep the message and the code only.
    if ('message' in value && 'stack' in value) {
      const err = value as { message: unknown; code?: unknown };
      out.push(`${prefix}=${logfmtValue(err.message)}`);
      if (err.code !== undefined) out.push(`${prefix}_code=${logfmtValue(err.code)}`);
      return;
    }
    for (const [k, v] of entries) flatten(prefix === '' ? k : `${prefix}.${k}`, v, out);
    return;
  }
  out.push(`${prefix}=${logfmtValue(value)}`);
}

const FIRST = ['time', 'level', 'msg'] as const;

export function toLogfmt(record: Readonly<Record<string, unknown>>): string {
  const out: string[] = [];
  for (const key of FIRST) if (record[key] !== undefined) flatten(key, record[key], out);
  for (const [key, value] of Object.entries(record)) {
    if (!(FIRST as readonly string[]).includes(key)) flatten(key, value, out);
  }
  return out.join(' ');
}
