// placeholder replaced below
import type { GeneratorOptions } from './options.js';
export function dashboards(_o: GeneratorOptions, _marker: string): Map<string, object> {
  return new Map();
}
