// Reads and validates the YAML config. Pure parsing (`parseConfigText`) is separate from the file
// read (`loadConfigFile`). Every problem is collected and reported with file:line:column and path;
// nothing is thrown for a bad config except one ConfigError listing all of them.
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import type * as z from 'zod';
import { ConfigError, formatPath, type ConfigProblem } from './errors.js';
import { issueText } from './issue-text.js';
import { configSchema, type Config } from './schema.js';
import { allowedKeys } from './schema-keys.js';
import { positionOf } from './yaml-position.js';
import { unclosedOpener } from './yaml-opener.js';

const MAX_ALIAS_COUNT = 100;

export function parseConfigText(text: string, file: string): Config {
  return parseYamlAs(configSchema, text, file);
}

/**
 * YAML text validated by a zod schema; every problem (YAML syntax, wrong type, unknown key) is
 * collected into one ConfigError with file:line:column and path. Also reads the web config file.
 */
export function parseYamlAs<S extends z.ZodType>(
  schema: S,
  text: string,
  file: string,
): z.output<S> {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      'CONFIG_INVALID',
      doc.errors.map((e): ConfigProblem => {
        const message = `YAML: ${e.message.split('\n')[0]}`;
        // an unclosed `[`, `{` or quote is noticed lines later: point at where it was opened
        const opener = unclosedOpener(text, e.pos[0]);
        if (opener !== undefined) {
          const at = counter.linePos(opener);
          const seen = counter.linePos(e.pos[0]).line;
          return {
            file,
            line: at.line,
            column: at.col,
            path: '',
            message: `${message} (opened here, still open at line ${seen})`,
          };
        }
        const { line, col } = counter.linePos(e.pos[0]);
        return { file, line, column: col, path: '', message };
      }),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  } catch (err) {
    // an alias to an anchor not yet set, or too many aliases (a "billion laughs" file)
    throw new ConfigError('CONFIG_INVALID', [
      { file, path: '', message: `YAML: ${(err as Error).message}` },
    ]);
  }
  const result = schema.safeParse(data, { reportInput: true, error: issueText });
  if (result.success) return result.data;

  const problems: ConfigProblem[] = [];
  for (const issue of result.error.issues) {
    // An unknown key is reported at the key itself, one problem per key.
    const paths =
      issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
    const message =
      issue.code === 'unrecognized_keys' ? unknownKeyText(schema, issue.path) : issue.message;
    for (const path of paths) {
      const { line, column } = positionOf(doc, counter, path);
      problems.push({ file, line, column, path: formatPath(path), message });
    }
  }
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  throw new ConfigError('CONFIG_INVALID', problems);
}

function unknownKeyText(schema: z.ZodType, parent: readonly PropertyKey[]): string {
  const keys = allowedKeys(schema, parent);
  return keys.length > 0 ? `unknown key (valid keys: ${keys.join(', ')})` : 'unknown key';
}

export async function loadConfigFile(file: string): Promise<Config> {
  return parseYamlAs(configSchema, await readConfigText(file), file);
}

/** A config file's text; a file that cannot be read is a CONFIG_READ_FAILED naming it. */
export async function readConfigText(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code ?? String(cause);
    throw new ConfigError(
      'CONFIG_READ_FAILED',
      [{ file, path: '', message: `cannot read the file (${reason})` }],
      { cause },
    );
  }
  return text;
}

/** The config used when no file is given: every default. */
export function defaultConfig(): Config {
  return configSchema.parse({});
}
