// Probes one target with one module: resolve, a full handshake per address, then the checks
// (chain against the module's trust, hostname, client authentication enforced, OCSP). The
// certificates are published whatever fails. Never throws: a failure is a result with a reason
// and who ended it (the probe's checks, the server, the network).
import type { X509Certificate } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { ProbeFailureReason, RefusedBy } from '../domain/tls-words.js';
import { handshake, errorReason, type HandshakeResult } from './handshake.js';
import { cachedCertFacts } from '../certs/inspect/cert-facts.js';
import { opensslReason } from '../certs/inspect/openssl-verdict.js';
import { hostnameMatches, verifyChain, type ChainVerdict } from '../certs/inspect/verify-chain.js';
import { fetchesAnything } from '../config/sections/revocation.js';
import type { ProbeModule } from './module-runtime.js';
import type { ProbeTarget } from './probe-target.js';
import { checkOcsp } from './ocsp-check.js';
import { attachFindings, checkPath, revocationProblem } from './revocation-check.js';
import {
  positionOf,
  type OcspFinding,
  type PositionedCert,
  type ProbeResult,
} from './probe-result.js';

export { parseHostPort, type ProbeTarget } from './probe-target.js';

/** A refusal of a handshake without a client certificate: what "enforced" looks like. */
const REFUSED: ReadonlySet<ProbeFailureReason | undefined> = new Set([
  'no_client_cert',
  'handshake_failure_alert',
  'bad_certificate',
  'aborted',
]);

/** after a TLS 1.3 handshake, how long to wait for the server's verdict on our certificate */
const VERDICT_WAIT_MS = 250;

interface Problem {
  readonly reason: ProbeFailureReason;
  readonly refusedBy: RefusedBy;
  readonly detail: string;
}

/**
 * A server that refuses our client certificate often says only "handshake failure" or closes
 * (TLS 1.3); when our own certificate is out of its validity, that is the cause to report.
 */
function refusalCause(main: HandshakeResult, module: ProbeModule, now: number): Problem {
  const reason = main.reason ?? 'other_tls';
  const refusedBy = main.refusedBy ?? 'server';
  const detail = main.detail ?? 'handshake failed';
  const [client] = module.clientChain;
  if (!client || !REFUSED.has(reason)) return { reason, refusedBy, detail };
  const facts = cachedCertFacts(client);
  if (now > facts.notAfter || now < facts.notBefore) {
    const when = new Date(
      (now > facts.notAfter ? facts.notAfter : facts.notBefore) * 1000,
    ).toISOString();
    return {
      reason: 'cert_expired',
      refusedBy: 'server',
      detail: `the server refused the handshake; the module's client certificate "${facts.subjectCN}" is ${now > facts.notAfter ? `expired since ${when}` : `not valid before ${when}`} (${detail})`,
    };
  }
  return { reason, refusedBy, detail };
}

/**
 * The chain verdict: OpenSSL's (from the handshake) decides whether the chain verifies; the
 * reason and detail are ours when we found a problem too (they name the certificate), else
 * OpenSSL's words. Without OpenSSL's verdict (none could be read), ours.
 */
function chainProblem(main: HandshakeResult, ours: ChainVerdict): Problem | undefined {
  const openssl = main.verifyError;
  if (openssl === null) return undefined;
  if (!ours.verified) return { reason: ours.reason, refusedBy: 'probe', detail: ours.detail };
  if (openssl === undefined) return undefined;
  return {
    reason: opensslReason(openssl),
    refusedBy: 'probe',
    detail: `OpenSSL refused the chain: ${openssl.message}`,
  };
}

/** What the staple fails: revoked always; with require_staple, anything but a usable good. */
function ocspVerdict(ocsp: OcspFinding, requireStaple: boolean): Problem | undefined {
  if (ocsp.status === 1)
    return {
      reason: 'cert_revoked',
      refusedBy: 'probe',
      detail: 'the stapled OCSP response says revoked',
    };
  if (!requireStaple || (ocsp.status === 0 && ocsp.problem === undefined)) return undefined;
  if (!ocsp.stapled)
    return {
      reason: 'ocsp_missing',
      refusedBy: 'probe',
      detail: 'a staple is required (ocsp: require, or require_staple), and none was stapled',
    };
  return {
    reason: 'ocsp_invalid',
    refusedBy: 'probe',
    detail: `a staple is required (ocsp: require, or require_staple), and the stapled response is not a usable "good": ${ocsp.problem ?? 'status unknown'}`,
  };
}

