// The board in another language: the English board, built once, with every text a person reads
// (the board's and panels' titles and descriptions, variable labels, column names, value
// mappings, legends with words) replaced from the language's table. A text the table lacks fails
// the generation, so a panel added in English cannot ship untranslated; legends that are only
// label templates stay as they are.
import { ZH_CN_BOARD } from './board-zh-CN.js';
import type { Lang } from './lang.js';

export interface BoardTexts {
  readonly exact: Readonly<Record<string, string>>;
  /** texts that carry the generator's numbers: the English with capture groups, and its translation */
  readonly patterns: ReadonlyArray<readonly [RegExp, string]>;
}

/** keys whose string values are read by people, and must be translated */
const READ_KEYS = new Set(['title', 'description', 'label', 'text', 'displayName']);

function translated(texts: BoardTexts, english: string, where: string): string {
  const exact = texts.exact[english];
  if (exact !== undefined) return exact;
  for (const [pattern, replacement] of texts.patterns)
    if (pattern.test(english)) return english.replace(pattern, replacement);
  throw new Error(`the board's ${where} "${english}" has no translation`);
}

/** A deep copy of `board` with its texts translated. */
export function translateBoard<T>(board: T, texts: BoardTexts): T {
  const walk = (value: unknown, key: string): unknown => {
    if (Array.isArray(value)) return value.map((v) => walk(v, key));
    if (value !== null && typeof value === 'object') {
      const o = value as Record<string, unknown>;
      // a field override naming a column: { id: 'displayName', value: 'days left' }
      if (o['id'] === 'displayName' && typeof o['value'] === 'string')
        return { ...o, value: translated(texts, o['value'], 'column name') };
      return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, walk(v, k)]));
    }
    if (typeof value !== 'string' || value === '') return value;
    if (READ_KEYS.has(key)) return translated(texts, value, key);
    if (key === 'legendFormat') return texts.exact[value] ?? value;
    return value;
  };
  return walk(board, '') as T;
}

/** Every language but English (the board is built in English), by language. */
export const BOARD_TEXTS: Readonly<Record<Exclude<Lang, 'en'>, BoardTexts>> = {
  'zh-CN': ZH_CN_BOARD,
};
