// Runs the built CLI (bin/tls-sli-exporter.js → dist/) as a child process, the way users run it,
// and reads its JSON log lines to learn the address it bound.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/tls-sli-exporter.js', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

export interface LogLine {
  readonly level: string;
  readonly msg: string;
  readonly [key: string]: unknown;
}

export interface CliProcess {
  readonly child: ChildProcess;
  readonly logs: LogLine[];
  readonly stderr: () => string;
  /** resolves with the first log line matching, rejects after `timeoutMs` */
  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function assertBuilt(): void {
  if (!existsSync(DIST)) throw new Error(`${DIST} is missing: run "npm run build" first`);
}

export function spawnCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  assertBuilt();
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env['PATH'], ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  let stderr = '';
  let pending = '';
  const waiters: Array<() => void> = [];
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
    pending += chunk;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        // not a JSON log line (e.g. logfmt): kept in stderr only
      }
    }
    for (const wake of waiters.splice(0)) wake();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      for (const wake of waiters.splice(0)) wake();
      resolve({ code, signal });
    });
  });

  function waitForLog(predicate: (line: LogLine) => boolean, timeoutMs = 10_000): Promise<LogLine> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`no matching log line within ${timeoutMs} ms; stderr:\n${stderr}`));
      }, timeoutMs);
      const check = (): void => {
        const found = logs.find(predicate);
        if (found) {
          clearTimeout(timer);
          resolve(found);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          clearTimeout(timer);
          reject(new Error(`process exited before the log line; stderr:\n${stderr}`));
        } else {
          waiters.push(check);
        }
      };
      check();
    });
  }

  return { child, logs, stderr: () => stderr, waitForLog, exited };
}

/** Starts the exporter on 127.0.0.1:0 with JSON logs and returns its base URL. */
export async function startServing(
  args: readonly string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<CliProcess & { url: string }> {
  const proc = spawnCli(['--web.listen-address=127.0.0.1:0', '--log.format=json', ...args], env);
  const line = await proc.waitForLog((l) => l.msg === 'tls-sli-exporter listening');
  return { ...proc, url: `http://${String(line['address'])}` };
}
