// The layering of src/ as docs/architecture.md's "Layers" table states it: a unit (a folder of
// src/, or a file at its top) imports only from units on lower layers, never from one beside it or
// above it. The table is read from the doc, so the rule and its description cannot drift apart.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const SRC = join(ROOT, 'src');

/** unit name (`probe/`, `main.ts`) -> layer, from the table under "## Layers" */
export function layersOf(markdown: string): Map<string, number> {
  const section = markdown.split(/^## Layers$/m)[1]?.split(/^## /m)[0] ?? '';
  const layers = new Map<string, number>();
  for (const row of section.matchAll(/^\|\s*(\d+)\s*\|([^|]*)\|/gm)) {
    for (const unit of (row[2] ?? '').matchAll(/`([^`]+)`/g))
      layers.set(unit[1] ?? '', Number(row[1]));
  }
  return layers;
}

/** The unit a path under src/ belongs to: its top folder (`probe/`) or the top-level file. */
function unitOf(pathInSrc: string): string {
  const [top, ...rest] = pathInSrc.split(sep);
  return rest.length > 0 ? `${top}/` : (top ?? '');
}

/** Every relative import of a source text: static, `export … from`, dynamic, type-only. */
export function importsOf(text: string): string[] {
  const specs: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\sfrom\s+'(\.[^']+)'/g,
    /\bimport\s+'(\.[^']+)'/g,
    /\bimport\(\s*'(\.[^']+)'\s*\)/g,
  ];
  for (const pattern of patterns)
    for (const m of text.matchAll(pattern)) if (m[1] !== undefined) specs.push(m[1]);
  return specs;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

export interface Violation {
  readonly file: string;
  readonly imports: string;
  readonly why: string;
}

/** Imports that break the layering, each with the file, what it imports and why it may not. */
export function violations(
  layers: ReadonlyMap<string, number>,
  files: ReadonlyArray<readonly [string, string]>,
): Violation[] {
  const found: Violation[] = [];
  for (const [file, text] of files) {
    const from = unitOf(file);
    const fromLayer = layers.get(from);
    if (fromLayer === undefined) {
      found.push({ file, imports: '', why: `${from} is on no layer of the table` });
      continue;
    }
    for (const spec of importsOf(text)) {
      const target = normalize(join(dirname(file), spec)).replace(/\.js$/, '.ts');
      if (target.startsWith('..')) continue; // outside src/ (none today)
      const to = unitOf(target);
      if (to === from) continue;
      const toLayer = layers.get(to);
      if (toLayer === undefined) found.push({ file, imports: spec, why: `${to} is on no layer` });
      else if (toLayer >= fromLayer)
        found.push({
          file,
          imports: spec,
          why: `${from} (layer ${fromLayer}) imports ${to} (layer ${toLayer}): only lower layers`,
        });
    }
  }
  return found;
}

describe('architecture: the layers of docs/architecture.md', () => {
  const layers = layersOf(readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8'));
  const files = sourceFiles(SRC).map(
    (path) => [relative(SRC, path), readFileSync(path, 'utf8')] as const,
  );

  it('the table places every folder and top-level file of src/', () => {
    const units = new Set(files.map(([file]) => unitOf(file)));
    const unplaced = [...units].filter((unit) => !layers.has(unit));
    assert.deepEqual(unplaced, []);
    const gone = [...layers.keys()].filter((unit) => !units.has(unit));
    assert.deepEqual(gone, [], 'the table names units src/ no longer has');
  });

  it('no file of src/ imports from a unit beside it or above it', () => {
    const broken = violations(layers, files).map((v) => `${v.file}: ${v.imports}: ${v.why}`);
    assert.deepEqual(broken, []);
  });

  // the checker itself, on made-up sources: each form of import is seen, each direction judged
  const table = new Map([
    ['domain/', 0],
    ['metrics/', 2],
    ['probe/', 3],
    ['accesslog/', 3],
    ['main.ts', 6],
  ]);
  const cases: ReadonlyArray<readonly [string, string, string, number]> = [
    ['downward static', 'probe/a.ts', "import { X } from '../metrics/catalog.js';", 0],
    ['downward to a top-level file', 'main.ts', "import { y } from './probe/x.js';", 0],
    ['within the folder', 'probe/a/b.ts', "import { z } from '../c.js';", 0],
    ['upward static', 'metrics/a.ts', "import { P } from '../probe/probe-result.js';", 1],
    ['upward type-only', 'metrics/a.ts', "import type { P } from '../probe/x.js';", 1],
    ['upward re-export', 'domain/a.ts', "export { M } from '../metrics/m.js';", 1],
    ['upward dynamic', 'metrics/a.ts', "const m = await import('../probe/x.js');", 1],
    ['upward side effect', 'metrics/a.ts', "import '../probe/x.js';", 1],
    ['multi-line import', 'metrics/a.ts', "import {\n  A,\n  B,\n} from '../probe/x.js';", 1],
    ['beside it', 'probe/a.ts', "import { r } from '../accesslog/record.js';", 1],
    ['to a unit on no layer', 'probe/a.ts', "import { q } from '../nowhere/q.js';", 1],
    ['package imports are not ours', 'domain/a.ts', "import * as z from 'zod';", 0],
  ];
  for (const [name, file, text, expected] of cases)
    it(`checker: ${name} -> ${expected === 0 ? 'allowed' : 'refused'}`, () => {
      assert.equal(violations(table, [[file, text]]).length, expected);
    });
});
