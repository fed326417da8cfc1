// Globs over file paths, as the config uses them (access_logs paths, cert_files paths and
// excludes): `*` is any run of characters within one path segment, `**` crosses segments
// (`**/` also matches no directory at all), `?` is one character, `[abc]` / `[!abc]` a class.

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
