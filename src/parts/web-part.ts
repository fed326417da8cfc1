// The web config part (TLS and basic auth of the endpoints, exporter-toolkit's format). Read when
// the part is built, not at its apply: the listening socket needs it before any part starts.
// Every reload re-reads it after the swap; an unusable file fails the reload "in part" (the rest
// of the config is in force, the running web settings stay, the reload gauge says 0). Its files
// are also watched, so a rotated certificate is served without a reload. The exporter's own
// serving certificate expires too: published as source="serving", its chain read once per
// certificate the web config loaded (every family of a scrape asks for it).
import { ExporterError } from '../errors.js';
import { probeEngine } from '../probe/engine-loader.js';
import type { PositionedCert } from '../probe/probe-result.js';
import type { ProbeStore } from '../probe/probe-store.js';
import type { Part } from '../runtime/part.js';
import type { WebSecurity } from '../server/web-security.js';
import type { PartContext } from './context.js';

export interface WebPart {
  readonly parts: Part[];
  /** undefined without a web config: the endpoints are plain HTTP and open */
  readonly security: WebSecurity | undefined;
}

/** TLS and basic auth (bcrypt among them) are loaded only with a web config. */
async function loadWebSecurity(file: string, { logger }: PartContext): Promise<WebSecurity> {
  const [{ loadWebSettings }, { WebSecurity }] = await Promise.all([
    import('../config/web-config.js'),
    import('../server/web-security.js'),
  ]);
  return new WebSecurity(await loadWebSettings(file), logger);
}

/** An unusable web config refuses the start (ConfigError naming the key), like a bad config. */
export async function webPart(ctx: PartContext, store: ProbeStore): Promise<WebPart> {
  const file = ctx.initial.web.config_file;
  if (file === undefined) return { parts: [], security: undefined };
  const web = await loadWebSecurity(file, ctx);
  if (web.settings.tls !== undefined) await publishServing(web, store);
  const part: Part = {
    name: 'web config',
    async apply(_next, previous) {
      if (previous === undefined) return web.watch();
      if (!(await web.reload()))
        throw new ExporterError(
          'CONFIG_INVALID',
          `web config ${file} not reloaded (the running one stays; the log says why)`,
        );
    },
    stop: () => web.stop(),
  };
  return { parts: [part], security: web };
}

async function publishServing(web: WebSecurity, store: ProbeStore): Promise<void> {
  const { anchorsFromPem, positionedChain } = await probeEngine();
  let serving: { cert: Buffer; chain: readonly PositionedCert[] } | undefined;
  store.hold('serving', () => {
    const cert = web.settings.tls?.cert;
    if (cert === undefined) return [];
    if (serving?.cert !== cert) {
      let chain: readonly PositionedCert[] = [];
      try {
        chain = positionedChain(anchorsFromPem(cert.toString('utf8')).map((c) => c.raw));
      } catch {
        // an unreadable chain was refused when the web config loaded; nothing to publish
      }
      serving = { cert, chain };
    }
    return [['web', serving.chain]];
  });
}
