// Starts the exporter in this process on 127.0.0.1:0 with a config file, logging to memory.
import { startExporter, type ExporterOptions, type RunningExporter } from '../../src/main.js';
import { memoryLogger } from './logs.js';

export function startOnLoopback(
  configFile: string | undefined,
  extra: Partial<Omit<ExporterOptions, 'configFile'>> = {},
): Promise<RunningExporter> {
  return startExporter({
    configFile,
    flags: { 'web.listen-address': '127.0.0.1:0' },
    env: {},
    logSink: memoryLogger().sink,
    ...extra,
  });
}
