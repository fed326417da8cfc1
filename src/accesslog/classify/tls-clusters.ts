// `tls_clusters`: upstream cluster names the user declared as TLS, as name globs (`*` any run of
// characters: `outbound|443||*.svc.cluster.local`).
import { nameGlob } from '../../config/globs.js';
import { NO_TLS_CLUSTERS, type ClusterMatcher } from './classifier.js';

export function clusterMatcher(globs: readonly string[]): ClusterMatcher {
  if (globs.length === 0) return NO_TLS_CLUSTERS;
  const patterns = globs.map(nameGlob);
  const known = new Map<string, boolean>();
  return (cluster) => {
    let declared = known.get(cluster);
    if (declared === undefined) {
      declared = patterns.some((p) => p.test(cluster));
      // clusters are few; a hostile log cannot grow this past a bound
      if (known.size < 10_000) known.set(cluster, declared);
    }
    return declared;
  };
}
