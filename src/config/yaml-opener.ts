// Where an unclosed flow collection or quoted scalar began. The YAML parser reports such an
// error where it noticed it (the next line, or the end of the file); the line to fix is the one
// with the `[`, `{` or quote that was never closed. Pure; a heuristic over the raw text (comments
// and block scalars are rare around such mistakes), used only to point at a better line.

/** Offset of the opener still open at `end`, or undefined when nothing is open there. */
export function unclosedOpener(text: string, end: number): number | undefined {
  const stack: number[] = [];
  let quote: { char: string; at: number } | undefined;
  let lineStart = 0;
  for (let i = 0; i < Math.min(end, text.length); i++) {
    const c = text[i];
    if (quote) {
      if (quote.char === "'" && c === "'" && text[i + 1] === "'") i++;
      else if (quote.char === '"' && c === '\\') i++;
      else if (c === quote.char) quote = undefined;
      continue;
    }
    if (c === '\n') {
      lineStart = i + 1;
      continue;
    }
    if (c === '#' && (i === lineStart || /\s/.test(text[i - 1] ?? ''))) {
      const next = text.indexOf('\n', i);
      i = next < 0 ? text.length : next - 1;
    } else if (c === '"' || c === "'") {
      // a quote opens a scalar only at its start (after `: `, `- `, `[`, `,` or the line start)
      const before = text.slice(lineStart, i).trimEnd();
      if (before === '' || /[:\-[{,]$/.test(before)) quote = { char: c, at: i };
    } else if (c === '[' || c === '{') stack.push(i);
    else if ((c === ']' || c === '}') && stack.length > 0) stack.pop();
  }
  return quote?.at ?? stack.at(-1);
}
