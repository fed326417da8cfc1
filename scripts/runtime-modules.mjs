// Copies into a folder what the bundle (dist/bundle/, scripts/bundle.mjs) needs at run time and
// nothing more: bin/, dist/bundle/ (source maps included, for stack traces), package.json,
// LICENSE, and the packages the bundle still requires from node_modules (the lazily loaded ones
// of scripts/bundle.mjs) with everything they depend on. The image's runtime stage is this
// folder; `npm ci --omit=dev` would install all 150 production packages the bundle already holds.
// Usage: node scripts/runtime-modules.mjs OUT_DIR
import { builtinModules } from 'node:module';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const out = process.argv[2];
if (!out) {
  process.stderr.write('usage: node scripts/runtime-modules.mjs OUT_DIR\n');
  process.exit(2);
}

const meta = JSON.parse(readFileSync(join(root, 'dist/bundle/meta.json'), 'utf8'));
const builtins = new Set(builtinModules);
const packageOf = (specifier) =>
  specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
const external = new Set();
for (const output of Object.values(meta.outputs))
  for (const { path, external: isExternal } of output.imports ?? [])
    if (isExternal && !path.startsWith('node:') && !builtins.has(path))
      external.add(packageOf(path));

/** The folder of `name` as Node resolves it from `fromDir`, or undefined when not installed. */
function packageDir(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === dirname(dir) || !dir.startsWith(root)) return undefined;
  }
}

const copied = new Map();
const missing = [];
function take(name, fromDir, optional) {
  const dir = packageDir(name, fromDir);
  if (dir === undefined) {
    // an optional peer nobody installed (prom-client's @opentelemetry/api): its stand-in is
    // never called, as scripts/bundle.mjs says
    if (!optional) missing.push(name);
    return;
  }
  if (copied.has(dir)) return;
  copied.set(dir, name);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  for (const dep of Object.keys(pkg.dependencies ?? {})) take(dep, dir, false);
  for (const dep of Object.keys(pkg.optionalDependencies ?? {})) take(dep, dir, true);
}
for (const name of external) take(name, root, true);
if (missing.length > 0) {
  process.stderr.write(`runtime-modules: not installed: ${missing.join(', ')}\n`);
  process.exit(1);
}

mkdirSync(out, { recursive: true });
for (const entry of ['bin', 'dist/bundle', 'package.json', 'LICENSE'])
  cpSync(join(root, entry), join(out, entry), { recursive: true });
for (const dir of copied.keys())
  cpSync(dir, join(out, relative(root, dir)), { recursive: true, dereference: true });
process.stdout.write(
  `runtime-modules: ${copied.size} packages for ${[...external].sort().join(', ')}\n`,
);
