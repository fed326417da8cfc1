// Finds where a YAML path lives in a parsed document, so every config problem can name a line
// and column. A path segment that is not in the document (a missing key) resolves to the deepest
// node that is: the mapping that lacks the key.
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export interface Position {
  readonly line: number;
  readonly column: number;
}

function rangeStart(node: unknown): number | undefined {
  if (node && typeof node === 'object' && 'range' in node) {
    const range = (node as Node).range;
    if (range) return range[0];
  }
  return undefined;
}

/** Offset of the node at `path`; for a key of a mapping, the key itself. */
export function offsetOf(doc: Document, path: readonly PropertyKey[]): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === segment);
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      if (item === undefined) break;
      offset = rangeStart(item) ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset;
}

export function positionOf(
  doc: Document,
  counter: LineCounter,
  path: readonly PropertyKey[],
): Position {
  const { line, col } = counter.linePos(offsetOf(doc, path));
  return { line, column: col };
}

/** Where the node at `path` is written, or undefined when a segment is not in the document. */
export function exactPositionOf(
  doc: Document,
  counter: LineCounter,
  path: readonly PropertyKey[],
): Position | undefined {
  let node: unknown = doc.contents;
  let offset: number | undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === segment);
      if (!pair) return undefined;
      offset = rangeStart(pair.key);
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      if (item === undefined) return undefined;
      offset = rangeStart(item);
      node = item;
    } else return undefined;
  }
  if (offset === undefined) return undefined;
  const { line, col } = counter.linePos(offset);
  return { line, column: col };
}
