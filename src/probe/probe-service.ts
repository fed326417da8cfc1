// Runs the configured probes on their schedule (node-cron, no overlap), at most `concurrency` at
// a time, each target started at a random offset within `jitter` so they do not fire together.
// Results go to the store; /metrics reads the store, so two Prometheus replicas do not double
// the load. Also runs one probe on demand for /probe.
import cron, { type ScheduledTask } from 'node-cron';
import type { Config } from '../config/schema.js';
import type { X509Certificate } from 'node:crypto';
import {
  fetchesAnything,
  revocationPolicy,
  type RevocationPolicy,
  type RevocationSettings,
} from '../config/sections/revocation.js';
import type { Logger } from '../log/logger.js';
import type { CertFileError } from './cert-file-source.js';
import { probeEngine, type ProbeEngine } from './engine-loader.js';
import type { PositionedCert, ProbeResult } from './probe-result.js';
import type {
  RevocationChecker,
  RevocationRecorder,
} from '../certs/revocation/revocation-checker.js';
import type { Revocation } from '../certs/revocation/from-settings.js';
import type { ProbeModule } from './module-runtime.js';
import type { ProbeStore } from './probe-store.js';
import { parseHostPort, type ProbeTarget } from './probe-target.js';

interface Scheduled {
  readonly target: ProbeTarget;
  readonly module: ProbeModule;
}

export interface ProbeServiceOptions {
  readonly store: ProbeStore;
  readonly logger: Logger;
  readonly nowSeconds?: () => number;
  /** 0 in tests, so a run starts every probe at once */
  readonly random?: () => number;
  /** the clock and the wait the jitter uses (tests drive both) */
  readonly clockMs?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly onCertFileError?: CertFileError;
  /** what measures and counts revocation fetches */
  readonly revocationRecorder?: RevocationRecorder;
}

export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  run: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await run(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/**
 * When each item of a round starts: a random offset within `jitter` each, in the order they are
 * due. Offsets count from the round's start, so a slot that frees up late starts a due item at
 * once: a round lasts about max(jitter, probing time), not items / concurrency × jitter.
 */
export function jitterPlan<T>(
  items: readonly T[],
  jitterMs: number,
  random: () => number,
): Array<{ item: T; offsetMs: number }> {
  return items
    .map((item) => ({ item, offsetMs: random() * jitterMs }))
    .sort((a, b) => a.offsetMs - b.offsetMs);
}

const realSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms).unref());

export class ProbeService {
  #modules = new Map<string, ProbeModule>();
  #scheduled: Scheduled[] = [];
  #task: ScheduledTask | undefined;
  #config: Config['probes'] | undefined;
  #certFiles: Config['cert_files'] = [];
  #settings: RevocationSettings | undefined;
  #running: Promise<void> | undefined;

  constructor(private readonly options: ProbeServiceOptions) {}

  get modules(): ReadonlyMap<string, ProbeModule> {
    return this.#modules;
  }

  #prepared: { config: Config['probes']; modules: Map<string, ProbeModule> } | undefined;
  #revocation: Revocation | undefined;

