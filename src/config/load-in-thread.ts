// Loads a config file with its parsing and validation in a worker thread (config-worker.ts), as
// a reload does: the running exporter keeps answering while a large file is read. The result and
// every error are the ones loadConfigFile gives.
import { WorkPool } from '../threads/work-pool.js';
import { ConfigError, type ConfigProblem } from './errors.js';
import { readConfigText } from './load.js';
import type { Config } from './schema.js';

export interface ConfigTask {
  readonly text: string;
  readonly file: string;
}

export type ConfigOutcome =
  | { readonly ok: true; readonly config: Config }
  | {
      readonly ok: false;
      readonly code: ConstructorParameters<typeof ConfigError>[0];
      readonly problems: readonly ConfigProblem[];
    };

let pool: WorkPool<ConfigTask, ConfigOutcome> | undefined;

export async function loadConfigFileInThread(file: string): Promise<Config> {
  const text = await readConfigText(file);
  pool ??= new WorkPool(import.meta.url, 'config-worker', 1);
  const outcome = await pool.run({ text, file });
  if (outcome.ok) return outcome.config;
  throw new ConfigError(outcome.code, outcome.problems);
}
