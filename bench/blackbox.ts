// blackbox_exporter, the anchor of the start-up and /probe cases: Debian's package, found on the
// PATH or installed (as root) when missing. Undefined when neither works: the cases then say so.
import { execFileSync, spawnSync } from 'node:child_process';

const NAMES = ['prometheus-blackbox-exporter', 'blackbox_exporter'];

function find(): string | undefined {
  for (const name of NAMES) {
    const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    if (found.status === 0) return found.stdout.trim();
  }
  return undefined;
}

export function blackboxExporter(): string | undefined {
  const found = find();
  if (found !== undefined || process.getuid?.() !== 0) return found;
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync(
      'apt-get',
      ['install', '-y', '--no-install-recommends', 'prometheus-blackbox-exporter'],
      {
        stdio: 'ignore',
        env,
      },
    );
  } catch {
    return undefined;
  }
  return find();
}

export function blackboxVersion(path: string): string {
  const out = spawnSync(path, ['--version'], { encoding: 'utf8' });
  return /version (\S+)/.exec(`${out.stdout}${out.stderr}`)?.[1] ?? 'unknown';
}
