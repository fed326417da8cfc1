// What a config names on disk, checked before it is used: every probe module's trust anchors and
// client certificate and key (loaded as the exporter loads them), every cert_files password file,
// the web config. All problems at once, each naming its key and file: `check-config` prints them,
// so a file that parses but would fail to serve is caught where it is written.
import { access, constants } from 'node:fs/promises';
import { loadModule } from '../probe/module-runtime.js';
import { loadWebSettings } from '../config/web-config.js';
import { problemsOf } from '../errors.js';
import type { Config } from '../config/schema.js';

export async function fileProblems(config: Config): Promise<string[]> {
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
    const file = entry.password_file;
    if (file === undefined) continue;
    await collect(() =>
      access(file, constants.R_OK).catch((err: NodeJS.ErrnoException) => {
        throw new Error(
          `cert_files[${i}].password_file: cannot read ${file} (${err.code ?? String(err)})`,
        );
      }),
    );
  }
  const web = config.web.config_file;
  if (web !== undefined) await collect(() => loadWebSettings(web));
  return problems;
}
