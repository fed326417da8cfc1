// The drill: each fault in turn, a real handshake at `rate` per second for `durationMs`, then the
// counters read until the fault shows or `settleMs` passes. Before and after each fault the
// observer's counts are read, so what appeared is attributed to that fault alone; what other
// traffic adds can only make a fault look seen, never hide it. Never more than
// rate x duration handshakes per fault.
import type { ConnectionOptions } from 'node:tls';
import type { DrillFault, DrillNote, DrillVerdict } from '../domain/drill-words.js';
import { OTHER } from '../limit/label-limiter.js';
import { pollUntil } from '../common/async.js';
import type { Logger } from '../log/logger.js';
import {
  plaintextAttempt,
  tlsAttempt,
  type Answer,
  type AnswerKind,
  type AttemptTarget,
} from './attempt.js';
import { FAULTS } from './faults.js';
import type { Counted, Observer } from './observe.js';

export const BURN_ALERT = 'TLSHandshakeErrorBudgetBurn';

export interface ClientCredential {
  readonly cert: string;
  readonly key: string;
}

export interface DrillPlan {
  readonly target: AttemptTarget;
  /** the name the endpoint serves (SNI of the faults that carry the right one) */
  readonly serverName: string;
  readonly wrongServerName: string;
  readonly faults: readonly DrillFault[];
  readonly ratePerSecond: number;
  readonly durationMs: number;
  readonly settleMs: number;
  /** the credentials of the certificate faults; a fault without one is skipped, with why */
  readonly untrusted?: ClientCredential;
  readonly expired?: ClientCredential | { readonly skipped: string };
  /** the module's own client certificate: wrong_sni presents it, so the name is the only fault */
  readonly valid?: ClientCredential;
}

export interface FaultReport {
  readonly fault: DrillFault;
  readonly what: string;
  readonly serverName: string | null;
  readonly sent: number;
  readonly answers: Readonly<Partial<Record<AnswerKind, number>>>;
  /** one example of what the server answered */
  readonly answered: string;
  /** handshakes the monitoring should have counted for it, and what it counted */
  readonly expected: number;
  readonly counted: number;
  readonly verdict: DrillVerdict;
  readonly note?: string;
}

