// The certificate files part: scans the `cert_files` entries on the probes' schedule (and at
// once after every start or reload), checks what an entry's revocation policy asks, and owns
// what the store publishes of them (the certificates by path, the files that failed). A scan
// asked for while one runs joins it (a schedule tick during a long keystore scan adds none); a
// scan a reload overtook publishes nothing and runs again with the new entries.
import type { X509Certificate } from 'node:crypto';
import { oneAtATime } from '../common/async.js';
import {
  fetchesAnything,
  revocationPolicy,
  type RevocationPolicy,
} from '../config/sections/revocation.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import type { CertFileError } from './cert-file-source.js';
import { probeEngine, type ProbeEngine } from './engine-loader.js';
import type { PositionedCert } from './probe-result.js';
import type { ProbeStore } from './probe-store.js';
import type { RevocationKeeper } from './revocation-keeper.js';
import { RoundSchedule } from './round-schedule.js';

type Entry = Config['cert_files'][number];

export interface CertFileServiceOptions {
  readonly store: ProbeStore;
  readonly logger: Logger;
  /** the one revocation checker, shared with the probe modules */
  readonly revocation: RevocationKeeper;
  readonly onError?: CertFileError;
}

export class CertFileService {
  #entries: Config['cert_files'] = [];
  #files: ReadonlyMap<string, readonly PositionedCert[]> = new Map();
  #errors: ReadonlyMap<string, string> = new Map();
  #engine: ProbeEngine | undefined;
  #stopped = false;
  readonly #schedule: RoundSchedule;

  constructor(private readonly options: CertFileServiceOptions) {
    options.store.hold('file', () => this.#files);
    options.store.holdFileErrors(() => this.#errors);
    this.#schedule = new RoundSchedule('tls-cert-files', () => this.scan(), options.logger);
  }

  /** The engine, loaded by the first config with an entry. */
  async prepare(config: Config): Promise<void> {
    if (config.cert_files.length > 0) this.#engine ??= await probeEngine();
  }

  async apply(config: Config): Promise<void> {
    await this.prepare(config);
    this.#entries = config.cert_files;
    if (this.#entries.length === 0) {
      // no entry left: nothing of the files is published any more
      this.#files = new Map();
      this.#errors = new Map();
    }
    await this.#schedule.set(this.#entries.length > 0 ? config.probes.schedule : undefined);
  }

  /** Scan every entry now, again while a reload changes them under the scan. */
  readonly scan = oneAtATime(async () => {
    while (!this.#stopped && !(await this.#scanOnce()));
  });

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#schedule.set(undefined);
    await this.scan.inFlight?.catch(() => undefined);
  }

  /** One scan of the entries in force; false when a reload replaced them meanwhile. */
  async #scanOnce(): Promise<boolean> {
    const entries = this.#entries;
    const engine = this.#engine;
    if (entries.length === 0 || engine === undefined) return true;
    const failing = new Map<string, string>();
    const onError: CertFileError = (reason, path, detail) => {
      failing.set(path, reason);
      this.options.onError?.(reason, path, detail);
      this.options.logger.warn({ path, reason, detail }, 'cannot read certificate file');
    };
    // each entry's issuers are read once per scan, not once per file
    const pools = new Map<string, Promise<readonly X509Certificate[] | undefined>>();
    const poolOf = (entry: Entry, policy: RevocationPolicy) => {
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
    const files = await engine.scanCertFiles(entries, onError, async (entry, certs) => {
      const policy = revocationPolicy(entry.revocation);
      if (!fetchesAnything(policy)) return certs;
      const pool = await poolOf(entry, policy);
      return pool === undefined
        ? certs
        : this.options.revocation.checkHeld(
            engine,
            certs,
            policy,
            `cert_files ${entry.name}`,
            pool,
          );
    });
    // entries a reload replaced meanwhile are not published: the new ones are scanned next
    if (this.#entries !== entries) return false;
    this.#files = files;
    this.#errors = failing;
    return true;
  }
}
