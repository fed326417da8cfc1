// Writes build-info.json (version and git revision of the build, for tls_sli_exporter_build_info)
// next to the compiled modules (dist/) and the bundle the command runs (dist/bundle/).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

let revision = process.env.TLS_SLI_EXPORTER_REVISION ?? 'unknown';
if (revision === 'unknown') {
  try {
    revision = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
  } catch {
    // not a git checkout (e.g. an npm tarball): keep "unknown"
  }
}
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
for (const dir of ['../dist/', '../dist/bundle/']) {
  writeFileSync(
    new URL(`${dir}build-info.json`, import.meta.url),
    `${JSON.stringify({ version, revision })}\n`,
  );
}
