// Runs a server binary (Prometheus, Alertmanager) as a child process with its own temp directory,
// waits for its /-/ready, and stops it by PID (also when the test fails).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export function requireTool(tool: string, debianPackage: string): void {
  const found = spawnSync(tool, ['--version'], { stdio: 'ignore' });
  if (found.error)
    throw new Error(
      `${tool} is missing: install the Debian package ${debianPackage} (the test command does)`,
    );
}

export interface Daemon {
  readonly url: string;
  readonly dir: string;
  stop(): Promise<void>;
}

/** `args` gets the temp dir and the port; `files` are written into the dir first. */
export async function startDaemon(
  tool: string,
  debianPackage: string,
  files: Readonly<Record<string, string>>,
  args: (dir: string, port: number) => string[],
): Promise<Daemon> {
  requireTool(tool, debianPackage);
  const dir = await mkdtemp(join(tmpdir(), `tls-sli-${tool}-`));
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  const port = await freePort();
  const child: ChildProcess = spawn(tool, args(dir, port), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    await rm(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return { url, dir, stop };
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`${tool} did not become ready: ${stderr}`);
}
