// What a config names on disk, checked before it is used: every probe module's trust anchors and
// client certificate and key (loaded as the exporter loads them), every cert_files password file,
// the web config. All problems at once, each naming its key and file, and placed at the key's
// line and column in the config file (`file:line:column path: message`, as the config's own
// problems are): `check-config` prints them, so a file that parses but would fail to serve is
// caught where it is written. A key set by a flag or the environment has no place in the file.
import { access, constants, readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { loadModule } from '../probe/module-runtime.js';
import { loadWebSettings } from '../config/web-config.js';
import { ConfigError, formatProblem } from '../config/errors.js';
import { problemsOf } from '../errors.js';
import type { Config } from '../config/schema.js';
import { exactPositionOf } from '../config/yaml-position.js';

/** `probes.modules.mtls.ca_file: cannot read …` -> the key, its path's segments, the message */
function split(
  problem: string,
): { key: string; path: Array<string | number>; text: string } | undefined {
  const m = /^([A-Za-z_][\w-]*(?:\.[\w-]+|\[\d+\])*): (.*)$/s.exec(problem);
  if (!m) return undefined;
  const key = m[1] ?? '';
  const path = [...key.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((s) =>
    s[2] === undefined ? (s[1] ?? '') : Number(s[2]),
  );
  return { key, path, text: m[2] ?? '' };
}

/** A problem about a key, placed in the config file when the key is written there. */
function placed(problem: string, file: string, doc: Document, counter: LineCounter): string {
  const parts = split(problem);
  if (!parts) return problem;
  const at = exactPositionOf(doc, counter, parts.path);
  // absent from the file, or written there but overridden: the value named is not the file's
  const written: unknown = doc.getIn(parts.path);
  if (!at || (typeof written === 'string' && !parts.text.includes(written)))
    return `${problem} (set by a flag or the environment)`;
  return formatProblem({ file, ...at, path: parts.key, message: parts.text });
}

export async function fileProblems(config: Config, file?: string): Promise<string[]> {
  const problems: string[] = [];
  const collect = async (work: () => Promise<unknown>): Promise<void> => {
    try {
      await work();
    } catch (err) {
      problems.push(...problemsOf(err));
    }
  };
  for (const [name, module] of Object.entries(config.probes.modules))
    await collect(() => loadModule(name, module));
  for (const [i, entry] of config.cert_files.entries()) {
    const passwordFile = entry.password_file;
    if (passwordFile === undefined) continue;
    await collect(() =>
      access(passwordFile, constants.R_OK).catch((err: NodeJS.ErrnoException) => {
        throw new Error(
          `cert_files[${i}].password_file: cannot read ${passwordFile} (${err.code ?? String(err)})`,
        );
      }),
    );
  }
  const web = config.web.config_file;
  if (web !== undefined)
    await collect(() =>
      loadWebSettings(web).catch((err: unknown) => {
        // the web config's own problems are placed in it; one that cannot be read is the key's
        const unread =
          err instanceof ConfigError &&
          err.problems.length === 1 &&
          err.problems[0]?.line === undefined;
        if (!unread) throw err;
        const reason = (err.problems[0]?.message ?? '').replace(/^cannot read the file /, '');
        throw new Error(`web.config_file: cannot read ${web} ${reason}`);
      }),
    );
  if (file === undefined) return problems;
  const counter = new LineCounter();
  const doc = parseDocument(await readFile(file, 'utf8'), { lineCounter: counter });
  return problems.map((p) => placed(p, file, doc, counter));
}
