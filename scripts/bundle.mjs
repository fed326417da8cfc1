// Bundles the exporter (src/index.ts and everything it imports, dependencies included) into
// dist/bundle/, which bin/tls-sli-exporter.js runs. One file per lazily imported part (the demo,
// the generator, the one-shot probe...), so a start reads and compiles only what it uses: with
// one module per file, Node's loader (resolving, stat-ing and reading ~400 files) was most of a
// second of start-up (issue 18; docs/performance.md measures it against a bare express server).
import { build } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/**
 * Packages required when a dependency loads but called only on paths the exporter never takes:
 * each is replaced by a stand-in whose functions require the real package (from node_modules)
 * on first call. express requires body-parser (and through it raw-body, iconv-lite, type-is: a
 * tenth of the start-up) to offer express.json() and friends; the exporter reads no bodies.
 * mime-types is needed by the first response whose type is given as a short name. qs (with
 * side-channel and object-inspect) serves only express's `extended` query parser, which the
 * exporter does not set; @opentelemetry/api only prom-client's exemplars, which it does not
 * enable. pino requires sonic-boom (its file destination, with node:assert) and thread-stream
 * (its worker-thread transports, with node:worker_threads) when it loads; the exporter gives
 * pino a stream of its own and no transport, so neither is ever constructed. Names listed under
 * `get:` are properties read from the real package on first use; `new` stands for a package whose
 * export is a class, constructed from the real package on first use.
 */
const LAZY_PACKAGES = {
  'body-parser': ['json', 'raw', 'text', 'urlencoded'],
  // a table of 2,000 media types, indexed when loaded; express, send and accepts call only these
  'mime-types': ['contentType', 'lookup', 'charset', 'extension'],
  qs: ['parse'],
  // needed once probes are scheduled or a schedule is given
  'node-cron': ['validate', 'schedule'],
  '@opentelemetry/api': ['get:trace', 'get:context'],
  'sonic-boom': 'new',
  'thread-stream': 'new',
};

const lazyPackages = {
  name: 'lazy-packages',
  setup(b) {
    const filter = new RegExp(`^(${Object.keys(LAZY_PACKAGES).join('|')})$`);
    b.onResolve({ filter }, (args) =>
      // the stand-in's own require of the real package stays a require at run time
      args.namespace === 'lazy'
        ? { path: args.path, external: true }
        : { path: args.path, namespace: 'lazy' },
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => {
      const names = LAZY_PACKAGES[args.path];
      const exported =
        names === 'new'
          ? ['module.exports = function (...a) { return new (load())(...a); };']
          : [
              'module.exports = {',
              ...names.map((f) =>
                f.startsWith('get:')
                  ? `  get ${f.slice(4)}() { return load().${f.slice(4)}; },`
                  : `  ${f}: (...a) => load().${f}(...a),`,
              ),
              '};',
            ];
      return {
        contents: [
          'let real;',
          `const load = () => (real ??= require(${JSON.stringify(args.path)}));`,
          ...exported,
        ].join('\n'),
        loader: 'js',
      };
    });
  },
};

/**
 * JSON files (mime-db's 150 KB table, loaded with express) as JSON.parse of a string: V8 reads a
 * string literal and JSON much faster than the object literal esbuild would write.
 */
const jsonAsParse = {
  name: 'json-as-parse',
  setup(b) {
    b.onLoad({ filter: /\.json$/ }, async (args) => ({
      contents: `module.exports = JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(await readFile(args.path, 'utf8'))))});`,
      loader: 'js',
    }));
  },
};

const outdir = new URL('../dist/bundle/', import.meta.url);
rmSync(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: {
    index: new URL('../src/index.ts', import.meta.url).pathname,
    // worker threads' entries, found beside the chunk that starts them (src/threads/spawn.ts)
    'pkcs12-worker': new URL('../src/certs/pkcs12/pkcs12-worker.ts', import.meta.url).pathname,
    'config-worker': new URL('../src/config/config-worker.ts', import.meta.url).pathname,
  },
  outdir: outdir.pathname,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // whitespace and syntax only: names stay, so stack traces read without the source map
  minifySyntax: true,
  minifyWhitespace: true,
  metafile: true,
  plugins: [lazyPackages, jsonAsParse],
  logLevel: 'warning',
  // dependencies written as CommonJS call require() for Node's own modules
  banner: {
    js: "import{createRequire as __tlsSliRequire}from'node:module';const require=__tlsSliRequire(import.meta.url);",
  },
});
writeFileSync(new URL('meta.json', outdir), JSON.stringify(result.metafile));
