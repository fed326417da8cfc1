// The config's globs, one dialect per kind of value (docs/configuration.md, "Globs"):
// - paths (access_logs paths, cert_files paths and excludes): `*` is any run of characters within
//   one path segment, `**` crosses segments (`**/` also matches no directory at all), `?` is one
//   character, `[abc]` / `[!abc]` a class;
// - names (server_names.allow, server_names.clusters_allow, tls_clusters): `*` is any run of
//   characters, dots included (`*.svc.cluster.local` admits `es.logging.svc.cluster.local`), `?`
//   one character; case-insensitive; `[` is literal;
// - host:port (allowed_targets): as names, but `*` never crosses the `:` before the port
//   (`*.dify.svc:*` admits `es.logging.dify.svc:9200`); `[` is literal (IPv6 `[::1]:*`).

export function isGlob(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

export function pathGlob(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    const close = c === '[' ? pattern.indexOf(']', i + 2) : -1;
    if (c === '*' && pattern[i + 1] === '*') {
      const slash = pattern[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (close > 0) {
      source += `[${pattern
        .slice(i + 1, close)
        .replace(/^!/, '^')
        .replace(/\\/g, '\\\\')}]`;
      i = close;
    } else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** `*` is any run of `one` (a run of stars is one star), `?` one `one`, the rest literal. */
function wildcardGlob(pattern: string, one: string): RegExp {
  let source = '';
  for (const [i, c] of [...pattern].entries()) {
    if (c === '*') source += pattern[i - 1] === '*' ? '' : `${one}*`;
    else if (c === '?') source += one;
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'i');
}

/** A glob over names (server names, cluster names): `*` crosses dots; case-insensitive. */
export function nameGlob(pattern: string): RegExp {
  return wildcardGlob(pattern, '.');
}

/** A glob over `host:port`: `*` crosses dots but never the `:` before the port. */
export function hostPortGlob(pattern: string): RegExp {
  return wildcardGlob(pattern, '[^:]');
}
