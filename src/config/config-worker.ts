// The worker thread that parses and validates a config file's text for load-in-thread.ts: a
// config of 5,000 probe targets is most of a second of YAML parsing, which a reload must not
// spend on the event loop.
import { serveTasks } from '../threads/serve.js';
import { ConfigError } from './errors.js';
import { parseConfigText } from './load.js';
import type { ConfigOutcome, ConfigTask } from './load-in-thread.js';

type ConfigErrorCode = Extract<ConfigOutcome, { ok: false }>['code'];

serveTasks(({ text, file }: ConfigTask): ConfigOutcome => {
  try {
    return { ok: true, config: parseConfigText(text, file) };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return { ok: false, code: err.code as ConfigErrorCode, problems: err.problems };
  }
});
