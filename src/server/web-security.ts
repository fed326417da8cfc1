// The web config at run time: which TLS connections are let in (client-certificate policy and
// allowed SANs), who passes basic auth, which headers every response carries, and re-reading the
// file (and the certificates it names) when any of them changes, so a rotated certificate applies
// without a restart. A broken new file is logged and the running settings stay.
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { Server as HttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import bcrypt from 'bcryptjs';
import { problemsOf } from '../errors.js';
import type { Logger } from '../log/logger.js';
import type { ServerTls } from './http-server.js';
import {
  loadWebSettings,
  secureContextOptions,
  type TlsSettings,
  type WebSettings,
} from '../config/web-config.js';
import { BoundedMap } from '../common/bounded-map.js';

function asksForClientCert(tls: TlsSettings): boolean {
  return tls.clientAuth !== 'NoClientCert';
}

/** A hash of the same cost to check against when the user is unknown, so a wrong name costs
 * the same time as a wrong password. Made once per cost. */
const unknownUserHashes = new Map<number, Promise<string>>();
function unknownUserHash(like: string | undefined): Promise<string> {
  const cost = Number(/^\$2[aby]\$(\d\d)\$/.exec(like ?? '')?.[1] ?? 10);
  let hash = unknownUserHashes.get(cost);
  if (hash === undefined) {
    hash = bcrypt.hash('unknown user', cost);
    unknownUserHashes.set(cost, hash);
  }
  return hash;
}
const VERIFIED_REMEMBERED = 1_024;
export const WEB_CONFIG_CHECK_MS = 5_000;

/** Every subject alternative name of a certificate, without its type prefix. */
export function sanValues(subjectAltName: string | undefined): string[] {
  if (subjectAltName === undefined) return [];
  return subjectAltName
    .split(/,\s*/)
    .map((entry) => entry.slice(entry.indexOf(':') + 1).trim())
    .filter((v) => v !== '');
}

export function parseBasicAuth(
  header: string | undefined,
): { user: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export class WebSecurity {
  #settings: WebSettings;
  #server: HttpsServer | undefined;
  readonly #verified = new BoundedMap<true>(VERIFIED_REMEMBERED);
  #stamps = '';
  #timer: NodeJS.Timeout | undefined;

  constructor(
    settings: WebSettings,
    private readonly logger: Logger,
  ) {
    this.#settings = settings;
  }

  get settings(): WebSettings {
    return this.#settings;
  }

  /** The response headers the web config sets. */
  headers(): Readonly<Record<string, string>> {
    return this.#settings.headers;
  }

  /** What the listening socket needs to serve HTTPS under these settings; undefined = plain. */
  serverTls(): ServerTls | undefined {
    const tls = this.#settings.tls;
    if (tls === undefined) return undefined;
    return {
      context: secureContextOptions(tls),
      requestCert: asksForClientCert(tls),
      admits: (socket) => this.admits(socket),
      attach: (server) => {
        this.#server = server;
      },
    };
  }

  /** Whether a TLS connection may go on to HTTP, per client_auth_type and client_allowed_sans. */
  admits(socket: TLSSocket): boolean {
    const tls = this.#settings.tls;
    if (tls === undefined) return true;
    const cert = socket.getPeerX509Certificate();
    const verified = cert !== undefined && socket.authorized;
    const sansOk = (): boolean =>
      tls.allowedSans === undefined ||
      sanValues(cert?.subjectAltName).some((v) => tls.allowedSans?.includes(v));
    switch (tls.clientAuth) {
      case 'NoClientCert':
      case 'RequestClientCert':
        return true;
      case 'RequireAnyClientCert':
        return cert !== undefined;
      case 'VerifyClientCertIfGiven':
        return cert === undefined || (verified && sansOk());
      case 'RequireAndVerifyClientCert':
        return verified && sansOk();
    }
  }

  /** Basic auth: true when no users are configured, or the header carries valid credentials. */
  async authorized(header: string | undefined): Promise<boolean> {
    const users = this.#settings.users;
    if (users.size === 0) return true;
    const credentials = parseBasicAuth(header);
    if (credentials === undefined) return false;
    const hash = users.get(credentials.user);
    const key = createHash('sha256')
      .update(`${credentials.user}\u0000${credentials.password}\u0000${hash ?? ''}`)
      .digest('hex');
    if (hash !== undefined && this.#verified.has(key)) return true;
    // bcryptjs compares in constant time and yields to the event loop while hashing
    const against = hash ?? (await unknownUserHash(users.values().next().value));
    const ok = await bcrypt.compare(credentials.password, against);
    if (!ok || hash === undefined) return false;
    this.#verified.set(key, true);
    return true;
  }

  /** Re-read the file now. False (and the running settings kept) when the new one is unusable. */
  async reload(): Promise<boolean> {
    let next: WebSettings;
    try {
      next = await loadWebSettings(this.#settings.file);
    } catch (err) {
      this.logger.error(
        { file: this.#settings.file, problems: problemsOf(err) },
        'web config reload failed; keeping the running one',
      );
      return false;
    }
    if ((next.tls === undefined) !== (this.#settings.tls === undefined)) {
      this.logger.warn(
        { file: next.file },
        'switching TLS on or off in the web config takes effect after a restart',
      );
      next = { ...next, tls: this.#settings.tls };
    }
    if (next.tls !== undefined && this.#server !== undefined) {
      this.#server.setSecureContext(secureContextOptions(next.tls));
      // read by tls.Server for every new connection
      (this.#server as unknown as { requestCert: boolean }).requestCert = asksForClientCert(
        next.tls,
      );
    }
    this.#settings = next;
    this.#verified.clear();
    this.#stamps = await this.#fileStamps();
    this.logger.info({ file: next.file }, 'web config loaded');
    return true;
  }

  /** Check the files every `intervalMs` and reload when one changed (rotated certificates). */
  async watch(intervalMs = WEB_CONFIG_CHECK_MS): Promise<void> {
    this.#stamps = await this.#fileStamps();
    const tick = (): void => {
      this.#timer = setTimeout(() => {
        void this.checkForChanges().finally(tick);
      }, intervalMs);
      this.#timer.unref();
    };
    tick();
  }

  /** Reload when any file the settings came from changed since the last load. */
  async checkForChanges(): Promise<boolean> {
    const stamps = await this.#fileStamps();
    if (stamps === this.#stamps) return false;
    return this.reload();
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
  }

  async #fileStamps(): Promise<string> {
    const parts = await Promise.all(
      this.#settings.files.map(async (f) => {
        try {
          const s = await stat(f);
          return `${f}:${s.ino}:${s.size}:${s.mtimeMs}`;
        } catch {
          return `${f}:missing`;
        }
      }),
    );
    return parts.join('|');
  }
}
