// Build information: the package version and the git revision, written next to the build output
// by scripts/write-build-info.mjs (the revision is "unknown" when running from source or outside a
// checkout; the version then comes from package.json).
import { readFileSync } from 'node:fs';

export interface BuildInfo {
  readonly version: string;
  readonly revision: string;
  readonly nodejsVersion: string;
}

function readJson(url: URL): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

let cached: BuildInfo | undefined;

export function buildInfo(): BuildInfo {
  if (cached) return cached;
  const build = readJson(new URL('./build-info.json', import.meta.url));
  const version =
    typeof build?.['version'] === 'string'
      ? build['version']
      : readJson(new URL('../package.json', import.meta.url))?.['version'];
  cached = {
    version: typeof version === 'string' ? version : 'unknown',
    revision: typeof build?.['revision'] === 'string' ? build['revision'] : 'unknown',
    nodejsVersion: process.version,
  };
  return cached;
}
