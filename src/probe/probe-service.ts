// Runs the configured probes on their schedule (node-cron, no overlap), at most `concurrency` at
// a time, each target started at a random offset within `jitter` so they do not fire together.
// Results go to the store; /metrics reads the store, so two Prometheus replicas do not double
// the load. Owns the modules and their client certificates (checked for revocation each round
// when asked). Also runs one probe on demand for /probe. The engine is loaded by the first
// prepare with a module, and kept: nothing here runs without a module.
import type { Config } from '../config/schema.js';
import { fetchesAnything } from '../config/sections/revocation.js';
import type { Logger } from '../log/logger.js';
import { oneAtATime } from '../common/async.js';
import { probeEngine, type ProbeEngine } from './engine-loader.js';
import type { PositionedCert, ProbeResult } from './probe-result.js';
import type { ProbeModule } from './module-runtime.js';
import type { ProbeStore } from './probe-store.js';
import { parseHostPort, type ProbeTarget } from './probe-target.js';
import type { RevocationKeeper } from './revocation-keeper.js';
import { RoundSchedule } from './round-schedule.js';

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
  /** the one revocation checker, shared with the certificate files */
  readonly revocation: RevocationKeeper;
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
  #clientCerts = new Map<string, readonly PositionedCert[]>();
  #scheduled: Scheduled[] = [];
  readonly #schedule: RoundSchedule;
  #config: Config['probes'] | undefined;
  #engine: ProbeEngine | undefined;
  #prepared: { config: Config['probes']; modules: Map<string, ProbeModule> } | undefined;
  #stopped = false;

  constructor(private readonly options: ProbeServiceOptions) {
    options.store.hold('client_cert', () => this.#clientCerts);
    this.#schedule = new RoundSchedule('tls-probes', () => this.runAll(), options.logger);
  }

  get modules(): ReadonlyMap<string, ProbeModule> {
    return this.#modules;
  }

  /** Read the modules' files; throws when one is unusable (a reload then keeps the old config). */
  async prepare(config: Config): Promise<void> {
    const modules = new Map<string, ProbeModule>();
    const configured = Object.entries(config.probes.modules);
    if (configured.length > 0) {
      // the engine is loaded by the first config with a module, never without one
      const engine = (this.#engine ??= await probeEngine());
      const checker = this.options.revocation.checker(engine, config.revocation);
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
    this.#scheduled = config.probes.targets.map((t) => {
      const { host, port } = parseHostPort(t.address);
      return {
        target: { name: t.name, host, port, serverName: t.server_name ?? host },
        module: modules.get(t.module) as ProbeModule,
      };
    });
    // published as read until a round has checked them (when a module's policy asks)
    this.#clientCerts = new Map([...modules].map(([name, module]) => [name, module.clientCerts]));
    this.options.store.retainTargets(new Set(config.probes.targets.map((t) => t.name)));
    const due = this.#scheduled.length > 0 || this.#checksClientCerts();
    await this.#schedule.set(due ? config.probes.schedule : undefined);
  }

  /**
   * One round over every target (also what the schedule runs); concurrent calls share a round.
   * A round a reload overtook stops probing, records nothing more, and runs again with the new
   * targets: a target the reload removed is not published again by a probe still in flight.
   */
  readonly runAll = oneAtATime(async () => {
    while (!this.#stopped && !(await this.#round()));
  });

  /** A probe on demand (/probe, the probe command): results are returned, not stored. */
  async probeNow(
    target: ProbeTarget,
    module: ProbeModule,
    deadlineMs: number,
  ): Promise<ProbeResult[]> {
    // a module exists, so its prepare loaded the engine already
    const { probeTarget } = (this.#engine ??= await probeEngine());
    return probeTarget(target, module, this.#now, Math.min(deadlineMs, module.config.timeout));
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#schedule.set(undefined);
    await this.runAll.inFlight?.catch(() => undefined);
  }

  get #now(): () => number {
    return this.options.nowSeconds ?? (() => Date.now() / 1000);
  }

  #checksClientCerts(): boolean {
    return [...this.#modules.values()].some((m) => fetchesAnything(m.revocation.policy));
  }

  /** One round over the targets in force; false when a reload replaced them meanwhile. */
  async #round(): Promise<boolean> {
    const config = this.#config;
    const engine = this.#engine;
    if (!config || !engine) return true;
    const random = this.options.random ?? Math.random;
    const scheduled = this.#scheduled;
    await this.#checkClientCerts(engine);
    const clock = this.options.clockMs ?? Date.now;
    const sleep = this.options.sleep ?? realSleep;
    const roundStart = clock();
    const plan = jitterPlan(scheduled, config.jitter, random);
    await runPool(plan, config.concurrency, async ({ item: { target, module }, offsetMs }) => {
      const wait = roundStart + offsetMs - clock();
      if (wait > 0) await sleep(wait);
      if (this.#scheduled !== scheduled) return; // reloaded meanwhile
      try {
        const results = await engine.probeTarget(target, module, this.#now);
        if (this.#scheduled !== scheduled) return;
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
    return this.#scheduled === scheduled;
  }

  /** The modules' client certificates, checked for revocation when their policy asks. */
  async #checkClientCerts(engine: ProbeEngine): Promise<void> {
    const modules = this.#modules;
    if (!this.#checksClientCerts()) return;
    const checked = new Map<string, readonly PositionedCert[]>();
    for (const [name, module] of modules) {
      const pool = [...module.revocation.issuers, ...module.anchors];
      checked.set(
        name,
        await this.options.revocation.checkHeld(
          engine,
          module.clientCerts,
          module.revocation.policy,
          `module ${name}`,
          pool,
        ),
      );
    }
    if (this.#modules === modules) this.#clientCerts = checked;
  }
}