/** Every address of a name, in the system's order (getaddrinfo: /etc/hosts, then DNS). */
export type Resolver = (host: string) => Promise<string[]>;

export const systemResolver: Resolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

async function resolve(host: string, all: boolean, resolver: Resolver): Promise<string[]> {
  if (isIP(host)) return [host];
  const addresses = await resolver(host);
  if (addresses.length === 0)
    throw Object.assign(new Error(`${host} has no address`), { code: 'ENOTFOUND' });
  return all ? addresses : addresses.slice(0, 1);
}

/**
 * The certificates of a verified chain as published: the path in its order (leaf, intermediates,
 * the anchor last: `root` when self-issued), then every presented certificate not on it as `extra`.
 */
export function verifiedPositions(
  path: readonly X509Certificate[],
  presented: readonly PositionedCert[],
): PositionedCert[] {
  const onPath = path.map((cert, i): PositionedCert => {
    const facts = cachedCertFacts(cert.raw);
    const last = i === path.length - 1;
    return {
      position: i === 0 ? 'leaf' : last && facts.selfIssued ? 'root' : 'intermediate',
      facts,
    };
  });
  const used = new Set(onPath.map((c) => c.facts.sha256));
  const extra = presented
    .filter((c) => !used.has(c.facts.sha256))
    .map((c): PositionedCert => ({ position: 'extra', facts: c.facts }));
  return [...onPath, ...extra];
}

export async function probeTarget(
  target: ProbeTarget,
  module: ProbeModule,
  nowSeconds: () => number,
  deadlineMs: number = module.config.timeout,
  resolver: Resolver = systemResolver,
): Promise<ProbeResult[]> {
  const start = performance.now();
  const at = nowSeconds();
  let addresses: string[];
  try {
    addresses = await resolve(target.host, module.config.resolve === 'all', resolver);
  } catch (err) {
    return [
      {
        target: target.name,
        at,
        handshakeOk: false,
        success: false,
        ...errorReason(err as NodeJS.ErrnoException, module.offersClientCert),
        detail: (err as Error).message,
        durations: {
          resolve: (performance.now() - start) / 1000,
          total: (performance.now() - start) / 1000,
        },
        certs: [],
      },
    ];
  }
  const resolveSeconds = (performance.now() - start) / 1000;
  const remaining = (): number => Math.max(1, deadlineMs - (performance.now() - start));
  const all = module.config.resolve === 'all';
  const round: AddressRound = { target, module, at, start, resolveSeconds, remaining, nowSeconds };
  return Promise.all(
    addresses.map((address) =>
      probeAddress(round, address, all ? `${target.name}@${address}` : target.name),
    ),
  );
}

/** What every address of one target's probe shares: the target, its module and the clock. */
interface AddressRound {
  readonly target: ProbeTarget;
  readonly module: ProbeModule;
  /** when the probe started, in seconds (the result's time) */
  readonly at: number;
  /** performance.now() at the start, for the durations */
  readonly start: number;
  readonly resolveSeconds: number;
  /** ms left of the module's deadline */
  readonly remaining: () => number;
  readonly nowSeconds: () => number;
}

