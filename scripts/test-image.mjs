// npm run test:image (also a step of npm test): builds docker/Dockerfile as it is shipped with a
// real OCI builder (buildah), then runs the image as a container runtime would: its entrypoint,
// user, working directory and environment from the image's own config, the root filesystem
// read-only, a config file and a state volume mounted. Checks /-/healthy, /metrics (a certificate
// from a mounted directory, the build's revision), the uid, that the root cannot be written, that
// the positions file lands on the volume, and the image's own health check. Prints the image's size
// and the build time, and leaves the image in buildah's store as localhost/tls-sli-exporter:test.
//
// The base image (the Dockerfile's FROM) is used with --pull=never; when the store lacks it, it is
// made offline: Debian bookworm from Debian's mirror (debootstrap --variant=minbase) with this
// machine's own Node.js and npm, committed under the FROM name. npm ci inside the build reaches the
// registry with the TLS trust this machine's npm uses, handed in as the build secret `npm_ca`
// (never a layer of the image). Exits 1 on the first failed check.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureTools, IMAGE_TOOLS } from './tools.mjs';

const ROOT = realpathSync(new URL('..', import.meta.url).pathname);
const DOCKERFILE = 'docker/Dockerfile';
export const IMAGE = 'localhost/tls-sli-exporter:test';
const UID = 10001;
const MIRROR = process.env.DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';

class CheckFailed extends Error {}
const say = (line) => process.stdout.write(`${line}\n`);
function check(ok, what) {
  if (!ok) throw new CheckFailed(what);
  say(`  ok   ${what}`);
}

/** Runs a command; its output is returned, a failure throws with the command and its stderr. */
function sh(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  if (r.status !== 0)
    throw new CheckFailed(
      `${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}\n${(r.stderr ?? '').slice(-4000)}`,
    );
  return r.stdout ?? '';
}
const buildah = (...args) => sh('buildah', args).trim();
const hasImage = (name) =>
  spawnSync('buildah', ['inspect', '--type', 'image', name], { stdio: 'ignore' }).status === 0;

/** The FROM images of the Dockerfile (stage names excluded). */
function baseImages(dockerfile) {
  const stages = new Set();
  const images = new Set();
  for (const m of dockerfile.matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/gim)) {
    if (!stages.has(m[1])) images.add(m[1]);
    if (m[2]) stages.add(m[2]);
  }
  return [...images];
}

