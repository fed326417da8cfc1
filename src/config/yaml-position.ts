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

/**
 * Walks `path` down the document: the offset of the deepest node found (for a key of a mapping,
 * the key itself) and whether every segment was found.
 */
function walk(doc: Document, path: readonly PropertyKey[]): { offset: number; found: boolean } {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === segment);
      if (!pair) return { offset, found: false };
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      if (item === undefined) return { offset, found: false };
      offset = rangeStart(item) ?? offset;
      node = item;
    } else {
      return { offset, found: false };
    }
  }
  return { offset, found: true };
}

/** Offset of the node at `path`; for a key of a mapping, the key itself. */
export function offsetOf(doc: Document, path: readonly PropertyKey[]): number {
  return walk(doc, path).offset;
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
  const { offset, found } = walk(doc, path);
  if (!found || path.length === 0) return undefined;
  const { line, col } = counter.linePos(offset);
  return { line, column: col };
}
