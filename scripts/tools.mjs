// Tools the tests run for real, each with its Debian package. Installed when missing (CI runs as
// root); never skipped: a missing tool fails the run that needs it, naming the package.
import { spawnSync } from 'node:child_process';

/** [command, Debian package] */
export const TEST_TOOLS = [
  ['promtool', 'prometheus'],
  ['amtool', 'prometheus-alertmanager'],
  ['openssl', 'openssl'],
  ['chromium', 'chromium'],
  // Java keystores, as the audit-log side (Elasticsearch, Logstash) keeps them
  ['keytool', 'openjdk-17-jre-headless'],
];

/** What npm run test:image needs: an OCI builder, a base system for the offline base image. */
export const IMAGE_TOOLS = [
  ['buildah', 'buildah'],
  ['debootstrap', 'debootstrap'],
  ['unshare', 'util-linux'],
  ['nsenter', 'util-linux'],
  ['chroot', 'coreutils'],
];

export function has(tool) {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

/** Installs the packages of the missing tools (as root); true when every tool is then there. */
export function ensureTools(tools) {
  const missing = tools.filter(([tool]) => !has(tool));
  if (missing.length === 0) return true;
  const packages = [...new Set(missing.map(([, pkg]) => pkg))];
  if (process.getuid?.() !== 0) {
    process.stderr.write(
      `missing ${missing.map(([t]) => t).join(', ')}: install the Debian packages ${packages.join(' ')}\n`,
    );
    return false;
  }
  process.stdout.write(`\n== installing ${packages.join(' ')}\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], {
    stdio: 'inherit',
    env,
  });
  const still = tools.filter(([tool]) => !has(tool)).map(([tool]) => tool);
  if (still.length > 0) process.stderr.write(`still missing after apt-get: ${still.join(', ')}\n`);
  return still.length === 0;
}
