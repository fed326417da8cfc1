// `probe <target>`: one probe now, a report on standard output; exit 1 when a check fails or a
// certificate is in the red, 2 when the flags are wrong. A module of the config file may be the
// starting point; flags override its keys.
import { Command } from 'commander';
import { issueText } from '../config/issue-text.js';
import { flagOrEnv, type Env, type Flags } from '../config/overrides.js';
import type { ModuleConfig } from '../config/sections/probes.js';
import { ExporterError, problemsOf } from '../errors.js';
import { resolveConfig } from '../main.js';
import { CONFIG_FLAG, flagsOf } from './flags.js';

interface ProbeFlags {
  readonly serverName?: string;
  readonly caFile?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly module?: string;
  readonly timeout?: string;
  readonly expectClientAuth?: boolean;
  readonly ocsp?: string;
  readonly revocationOcsp?: string;
  readonly revocationCrl?: string;
  readonly securityLevel?: string;
  readonly hostnameCnFallback?: boolean;
  readonly keyExchangeGroups?: string;
}

/** A loaded module as the config file wrote it (durations back to text), to parse again. */
function asWritten(module: ModuleConfig): Record<string, unknown> & {
  revocation?: Record<string, unknown>;
} {
  const { revocation, ...rest } = module;
  return {
    ...rest,
    timeout: `${module.timeout}ms`,
    ...(revocation === undefined
      ? {}
      : {
          revocation: {
            ...revocation,
            timeout: `${revocation.timeout}ms`,
            cache_max_age: `${revocation.cache_max_age}ms`,
          },
        }),
  };
}

async function probe(targetArg: string, opts: ProbeFlags, flags: Flags, env: Env): Promise<void> {
  try {
    const [{ moduleSchema }, { revocationSection }, engine, { probeReport, redCertificates }] =
      await Promise.all([
        import('../config/sections/probes.js'),
        import('../config/sections/revocation.js'),
        import('../probe/probe-engine.js'),
        import('../probe/report.js'),
      ]);
    const { loadModule, probeTarget } = engine;
    const { parseHostPort } = await import('../probe/probe-target.js');
    const configFile = flagOrEnv(CONFIG_FLAG, flags, env)?.value;
    const config =
      configFile === undefined ? undefined : await resolveConfig(configFile, flags, env);
    const fromConfig = opts.module === undefined ? undefined : config?.probes.modules[opts.module];
    if (opts.module !== undefined && fromConfig === undefined) {
      throw new ExporterError(
        'FLAG_INVALID',
        `--module: no module ${JSON.stringify(opts.module)} in ${configFile ?? 'the config (give --config.file)'}`,
      );
    }
    const parsed = moduleSchema.safeParse(
      {
        // the module as loaded holds its timeout in ms: parse it again as what it was written as
        ...(fromConfig === undefined ? {} : asWritten(fromConfig)),
        ...(opts.caFile === undefined ? {} : { ca_file: opts.caFile }),
        ...(opts.cert === undefined ? {} : { client_cert_file: opts.cert }),
        ...(opts.key === undefined ? {} : { client_key_file: opts.key }),
        ...(opts.timeout === undefined ? {} : { timeout: opts.timeout }),
        ...(opts.expectClientAuth === undefined
          ? {}
          : { expect_client_auth: opts.expectClientAuth }),
        ...(opts.ocsp === undefined ? {} : { ocsp: opts.ocsp }),
        ...(opts.revocationOcsp === undefined && opts.revocationCrl === undefined
          ? {}
          : {
              revocation: {
                ...(fromConfig === undefined ? {} : asWritten(fromConfig).revocation),
                ...(opts.revocationOcsp === undefined ? {} : { ocsp: opts.revocationOcsp }),
                ...(opts.revocationCrl === undefined ? {} : { crl: opts.revocationCrl }),
              },
            }),
        ...(opts.securityLevel === undefined ? {} : { security_level: Number(opts.securityLevel) }),
        ...(opts.keyExchangeGroups === undefined
          ? {}
          : { key_exchange_groups: opts.keyExchangeGroups.split(',').map((g) => g.trim()) }),
        ...(opts.hostnameCnFallback === undefined
          ? {}
          : { hostname_cn_fallback: opts.hostnameCnFallback }),
      },
      { reportInput: true, error: issueText },
    );
    if (!parsed.success) {
      throw new ExporterError(
        'FLAG_INVALID',
        parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'),
      );
    }
    const module = parsed.data;
    const { host, port } = parseHostPort(targetArg);
    // what may be fetched for revocation: the config's revocation section, else its defaults
    const settings = config?.revocation ?? revocationSection.schema.parse({});
    const { checker } = engine.revocationFromSettings(settings);
    const results = await probeTarget(
      { name: targetArg, host, port, serverName: opts.serverName ?? host },
      await loadModule(opts.module ?? 'cli', module, checker),
      () => Date.now() / 1000,
    );
    for (const result of results)
      process.stdout.write(`${probeReport(result, Date.now() / 1000)}\n`);
    // a check that failed, or a certificate in the red (below 7 days), is exit 1
    const now = Date.now() / 1000;
    process.exitCode = results.every((r) => r.success && redCertificates(r, now).length === 0)
      ? 0
      : 1;
  } catch (err) {
    for (const problem of problemsOf(err)) process.stderr.write(`probe: ${problem}\n`);
    process.exitCode = 2;
  }
}

/** `probe <target>` and its flags. */
export function probeCommand(env: Env): Command {
  return new Command('probe')
    .description('probe one TLS endpoint now and print a report; exit 1 when a check fails')
    .argument('<target>', 'host:port ([ipv6]:port)')
    .option(
      '--server-name <name>',
      'SNI and the name checked against the certificate (default: the host)',
    )
    .option('--ca-file <path>', 'PEM trust anchors (default: the system roots)')
    .option('--cert <path>', 'client certificate (PEM)')
    .option('--key <path>', 'client private key (PEM)')
    .option('--module <name>', 'start from this module of --config.file')
    .option('--timeout <duration>', 'deadline, e.g. 5s')
    .option('--expect-client-auth', 'also try without a client certificate: it must be refused')
    .option(
      '--ocsp <mode>',
      'the staple: off, request or require (a good one must be stapled); as the module key ocsp',
    )
    .option(
      '--revocation-ocsp <mode>',
      'OCSP for every certificate of the path: off, staple, responder or require',
    )
    .option(
      '--revocation-crl <mode>',
      'CRLs for every certificate of the path: off, check or require',
    )
    .option(
      '--security-level <n>',
      'OpenSSL security level 0-5 (default 2: RSA-1024 and SHA-1 refused, as Debian clients)',
    )
    .option(
      '--key-exchange-groups <list>',
      'groups the server may choose, comma-separated (X25519,P-256,X25519MLKEM768; none = RSA key transport)',
    )
    .option(
      '--hostname-cn-fallback',
      'accept a name only in the subject CN when there is no DNS SAN (as OpenSSL; Go refuses)',
    )
    .action(async (target: string, opts: ProbeFlags, cmd: Command) =>
      probe(target, opts, flagsOf(cmd), env),
    );
}