export interface DrillReport {
  readonly target: string;
  readonly observer: string;
  /** whether the exporter's log was told of each fault (POST /-/drill), or why not */
  readonly exporterLog?: string;
  readonly faults: readonly FaultReport[];
  readonly alert?: { readonly name: string; readonly serverName: string; readonly state: string };
  /** true when every fault that ran was seen and none was accepted */
  readonly ok: boolean;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The handshakes of one fault: rate x duration, at least one; never more are sent. */
export function handshakesPerFault(plan: Pick<DrillPlan, 'ratePerSecond' | 'durationMs'>): number {
  return Math.max(1, Math.round((plan.ratePerSecond * plan.durationMs) / 1000));
}

function attemptOf(plan: DrillPlan, fault: DrillFault): (() => Promise<Answer>) | string {
  const base: ConnectionOptions = { servername: plan.serverName };
  const tls = (options: ConnectionOptions) => () =>
    tlsAttempt(plan.target, { ...base, ...options });
  switch (fault) {
    case 'no_client_cert':
      return tls({});
    case 'untrusted_client_cert':
      return plan.untrusted ? tls(plan.untrusted) : 'no untrusted credential';
    case 'expired_client_cert':
      if (plan.expired === undefined || 'skipped' in plan.expired)
        return plan.expired?.skipped ?? 'no expired credential';
      return tls(plan.expired);
    case 'wrong_sni':
      return tls({ servername: plan.wrongServerName, ...(plan.valid ?? {}) });
    case 'old_protocol':
      // OpenSSL 3 offers TLS 1.0/1.1 only at security level 0
      return tls({ minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT:@SECLEVEL=0' });
    case 'plaintext':
      return () => plaintextAttempt(plan.target, plan.serverName);
  }
}

/** What the counters gained for a fault between two readings. */
export function countedFor(
  fault: DrillFault,
  serverName: string | null,
  before: Counted,
  after: Counted,
): number {
  const spec = FAULTS[fault];
  let total = 0;
  // a name outside the allow-list is counted as `other`: a wrong name is seen there too
  const names =
    serverName === null
      ? new Set([...after.failures.keys(), ...after.successes.keys()])
      : new Set(spec.serverName === 'wrong' ? [serverName, OTHER] : [serverName]);
  for (const name of names) {
    const now = after.failures.get(name) ?? new Map<string, number>();
    const then = before.failures.get(name) ?? new Map<string, number>();
    for (const [reason, value] of now)
      if (spec.expect === 'any' || spec.expect.includes(reason as never))
        total += value - (then.get(reason) ?? 0);
    if (spec.expect === 'any')
      total += (after.successes.get(name) ?? 0) - (before.successes.get(name) ?? 0);
  }
  return Math.max(0, Math.round(total));
}

function verdictOf(
  expected: number,
  counted: number,
  accepted: number,
  wrongSni: boolean,
): DrillVerdict {
  if (accepted > 0 && !wrongSni) return 'accepted';
  if (expected === 0) return 'skipped';
  if (counted >= expected) return 'seen';
  return counted > 0 ? 'partly_seen' : 'unseen';
}

export async function runDrill(
  plan: DrillPlan,
  observer: Observer,
  logger: Logger,
  tell?: (note: DrillNote) => Promise<string | undefined>,
): Promise<DrillReport> {
  const reports: FaultReport[] = [];
  const target = `${plan.target.host}:${plan.target.port}`;
  const untold = new Set<string>();
  const told = async (note: DrillNote): Promise<void> => {
    const problem = await tell?.(note);
    if (problem !== undefined) untold.add(problem);
  };
  for (const fault of plan.faults) {
    const spec = FAULTS[fault];
    const serverName =
      spec.serverName === 'target'
        ? plan.serverName
        : spec.serverName === 'wrong'
          ? plan.wrongServerName
          : null;
    const attempt = attemptOf(plan, fault);
    if (typeof attempt === 'string') {
      reports.push({
        fault,
        what: spec.what,
        serverName,
        sent: 0,
        answers: {},
        answered: '',
        expected: 0,
        counted: 0,
        verdict: 'skipped',
        note: attempt,
      });
      logger.info({ drill: fault, target, skipped: attempt }, 'drill fault skipped');
      continue;
    }
    const before = await observer.read();
    const count = handshakesPerFault(plan);
    logger.warn(
      {
        drill: fault,
        target,
        server_name: serverName ?? '-',
        handshakes: count,
        rate: plan.ratePerSecond,
      },
      `drill: injecting ${spec.what}`,
    );
    await told({ event: 'start', fault, target, handshakes: count });
    const pending: Array<Promise<Answer>> = [];
    for (let i = 0; i < count; i++) {
      pending.push(attempt());
      if (i < count - 1) await sleep(1000 / plan.ratePerSecond);
    }
    const answers = await Promise.all(pending);
    const tally: Partial<Record<AnswerKind, number>> = {};
    for (const a of answers) tally[a.kind] = (tally[a.kind] ?? 0) + 1;
    const notOffered = tally.not_offered ?? 0;
    const unreachable = (tally.unreachable ?? 0) + (tally.timeout ?? 0);
    const accepted = tally.accepted ?? 0;
    const sent = answers.length - notOffered - (tally.unreachable ?? 0);
    // what the server refused is what its log must show as failures; wrong_sni counts any outcome
    const expected =
      fault === 'wrong_sni' ? sent - (tally.timeout ?? 0) : sent - accepted - (tally.timeout ?? 0);
    const after = await pollUntil(
      () => observer.read(),
      (read) => countedFor(fault, serverName, before, read) >= expected,
      { timeoutMs: plan.settleMs, everyMs: Math.min(1000, plan.settleMs) },
    );
    const counted = countedFor(fault, serverName, before, after);
    const example = answers.find((a) => a.kind !== 'not_offered') ?? answers[0];
    const verdict: DrillVerdict =
      notOffered === answers.length
        ? 'skipped'
        : verdictOf(expected, counted, accepted, fault === 'wrong_sni');
    const notes = [
      ...(notOffered === answers.length
        ? [`this platform cannot offer it: ${example?.detail ?? ''}`]
        : []),
      ...(unreachable > 0 ? [`${unreachable} attempts found no server or no answer`] : []),
      ...(verdict === 'accepted'
        ? [`the server accepted ${accepted} of ${sent}: it should refuse them`]
        : []),
      ...(fault === 'wrong_sni' && accepted > 0
        ? ['the server completes handshakes for a name it does not serve (a default certificate)']
        : []),
    ];
    const report: FaultReport = {
      fault,
      what: spec.what,
      serverName,
      sent,
      answers: tally,
      answered: example ? `${example.kind}: ${example.detail}` : '',
      expected,
      counted,
      verdict,
      ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
    };
    reports.push(report);
    await told({ event: 'end', fault, target, verdict });
    logger.warn(
      { drill: fault, target, sent, counted, expected, verdict },
      `drill: ${fault} ${verdict.replace('_', ' ')}`,
    );
  }
  const alert =
    observer.alertState === undefined
      ? undefined
      : {
          name: BURN_ALERT,
          serverName: plan.serverName,
          state: await observer.alertState(BURN_ALERT, plan.serverName),
        };
  const ran = reports.filter((r) => r.verdict !== 'skipped');
  return {
    target,
    observer: observer.source,
    ...(tell === undefined
      ? {}
      : { exporterLog: untold.size === 0 ? 'told' : `not told: ${[...untold].join('; ')}` }),
    faults: reports,
    ...(alert === undefined ? {} : { alert }),
    ok: ran.length > 0 && ran.every((r) => r.verdict === 'seen'),
  };
}
