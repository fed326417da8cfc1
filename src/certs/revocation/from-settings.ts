// The revocation checker and its fetcher made from the top-level `revocation:` section, and the
// same fetcher brought to a reloaded section: one construction for the exporter and the `probe`
// command.
import type { RevocationSettings } from '../../config/sections/revocation.js';
import { fetchPolicy } from './fetch-policy.js';
import { RevocationFetcher, type FetcherLimits } from './fetcher.js';
import { RevocationChecker, type RevocationRecorder } from './revocation-checker.js';

const NO_RECORDER: RevocationRecorder = { requested: () => undefined, failed: () => undefined };

function limits(settings: RevocationSettings): FetcherLimits {
  return {
    ratePerSecond: settings.requests_per_second_per_url,
    burst: settings.burst_per_url,
    maxBytes: settings.max_response_bytes,
  };
}

export interface Revocation {
  readonly checker: RevocationChecker;
  readonly fetcher: RevocationFetcher;
}

export function revocationFromSettings(
  settings: RevocationSettings,
  recorder: RevocationRecorder = NO_RECORDER,
): Revocation {
  const fetcher = new RevocationFetcher(
    fetchPolicy(settings.allowed_urls, settings.allow_private_addresses),
    limits(settings),
  );
  return {
    fetcher,
    checker: new RevocationChecker(fetcher, recorder, settings.cache_entries),
  };
}

/** A reload: the new allow-list and limits, the cache kept while it fits. */
export function applySettings(revocation: Revocation, settings: RevocationSettings): void {
  revocation.fetcher.configure(
    fetchPolicy(settings.allowed_urls, settings.allow_private_addresses),
    limits(settings),
  );
  revocation.checker.resize(settings.cache_entries);
}
