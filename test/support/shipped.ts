// The shipped files, used as shipped. `localize` is the one substitution the end-to-end test of
// the shipped set allows: each address (host:port, or a host:port glob of an allow-list) and
// each file path of a shipped text is swapped for its local twin (a TLS server on 127.0.0.1:0, a
// file in a temp dir), exactly as written, nothing else. A key that does not occur in the text is
// an error, so the map cannot drift from what is shipped.
import { readFile } from 'node:fs/promises';

const root = new URL('../../', import.meta.url);

export async function shipped(path: string): Promise<string> {
  return readFile(new URL(path, root), 'utf8');
}

/** The fenced block after a heading of a Markdown file, as written there. */
export async function shippedBlock(path: string, heading: string, lang: string): Promise<string> {
  const text = await shipped(path);
  const at = text.indexOf(`${heading}\n`);
  const start = text.indexOf(`\`\`\`${lang}\n`, at);
  if (at < 0 || start < 0) throw new Error(`${path}: no ${lang} block after "${heading}"`);
  const body = start + lang.length + 4;
  return text.slice(body, text.indexOf('```', body));
}

export function localize(text: string, map: Readonly<Record<string, string>>): string {
  let out = text;
  for (const [from, to] of Object.entries(map)) {
    if (!out.includes(from)) throw new Error(`localize: "${from}" is not in the shipped text`);
    out = out.replaceAll(from, to);
  }
  return out;
}
