// What every command reads the same way: the config-file flag and the flags as given.
import type { Command } from 'commander';
import type { Flags } from '../config/overrides.js';

export const CONFIG_FLAG = 'config.file';

/** Flags as given, keyed by their dotted name (`web.listen-address`), unset ones absent. */
export function flagsOf(cmd: Command): Flags {
  const given: Record<string, string | undefined> = {};
  const opts = cmd.optsWithGlobals<Record<string, unknown>>();
  for (const option of cmd.options.concat(cmd.parent?.options ?? [])) {
    const value = opts[option.attributeName()];
    // a switch given is "true", as its environment variable would say
    const text = value === true ? 'true' : value;
    if (typeof text === 'string') given[option.long?.replace(/^--/, '') ?? option.name()] = text;
  }
  return given;
}
