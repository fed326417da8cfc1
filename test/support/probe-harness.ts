// Probes a real local server with a module built from files written to a temp dir.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { moduleSchema } from '../../src/config/sections/probes.js';
import { loadModule, type ProbeModule } from '../../src/probe/module-runtime.js';
import type { ProbeResult } from '../../src/probe/probe-result.js';
import { probeTarget, type Resolver } from '../../src/probe/tls-probe.js';
import type { Issued } from './pki.js';

export interface ModuleSpec {
  readonly ca?: Issued;
  readonly client?: Issued;
  readonly clientChain?: readonly Issued[];
  readonly options?: Record<string, unknown>;
}

export async function moduleFor(spec: ModuleSpec): Promise<ProbeModule> {
  const dir = await mkdtemp(join(tmpdir(), 'tls-sli-module-'));
  try {
    const files: Record<string, unknown> = {};
    if (spec.ca) {
      await writeFile(join(dir, 'ca.pem'), spec.ca.pem);
      files['ca_file'] = join(dir, 'ca.pem');
    }
    if (spec.client) {
      await writeFile(
        join(dir, 'client.pem'),
        [spec.client, ...(spec.clientChain ?? [])].map((c) => c.pem).join('\n'),
      );
      await writeFile(join(dir, 'client.key'), await spec.client.keyPem());
      files['client_cert_file'] = join(dir, 'client.pem');
      files['client_key_file'] = join(dir, 'client.key');
    }
    return await loadModule(
      'test',
      moduleSchema.parse({ timeout: '3s', ...files, ...spec.options }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function probeOnce(
  module: ProbeModule,
  port: number,
  options: { host?: string; serverName?: string; name?: string; resolver?: Resolver } = {},
): Promise<ProbeResult[]> {
  return probeTarget(
    {
      name: options.name ?? 'target',
      host: options.host ?? '127.0.0.1',
      port,
      serverName: options.serverName ?? 'localhost',
    },
    module,
    () => Date.now() / 1000,
    module.config.timeout,
    options.resolver,
  );
}
