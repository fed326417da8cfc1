// What two translations of a Markdown document must share, read from the text: the sections (by
// level, with their anchors), the code blocks with their comments left out (comments are
// translated, code is not), and the first cell of every table row when it is code (flags, files,
// paths, metric names: what a reader types).

export interface Section {
  readonly level: number;
  /** GitHub's anchor: an explicit `<a id>` just before the heading, else the heading's slug */
  readonly anchor: string;
  readonly tableKeys: readonly string[];
}

export interface Outline {
  readonly sections: readonly Section[];
  readonly code: ReadonlyArray<{ readonly lang: string; readonly text: string }>;
}

/** GitHub's heading slug: lowercased, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** A code block's text without comments: `#` lines and trailing ` # …` (sh, yaml, Dockerfile). */
export function withoutComments(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .map((line) => line.replace(/\s+#\s.*$/, '').trimEnd())
    .join('\n');
}

/**
 * A table row's first cell as both languages must have it: a cell of code alone (a flag, a key,
 * a file: `--config.file`, `` `a`, `b` ``) is kept; a cell of words is translated, so it stands
 * for a row only.
 */
export function tableKey(cell: string): string {
  const text = cell.trim();
  return text.replace(/`[^`]*`/g, '').replace(/[\s,/…]|and|or/g, '') === '' ? text : '(row)';
}

export function outline(markdown: string): Outline {
  const sections: Section[] = [];
  const code: Array<{ lang: string; text: string }> = [];
  let fence: { lang: string; lines: string[] } | undefined;
  let pendingId: string | undefined;
  let current: { level: number; anchor: string; tableKeys: string[] } | undefined;
  for (const line of markdown.split('\n')) {
    const fenceMark = /^\s*```(\w*)\s*$/.exec(line);
    if (fenceMark) {
      if (fence) {
        code.push({ lang: fence.lang, text: withoutComments(fence.lines.join('\n')) });
        fence = undefined;
      } else fence = { lang: fenceMark[1] ?? '', lines: [] };
      continue;
    }
    if (fence) {
      fence.lines.push(line.replace(/^ {2}/, ''));
      continue;
    }
    const id = /^<a id="([^"]+)"><\/a>$/.exec(line);
    if (id) {
      pendingId = id[1];
      continue;
    }
    const heading = /^(#{1,6}) (.+)$/.exec(line);
    if (heading) {
      current = {
        level: (heading[1] ?? '').length,
        anchor: pendingId ?? slug(heading[2] ?? ''),
        tableKeys: [],
      };
      sections.push(current);
      pendingId = undefined;
      continue;
    }
    const row = /^\|([^|]*)\|/.exec(line);
    if (row && current && !/^\|\s*-+/.test(line)) current.tableKeys.push(tableKey(row[1] ?? ''));
  }
  return { sections, code };
}