/** One address of a target (all of them with resolve: all), published as `label`. */
async function probeAddress(
  round: AddressRound,
  address: string,
  label: string,
): Promise<ProbeResult> {
  const { target, module, at, start, resolveSeconds, remaining, nowSeconds } = round;
  const servername = isIP(target.serverName) ? undefined : target.serverName;
  const request = {
    address,
    port: target.port,
    servername,
    minVersion: module.config.min_version,
    requestOcsp: module.revocation.policy.ocsp !== 'off',
    verdictWaitMs: VERDICT_WAIT_MS,
  };
  const main: HandshakeResult = await handshake({
    ...request,
    context: module.withClientCert,
    offersClientCert: module.offersClientCert,
    timeoutMs: remaining(),
  });
  const certs: PositionedCert[] = main.chain.flatMap((der, i) => {
    try {
      const facts = cachedCertFacts(der);
      return [{ position: positionOf(facts, i), facts }];
    } catch {
      return [];
    }
  });
  const problems: Problem[] = [];
  if (!main.ok) problems.push(refusalCause(main, module, nowSeconds()));

  let chainVerified: boolean | undefined;
  let hostnameMatch: boolean | undefined;
  let issuer: Buffer | undefined;
  let verifiedPath: readonly X509Certificate[] | undefined;
  const leaf = main.certificates[0];
  if (leaf) {
    const ours = verifyChain(
      main.certificates,
      module.anchors,
      nowSeconds(),
      module.config.security_level,
    );
    const problem = chainProblem(main, ours);
    chainVerified = problem === undefined;
    if (problem) problems.push(problem);
    else if (ours.verified) {
      // the path that verified, with its anchor (which matters as much as the chain), and what
      // the server sent beyond it as `extra`: a client never uses those, so no expiry of theirs
      // is an outage (an expired cross-signature of the root, a stale intermediate)
      certs.splice(0, certs.length, ...verifiedPositions(ours.path, certs));
    }
    issuer = ours.issuer?.raw;
    if (problem === undefined && ours.verified) verifiedPath = ours.path;
    hostnameMatch = hostnameMatches(leaf, target.serverName, module.config.hostname_cn_fallback);
    if (!hostnameMatch)
      problems.push({
        reason: 'san_mismatch',
        refusedBy: 'probe',
        detail: `the certificate is not valid for ${target.serverName}`,
      });
  }

  let clientAuthEnforced: boolean | undefined;
  if (module.config.expect_client_auth && (main.ok || main.reason === 'no_client_cert')) {
    const bare = module.offersClientCert
      ? await handshake({
          ...request,
          requestOcsp: false,
          context: module.withoutClientCert,
          offersClientCert: false,
          timeoutMs: remaining(),
        })
      : main;
    if (bare.ok) clientAuthEnforced = false;
    else if (REFUSED.has(bare.reason)) clientAuthEnforced = true;
    if (clientAuthEnforced === false) {
      problems.push({
        reason: 'client_auth_not_enforced',
        refusedBy: 'probe',
        detail: 'a client without a certificate was accepted: mutual TLS is not enforced',
      });
    }
  }

  const policy = module.revocation.policy;
  const stapleMode = policy.ocsp === 'off' ? 'off' : policy.requireStaple ? 'require' : 'request';
  const ocsp =
    main.ok || main.ocsp
      ? checkOcsp(main.ocsp, main.chain[0], issuer, stapleMode, nowSeconds())
      : undefined;
  const ocspProblem = ocsp && ocspVerdict(ocsp, policy.requireStaple);
  if (ocspProblem) problems.push(ocspProblem);

  // revocation of every certificate of the verified path: only a path a trusted CA signed names
  // the URLs fetched (a server cannot steer the exporter with a certificate it made up); with
  // only the staple to read and none stapled (the default, most servers) nothing runs
  if (
    verifiedPath !== undefined &&
    (ocsp?.reading !== undefined || fetchesAnything(policy)) &&
    module.revocation.checker
  ) {
    // a fetch never outlives the probe's deadline (/probe's is the scrape timeout)
    const findings = await checkPath(
      module.revocation.checker,
      verifiedPath,
      { ...policy, timeoutMs: Math.min(policy.timeoutMs, remaining()) },
      ocsp?.reading,
    );
    attachFindings(certs, verifiedPath, findings);
    const problem = revocationProblem(verifiedPath, findings, policy);
    if (problem)
      problems.push({
        reason: problem.revoked ? 'cert_revoked' : 'revocation_unavailable',
        refusedBy: 'probe',
        detail: problem.detail,
      });
  }

  const groups = module.config.key_exchange_groups;
  if (main.ok && groups !== undefined && !groups.includes(main.group ?? 'none'))
    problems.push({
      reason: 'key_exchange_not_allowed',
      refusedBy: 'probe',
      detail: `the server chose key exchange ${main.group ?? 'without an ephemeral group (RSA key transport)'}, not one of key_exchange_groups (${groups.join(', ')})`,
    });

  const first = problems[0];
  const total = (performance.now() - start) / 1000;
  return {
    target: label,
    at,
    handshakeOk: main.ok,
    success: problems.length === 0,
    ...(first ? { reason: first.reason, refusedBy: first.refusedBy, detail: first.detail } : {}),
    durations: {
      resolve: resolveSeconds,
      ...(main.connectSeconds === undefined ? {} : { connect: main.connectSeconds }),
      ...(main.handshakeSeconds === undefined ? {} : { handshake: main.handshakeSeconds }),
      total,
    },
    ...(main.protocol === undefined ? {} : { protocol: main.protocol }),
    ...(main.cipher === undefined ? {} : { cipher: main.cipher }),
    ...(main.group === undefined ? {} : { group: main.group }),
    certs,
    ...(chainVerified === undefined ? {} : { chainVerified }),
    ...(hostnameMatch === undefined ? {} : { hostnameMatch }),
    ...(clientAuthEnforced === undefined ? {} : { clientAuthEnforced }),
    ...(ocsp === undefined || policy.ocsp === 'off' ? {} : { ocsp }),
  };
}
