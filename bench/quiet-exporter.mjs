// The compiled exporter (dist/) as the bench children run it: from a config file, logging
// nowhere, log directories not watched (the children drive reads themselves).
import { startExporter } from '../dist/main.js';

export function startQuietExporter(configFile) {
  return startExporter({
    configFile,
    flags: {},
    env: {},
    logSink: { write: () => undefined },
    watchLogs: false,
  });
}
