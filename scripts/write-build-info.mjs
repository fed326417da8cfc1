// Writes dist/build-info.json with the git revision of the build, for tls_sli_exporter_build_info.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

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
writeFileSync(
  new URL('../dist/build-info.json', import.meta.url),
  `${JSON.stringify({ revision })}\n`,
);