/** Debian bookworm (minbase) with this machine's Node.js and npm, committed as `name`. */
function makeBaseImage(name) {
  const work = mkdtempSync(join(tmpdir(), 'tls-sli-base-'));
  try {
    const rootfs = join(work, 'rootfs');
    say(`  making ${name} offline: debootstrap --variant=minbase bookworm from ${MIRROR}`);
    sh('debootstrap', ['--variant=minbase', 'bookworm', rootfs, MIRROR]);
    const npmDir = join(dirname(realpathSync(process.execPath)), '../lib/node_modules/npm');
    cpSync(realpathSync(process.execPath), join(rootfs, 'usr/local/bin/node'));
    cpSync(npmDir, join(rootfs, 'usr/local/lib/node_modules/npm'), { recursive: true });
    sh('ln', ['-s', '../lib/node_modules/npm/bin/npm-cli.js', join(rootfs, 'usr/local/bin/npm')]);
    sh('ln', ['-s', '../lib/node_modules/npm/bin/npx-cli.js', join(rootfs, 'usr/local/bin/npx')]);
    rmSync(join(rootfs, 'var/cache/apt/archives'), { recursive: true, force: true });
    rmSync(join(rootfs, 'var/lib/apt/lists'), { recursive: true, force: true });
    const ctr = buildah('from', 'scratch');
    buildah('copy', '--quiet', ctr, rootfs, '/');
    buildah(
      'config',
      '--env',
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      '--cmd',
      'node',
      ctr,
    );
    buildah('commit', '--quiet', '--rm', ctr, name);
    say(`  ok   ${name}: Debian bookworm minbase with Node.js ${process.version}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The CA bundle this machine's npm trusts, when it is given one (npm's cafile, or Node's extra CAs). */
function npmCaFile() {
  const fromNpm = spawnSync('npm', ['config', 'get', 'cafile'], {
    encoding: 'utf8',
  }).stdout?.trim();
  for (const file of [fromNpm, process.env.NODE_EXTRA_CA_CERTS])
    if (file && file !== 'null' && file !== 'undefined' && existsSync(file)) return file;
  return undefined;
}

function revision() {
  const r = spawnSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : 'unknown';
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function until(what, fn, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new CheckFailed(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A self-signed certificate valid for `days`, minted now, in PEM. */
function mintCertificate(dir, days) {
  sh('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-subj',
    '/CN=image-test.example',
    '-days',
    String(days),
    '-keyout',
    join(dir, 'key.pem'),
    '-out',
    join(dir, 'cert.pem'),
  ]);
  rmSync(join(dir, 'key.pem'));
}

const shellQuote = (s) => `'${String(s).replaceAll("'", `'\\''`)}'`;

/**
 * Starts `argv` in the image's root as a runtime would: a private mount namespace, the root
 * bind-mounted read-only, the given mounts, /proc and /dev, then chroot as the image's user into
 * its working directory with its environment. `exec` runs another command in that container (its
 * mount namespace, its root, its user and environment), as `docker exec` and a health check do.
 */
function runContainer(rootfs, config, mounts, args) {
  const root = mkdtempSync(join(tmpdir(), 'tls-sli-image-root-'));
  const argv = [...config.Entrypoint, ...args];
  const env = ['-i', ...config.Env];
  const inRoot = (p) => join(root, p);
  const inContainer = (command) =>
    `chroot --userspec=${config.User} ${shellQuote(root)} /usr/bin/env ${env.map(shellQuote).join(' ')} --chdir=${shellQuote(config.WorkingDir)} ${command.map(shellQuote).join(' ')}`;
  const script = [
    'set -e',
    `mount --bind ${shellQuote(rootfs)} ${shellQuote(root)}`,
    ...mounts.flatMap(({ source, target, readOnly }) => [
      `mount --bind ${shellQuote(source)} ${shellQuote(inRoot(target))}`,
      ...(readOnly ? [`mount -o remount,bind,ro ${shellQuote(inRoot(target))}`] : []),
    ]),
    `mount -t proc proc ${shellQuote(inRoot('proc'))}`,
    `mount --rbind /dev ${shellQuote(inRoot('dev'))}`,
    `mount -o remount,bind,ro ${shellQuote(root)}`,
    `exec ${inContainer(argv)}`,
  ].join('\n');
  const child = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  return {
    child,
    output: () => output,
    exec: (command) =>
      spawnSync('nsenter', ['--mount', `--target=${child.pid}`, 'sh', '-c', inContainer(command)], {
        encoding: 'utf8',
      }),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

async function main() {
  if (!ensureTools(IMAGE_TOOLS)) throw new CheckFailed('the image tools could not be installed');
  const dockerfile = readFileSync(join(ROOT, DOCKERFILE), 'utf8');

  say(`== base images (--pull=never)`);
  for (const name of baseImages(dockerfile)) {
    if (hasImage(name)) say(`  ok   ${name} is in the store`);
    else makeBaseImage(name);
  }

  say(`== buildah build -f ${DOCKERFILE} (the shipped file, unchanged)`);
  const ca = npmCaFile();
  // the image this name held before: removed once the new one has the name (no dangling copies)
  const previous = hasImage(IMAGE)
    ? buildah('inspect', '--type', 'image', '--format', '{{.FromImageID}}', IMAGE)
    : undefined;
  const started = Date.now();
  const build = spawnSync(
    'buildah',
    [
      'build',
      '--isolation',
      'chroot',
      '--pull=never',
      '--format',
      'docker',
      ...(ca ? ['--secret', `id=npm_ca,src=${ca}`] : []),
      '--build-arg',
      `TLS_SLI_EXPORTER_REVISION=${revision()}`,
      '-f',
      DOCKERFILE,
      '-t',
      IMAGE,
      '.',
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  const buildSeconds = (Date.now() - started) / 1000;
  if (build.status !== 0) process.stdout.write(`${build.stdout}\n${build.stderr}\n`);
  check(build.status === 0, `built ${IMAGE} in ${buildSeconds.toFixed(0)} s`);
  const inspection = buildah('inspect', '--type', 'image', IMAGE);
  const inspected = JSON.parse(inspection);
  if (previous !== undefined && previous !== inspected.FromImageID)
    spawnSync('buildah', ['rmi', previous], { stdio: 'ignore' });

  const config = inspected.Docker.config;
  check(
    /^\d+:\d+$/.test(config.User) && !config.User.startsWith('0:'),
    `numeric non-root user ${config.User}`,
  );
  check(config.Healthcheck?.Test?.[0] === 'CMD', 'the health check is kept (docker format)');
  const layers = inspected.Docker.rootfs?.diff_ids?.length ?? 0;
  check(!inspection.includes('BEGIN CERTIFICATE'), 'no CA in the image config or history');

  const ctr = buildah('from', '--pull=never', IMAGE);
  const work = mkdtempSync(join(tmpdir(), 'tls-sli-image-'));
  let container;
  try {
    const rootfs = buildah('mount', ctr);
    const app = sh('du', ['-sk', join(rootfs, 'app')]).split('\t')[0];
    const size = (name) =>
      sh('buildah', ['images', '--format', '{{.Size}}', name]).trim().split('\n')[0];
    say(
      `  size: ${size(IMAGE)} (${layers} layers; the base image ${size(baseImages(dockerfile).at(-1))}), of it /app ${(Number(app) / 1024).toFixed(1)} MiB`,
    );
    check(
      !existsSync(join(rootfs, 'app/src')) &&
        !existsSync(join(rootfs, 'app/node_modules/typescript')),
      'no sources or build tools in /app',
    );
    check(existsSync(join(rootfs, 'app/LICENSE')), 'the LICENSE is shipped');

    // mount points, as a runtime creates them in the container's own layer
    for (const dir of ['etc/tls-sli-exporter', 'etc/pki/mounted'])
      mkdirSync(join(rootfs, dir), { recursive: true });
    const configDir = join(work, 'config');
    const certsDir = join(work, 'certs');
    const stateDir = join(work, 'state');
    for (const dir of [configDir, certsDir, stateDir]) mkdirSync(dir);
    mintCertificate(certsDir, 20);
    chmodSync(join(certsDir, 'cert.pem'), 0o644);
    chownSync(stateDir, UID, UID);
    const port = await freePort();
    writeFileSync(
      join(configDir, 'config.yml'),
      [
        'cert_files:',
        '  - name: mounted',
        '    paths: [/etc/pki/mounted]',
        'positions_file: /var/lib/tls-sli-exporter/positions.json',
        'access_logs:',
        '  - name: ingress',
        '    path: /var/lib/tls-sli-exporter/listener.log',
        '    format: envoy_listener_json',
        '',
      ].join('\n'),
    );
    for (const dir of [configDir, work]) chmodSync(dir, 0o755);

    say(`== the image run with a read-only root, as ${config.User}`);
    container = runContainer(
      rootfs,
      config,
      [
        { source: configDir, target: 'etc/tls-sli-exporter', readOnly: true },
        { source: certsDir, target: 'etc/pki/mounted', readOnly: true },
        { source: stateDir, target: 'var/lib/tls-sli-exporter', readOnly: false },
      ],
      [...config.Cmd, `--web.listen-address=127.0.0.1:${port}`, '--log.format=json'],
    );
    const url = `http://127.0.0.1:${port}`;
    await until('/-/healthy', async () => (await fetch(`${url}/-/healthy`)).ok).catch((err) => {
      say(container.output());
      throw err;
    });
    check(true, '/-/healthy answers 200');
    // /tmp is writable by everyone: only a read-only root refuses this (EROFS, not permissions)
    const write = container.exec(['sh', '-c', 'touch /tmp/image-write-test']);
    check(write.status !== 0, 'the root filesystem refuses writes');
    const status = readFileSync(`/proc/${container.child.pid}/status`, 'utf8');
    const uid = /^Uid:\s+(\d+)/m.exec(status)?.[1];
    check(uid === String(UID), `the exporter runs as uid ${uid}`);
    const metrics = await until('a certificate on /metrics', async () => {
      const text = await (await fetch(`${url}/metrics`)).text();
      return /tls_cert_days_remaining\{[^}]*\} (19|20)\./.test(text) ? text : undefined;
    });
    check(true, 'the mounted certificate is on /metrics with 19-20 days left');
    check(
      metrics.includes(`revision="${revision()}"`),
      `tls_sli_exporter_build_info carries the revision ${revision()}`,
    );
    check(
      await until('the positions file', () => existsSync(join(stateDir, 'positions.json'))),
      'the positions file is written to the mounted volume',
    );
    const health = config.Healthcheck.Test.slice(1).map((a) =>
      a.replace('127.0.0.1:10087', `127.0.0.1:${port}`),
    );
    check(
      container.exec(health).status === 0,
      "the image's HEALTHCHECK command passes in the container (on the test's port)",
    );
  } finally {
    if (container) {
      container.child.kill('SIGTERM');
      await new Promise((r) =>
        container.child.exitCode !== null ? r() : container.child.once('exit', r),
      );
      container.cleanup();
    }
    spawnSync('buildah', ['umount', ctr], { stdio: 'ignore' });
    spawnSync('buildah', ['rm', ctr], { stdio: 'ignore' });
    rmSync(work, { recursive: true, force: true });
  }
  say(`image ${IMAGE}: built in ${buildSeconds.toFixed(0)} s`);
}

main().then(
  () => say('test:image passed'),
  (err) => {
    process.stderr.write(
      `test:image FAILED: ${err instanceof CheckFailed ? err.message : err.stack}\n`,
    );
    process.exitCode = 1;
  },
);