  /** The revocation checker, made with the engine on first need (one cache for every module). */
  #checker(engine: ProbeEngine, settings: RevocationSettings): RevocationChecker {
    this.#revocation ??= engine.revocationFromSettings(settings, this.options.revocationRecorder);
    return this.#revocation.checker;
  }

  /** Read the modules' files; throws when one is unusable (a reload then keeps the old config). */
  async prepare(config: Config): Promise<void> {
    const modules = new Map<string, ProbeModule>();
    const configured = Object.entries(config.probes.modules);
    if (configured.length > 0) {
      // the engine is loaded by the first config with a module, never without one
      const engine = await probeEngine();
      const checker = this.#checker(engine, config.revocation);
      for (const [name, module] of configured)
        modules.set(name, await engine.loadModule(name, module, checker));
    }
    this.#prepared = { config: config.probes, modules };
  }

  /** Switch to the prepared modules and targets (preparing now if needed), then (re)schedule. */
  async apply(config: Config): Promise<void> {
    if (this.#prepared?.config !== config.probes) await this.prepare(config);
    const modules = this.#prepared?.modules ?? new Map<string, ProbeModule>();
    this.#prepared = undefined;
    this.#modules = modules;
    this.#config = config.probes;
    this.#certFiles = config.cert_files;
    this.#settings = config.revocation;
    if (this.#revocation) (await probeEngine()).applySettings(this.#revocation, config.revocation);
    this.#scheduled = config.probes.targets.map((t) => {
      const { host, port } = parseHostPort(t.address);
      return {
        target: { name: t.name, host, port, serverName: t.server_name ?? host },
        module: modules.get(t.module) as ProbeModule,
      };
    });
    this.options.store.setClientCerts(
      new Map([...modules].map(([name, module]) => [name, module.clientCerts])),
    );
    this.options.store.retainTargets(new Set(config.probes.targets.map((t) => t.name)));
    await this.#task?.destroy();
    this.#task = undefined;
    if (this.#scheduled.length > 0 || this.#certFiles.length > 0) {
      this.#task = cron.schedule(config.probes.schedule, () => this.runAll(), {
        noOverlap: true,
        name: 'tls-probes',
        logger: this.#cronLogger(),
      });
      void this.runAll();
    }
  }

  /** One round over every target (also what the schedule runs); concurrent calls share a round. */
  runAll(): Promise<void> {
    this.#running ??= this.#round().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** A probe on demand (/probe, the probe command): results are returned, not stored. */
  async probeNow(
    target: ProbeTarget,
    module: ProbeModule,
    deadlineMs: number,
  ): Promise<ProbeResult[]> {
    const { probeTarget } = await probeEngine();
    return probeTarget(target, module, this.#now, Math.min(deadlineMs, module.config.timeout));
  }

  async stop(): Promise<void> {
    await this.#task?.destroy();
    this.#task = undefined;
    await this.#running?.catch(() => undefined);
  }

  get #now(): () => number {
    return this.options.nowSeconds ?? (() => Date.now() / 1000);
  }

  async #round(): Promise<void> {
    const config = this.#config;
    if (!config) return;
    const random = this.options.random ?? Math.random;
    const scheduled = this.#scheduled;
    const files = this.#certFiles;
    if (files.length === 0 && scheduled.length === 0) {
      this.options.store.setFiles(new Map());
      this.options.store.setFileErrors(new Map());
      return;
    }
    const engine = await probeEngine();
    const { probeTarget, scanCertFiles } = engine;
    await this.#checkClientCerts(engine);
    if (files.length > 0) {
      const failing = new Map<string, string>();
      const onError: CertFileError = (reason, path, detail) => {
        failing.set(path, reason);
        this.options.onCertFileError?.(reason, path, detail);
        this.options.logger.warn({ path, reason, detail }, 'cannot read certificate file');
      };
      // each entry's issuers are read once per round, not once per file
      const pools = new Map<string, Promise<readonly X509Certificate[] | undefined>>();
      const poolOf = (entry: Config['cert_files'][number], policy: RevocationPolicy) => {
        let pool = pools.get(entry.name);
        if (!pool) {
          pool = engine
            .readIssuers(`cert_files ${entry.name}: revocation.issuers_file`, policy.issuersFile)
            .then(
              (issuers) => [...issuers, ...engine.systemRoots()],
              (err: Error) => {
                onError('unreadable', policy.issuersFile ?? entry.name, err.message);
                return undefined;
              },
            );
          pools.set(entry.name, pool);
        }
        return pool;
      };
      this.options.store.setFiles(
        await scanCertFiles(files, onError, async (entry, certs) => {
          const policy = revocationPolicy(entry.revocation);
          if (!fetchesAnything(policy)) return certs;
          const pool = await poolOf(entry, policy);
          return pool === undefined
            ? certs
            : this.#checkHeld(engine, certs, policy, `cert_files ${entry.name}`, pool);
        }),
      );
      this.options.store.setFileErrors(failing);
    } else {
      this.options.store.setFiles(new Map());
      this.options.store.setFileErrors(new Map());
    }
    const clock = this.options.clockMs ?? Date.now;
    const sleep = this.options.sleep ?? realSleep;
    const roundStart = clock();
    const plan = jitterPlan(scheduled, config.jitter, random);
    await runPool(plan, config.concurrency, async ({ item: { target, module }, offsetMs }) => {
      const wait = roundStart + offsetMs - clock();
      if (wait > 0) await sleep(wait);
      if (this.#scheduled !== scheduled) return; // reloaded meanwhile
      try {
        const results = await probeTarget(target, module, this.#now);
        this.options.store.record(target.name, results);
        for (const r of results) {
          if (!r.success)
            this.options.logger.debug(
              { target: r.target, reason: r.reason, detail: r.detail },
              'probe failed',
            );
        }
      } catch (err) {
        this.options.logger.error(
          { target: target.name, err: (err as Error).message },
          'probe crashed',
        );
      }
    });
  }

  /** The modules' client certificates, checked for revocation when their policy asks. */
  async #checkClientCerts(engine: ProbeEngine): Promise<void> {
    const modules = this.#modules;
    if (![...modules.values()].some((m) => fetchesAnything(m.revocation.policy))) return;
    const checked = new Map<string, readonly PositionedCert[]>();
    for (const [name, module] of modules) {
      const pool = [...module.revocation.issuers, ...module.anchors];
      checked.set(
        name,
        await this.#checkHeld(
          engine,
          module.clientCerts,
          module.revocation.policy,
          `module ${name}`,
          pool,
        ),
      );
    }
    if (this.#modules === modules) this.options.store.setClientCerts(checked);
  }

  /** Held certificates (a file's, a client certificate) checked; as they are when nothing is on. */
  async #checkHeld(
    engine: ProbeEngine,
    certs: readonly PositionedCert[],
    policy: RevocationPolicy,
    what: string,
    pool: readonly X509Certificate[],
  ): Promise<PositionedCert[]> {
    if (!fetchesAnything(policy)) return [...certs];
    try {
      const checker = this.#checker(engine, this.#settings as RevocationSettings);
      return await engine.checkHeldCerts(checker, certs, policy, pool);
    } catch (err) {
      // a certificate the checks cannot read: published as it is, and said why
      this.options.logger.warn({ what, err: (err as Error).message }, 'revocation check failed');
      return [...certs];
    }
  }

  #cronLogger(): {
    info(m: string): void;
    warn(m: string): void;
    error(m: string | Error): void;
    debug(m: string | Error): void;
  } {
    const logger = this.options.logger;
    return {
      info: (m) => logger.debug({ component: 'cron' }, m),
      warn: (m) => logger.warn({ component: 'cron' }, m),
      error: (m) => logger.error({ component: 'cron' }, String(m)),
      debug: (m) => logger.debug({ component: 'cron' }, String(m)),
    };
  }
}
