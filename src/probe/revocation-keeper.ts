// One revocation checker for the probe modules, their client certificates and the certificate
// files: one cache and one fetcher, made with the engine on first need and brought to every
// reloaded `revocation:` section (its part runs before the probes' and the files'). Held
// certificates (a file's, a module's client certificate) are checked here, the same way for both.
import type { X509Certificate } from 'node:crypto';
import {
  fetchesAnything,
  type RevocationPolicy,
  type RevocationSettings,
} from '../config/sections/revocation.js';
import type { Revocation } from '../certs/revocation/from-settings.js';
import type {
  RevocationChecker,
  RevocationRecorder,
} from '../certs/revocation/revocation-checker.js';
import type { Logger } from '../log/logger.js';
import type { ProbeEngine } from './engine-loader.js';
import type { PositionedCert } from './probe-result.js';

export class RevocationKeeper {
  #made: { revocation: Revocation; engine: ProbeEngine } | undefined;
  #settings: RevocationSettings | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly recorder?: RevocationRecorder,
  ) {}

  /** The checker, made with `settings` on first need (a module being prepared). */
  checker(engine: ProbeEngine, settings: RevocationSettings): RevocationChecker {
    this.#made ??= {
      revocation: engine.revocationFromSettings(settings, this.recorder),
      engine,
    };
    return this.#made.revocation.checker;
  }

  /** The running config's section, brought to the checker once there is one. */
  apply(settings: RevocationSettings): void {
    this.#settings = settings;
    this.#made?.engine.applySettings(this.#made.revocation, settings);
  }

  /** Held certificates checked per `policy`; as they are when it checks nothing or cannot read. */
  async checkHeld(
    engine: ProbeEngine,
    certs: readonly PositionedCert[],
    policy: RevocationPolicy,
    what: string,
    pool: readonly X509Certificate[],
  ): Promise<PositionedCert[]> {
    if (!fetchesAnything(policy) || this.#settings === undefined) return [...certs];
    try {
      return await engine.checkHeldCerts(this.checker(engine, this.#settings), certs, policy, pool);
    } catch (err) {
      // a certificate the checks cannot read: published as it is, and said why
      this.logger.warn({ what, err: (err as Error).message }, 'revocation check failed');
      return [...certs];
    }
  }
}
