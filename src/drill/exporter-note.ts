// Tells the exporter what the drill injects (POST /-/drill), so its log explains the spike on the
// board. A failure to tell is reported, never fatal: the drill's own lines still say it.
import type { DrillNote } from '../domain/drill-words.js';

/** Posts the note to `base` (the exporter's origin); undefined when it was logged, else why not. */
export async function tellExporter(base: string, note: DrillNote): Promise<string | undefined> {
  const query = new URLSearchParams(
    Object.entries(note).map(([k, v]) => [k, String(v)] as [string, string]),
  );
  const endpoint = `${base.replace(/\/$/, '')}/-/drill`;
  try {
    const res = await fetch(`${endpoint}?${query.toString()}`, {
      method: 'POST',
      signal: AbortSignal.timeout(5_000),
    });
    if (res.status === 204) return undefined;
    return `${endpoint}: HTTP ${res.status} ${(await res.text()).trim()}`;
  } catch (err) {
    return `${endpoint}: ${(err as Error).message}`;
  }
}
