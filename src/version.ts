// Build information: the package version, and the git revision written next to the build output
// by scripts/write-build-info.mjs ("unknown" when running from source or outside a checkout).
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
  const pkg = readJson(new URL('../package.json', import.meta.url));
  const build = readJson(new URL('./build-info.json', import.meta.url));
  cached = {
    version: typeof pkg?.['version'] === 'string' ? pkg['version'] : 'unknown',
    revision: typeof build?.['revision'] === 'string' ? build['revision'] : 'unknown',
    nodejsVersion: process.version,
  };
  return cached;
}
