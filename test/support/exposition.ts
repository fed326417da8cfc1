// Reads sample values out of Prometheus text exposition, for assertions.

function labelsMatch(labelText: string, want: Readonly<Record<string, string>>): boolean {
  return Object.entries(want).every(([k, v]) => labelText.includes(`${k}=${JSON.stringify(v)}`));
}

/** The value of the first sample of `name` whose labels include `labels`; undefined if none. */
export function sampleValue(
  text: string,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    if (!labelsMatch(match[2] ?? '', labels)) continue;
    return Number(match[3]);
  }
  return undefined;
}
