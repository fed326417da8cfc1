// Start-up time and idle memory, measured from outside as a user meets them: spawn the command,
// poll /-/healthy every 2 ms until it answers 200 (time from spawn), scrape /metrics once, wait
// 500 ms, read the process's resident set (VmRSS), stop it. Used for the exporter and its anchors.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';

export interface StartRun {
  readonly ms: number;
  readonly rssMiB: number;
}

function status(port: number, path: string): Promise<number> {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
  });
}

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** `command args` started and answering /-/healthy on `port`; the ms that took. */
export async function startHealthy(
  command: string,
  args: readonly string[],
  port: number,
): Promise<{ child: ChildProcess; ms: number }> {
  const t0 = performance.now();
  const child = spawn(command, args, { stdio: 'ignore' });
  const deadline = t0 + 30_000;
  while ((await status(port, '/-/healthy')) !== 200) {
    if (child.exitCode !== null || performance.now() > deadline) {
      await stop(child);
      throw new Error(`${command} ${args.join(' ')}: not healthy (exit ${child.exitCode})`);
    }
    await sleep(2);
  }
  return { child, ms: performance.now() - t0 };
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGKILL');
  await once(child, 'exit');
}

/** One start of `command args` listening on `port` (the args name it). */
export async function measureStart(
  command: string,
  args: readonly string[],
  port: number,
): Promise<StartRun> {
  const { child, ms } = await startHealthy(command, args, port);
  try {
    if ((await status(port, '/metrics')) !== 200) throw new Error(`${command}: /metrics failed`);
    await sleep(500);
    return { ms, rssMiB: statusMiB(child, 'VmRSS') };
  } finally {
    await stop(child);
  }
}

/** A memory figure of a running child from /proc/PID/status (given there in kB), MiB. */
function statusMiB(child: ChildProcess, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1]) / 1024;
}

/** user + system CPU seconds of a process so far (/proc/PID/stat fields 14 and 15, in clock
 * ticks: 100 per second on Linux) */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** A running child's peak resident set so far (VmHWM), MiB. */
export const peakRssMiB = (child: ChildProcess): number => statusMiB(child, 'VmHWM');

export interface WholeRun {
  /** spawn to the wall-clock time the exporter read the log's last complete line */
  readonly seconds: number;
  /** spawn to /-/healthy answering */
  readonly healthySeconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMiB: number;
  readonly lines: number;
}

function metricsText(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path: '/metrics' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
  });
}

const samplesOf = (text: string, name: string): number[] =>
  [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))].map((m) => Number(m[1]));
const sumOf = (text: string, name: string): number =>
  samplesOf(text, name).reduce((a, b) => a + b, 0);

/** Throws once the child has exited: it will never reach what is waited for. */
function running(child: ChildProcess, command: string): void {
  if (child.exitCode !== null) throw new Error(`${command} exited (${child.exitCode})`);
}

/** Bytes the process has read through system calls so far (its /proc io `rchar`). */
function bytesRead(child: ChildProcess): number {
  return Number(/rchar:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/io`, 'utf8'))?.[1]);
}

/**
 * The whole exporter (`command args`, started at t0) reading a file of `bytes` from its start.
 * Watched from outside without load on it (its read bytes every 10 ms) until it has read the
 * file, then /metrics every 100 ms until every byte is counted; the end is the exporter's own
 * tls_sli_exporter_log_last_line_timestamp_seconds, so the watching adds no wait to the figure.
 */
export async function readFromStart(
  command: string,
  args: readonly string[],
  port: number,
  bytes: number,
): Promise<WholeRun> {
  const t0 = Date.now();
  const { child, ms } = await startHealthy(command, args, port);
  try {
    while (bytesRead(child) < bytes) {
      running(child, command);
      await sleep(10);
    }
    for (;;) {
      const text = await metricsText(port);
      if (sumOf(text, 'tls_sli_exporter_log_bytes_total') >= bytes) {
        const last = Math.max(
          ...samplesOf(text, 'tls_sli_exporter_log_last_line_timestamp_seconds'),
        );
        return {
          seconds: last - t0 / 1000,
          healthySeconds: ms / 1000,
          cpuSeconds: cpuSeconds(child.pid ?? 0),
          peakRssMiB: peakRssMiB(child),
          lines: sumOf(text, 'tls_sli_exporter_log_lines_total'),
        };
      }
      running(child, command);
      await sleep(100);
    }
  } finally {
    await stop(child);
  }
}
