// Pure classification of one access-log record into handshake outcomes (envoy-tls-logs.md §3,
// §4.4, §9). A listener log line yields at most one downstream outcome; an HTTP log line may
// yield a downstream success and an upstream outcome. Connection ids are passed through so the
// caller can count a handshake once per connection.
import type { Direction, HandshakeFailureReason } from '../../metrics/label-values.js';
import type { AccessLogRecord, LogKind } from '../record.js';
import { normaliseReason, reasonOf } from './reason.js';

export const TLS_VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
export type TlsVersionLabel = (typeof TLS_VERSIONS)[number] | 'none' | 'other';

export type HandshakeOutcome =
  | {
      readonly direction: Direction;
      readonly ok: true;
      readonly serverName: string | undefined;
      readonly tlsVersion: TlsVersionLabel;
      /** count once per this id; undefined = count every line */
      readonly connectionId: string | number | undefined;
    }
  | {
      readonly direction: Direction;
      readonly ok: false;
      readonly serverName: string | undefined;
      readonly reason: HandshakeFailureReason;
    };

export function tlsVersionLabel(version: string | undefined): TlsVersionLabel {
  if (version === undefined) return 'none';
  return (TLS_VERSIONS as readonly string[]).includes(version)
    ? (version as TlsVersionLabel)
    : 'other';
}

/** Whether the comma-separated flags hold `flag` as a whole token (`URX,UF` has UF, not U). */
export function hasFlag(flags: string | undefined, flag: string): boolean {
  if (flags === undefined) return false;
  let at = flags.indexOf(flag);
  while (at >= 0) {
    const end = at + flag.length;
    if (
      (at === 0 || flags.charCodeAt(at - 1) === 44) &&
      (end === flags.length || flags.charCodeAt(end) === 44)
    ) {
      return true;
    }
    at = flags.indexOf(flag, at + 1);
  }
  return false;
}

/** Envoy prints 0 when it has no connection id. */
function connectionIdOf(id: string | number | undefined): string | number | undefined {
  return id === undefined || id === '0' || id === 0 ? undefined : id;
}

function includesNormalised(text: string | undefined, needle: string): boolean {
  return text !== undefined && normaliseReason(text).includes(needle);
}

function classifyListener(record: AccessLogRecord): HandshakeOutcome | undefined {
  const serverName = record.REQUESTED_SERVER_NAME;
  const failure = record.DOWNSTREAM_TRANSPORT_FAILURE_REASON;
  const fail = (reason: HandshakeFailureReason): HandshakeOutcome => ({
    direction: 'downstream',
    ok: false,
    serverName,
    reason,
  });
  const noFilterChain =
    hasFlag(record.RESPONSE_FLAGS, 'NR') &&
    includesNormalised(record.RESPONSE_CODE_DETAILS, 'filter_chain_not_found');
  if (failure !== undefined) {
    return fail(reasonOf(failure) ?? (noFilterChain ? 'sni_mismatch' : 'other_tls'));
  }
  if (
    includesNormalised(
      record.CONNECTION_TERMINATION_DETAILS,
      'transport_socket_timeout_was_reached',
    )
  ) {
    return fail('handshake_timeout');
  }
  if (noFilterChain) return fail('sni_mismatch');
  if (record.DOWNSTREAM_TLS_CIPHER !== undefined) {
    return {
      direction: 'downstream',
      ok: true,
      serverName,
      tlsVersion: tlsVersionLabel(record.DOWNSTREAM_TLS_VERSION),
      connectionId: undefined,
    };
  }
  // A ClientHello was seen (SNI or a version) but no cipher and no error: the client left
  // mid-handshake. With none of them this was a plaintext connection: not a handshake.
  if (serverName !== undefined || record.DOWNSTREAM_TLS_VERSION !== undefined)
    return fail('aborted');
  return undefined;
}

function classifyUpstream(record: AccessLogRecord): HandshakeOutcome | undefined {
  const serverName = record.UPSTREAM_CLUSTER ?? record.UPSTREAM_CLUSTER_RAW;
  const flags = record.RESPONSE_FLAGS;
  const uf = hasFlag(flags, 'UF');
  if (uf || hasFlag(flags, 'URX')) {
    const details = record.RESPONSE_CODE_DETAILS;
    // Both fields may carry the error (details often with the validator's more specific text):
    // the rule table is ordered most specific first, so classify them together.
    const text = [record.UPSTREAM_TRANSPORT_FAILURE_REASON, details]
      .filter((t) => t !== undefined)
      .join(' ');
    const tlsReason = text === '' ? undefined : reasonOf(text);
    if (uf || tlsReason !== undefined) {
      const reason =
        tlsReason ??
        (includesNormalised(details, 'connection_timeout')
          ? 'handshake_timeout'
          : 'connect_failure');
      return { direction: 'upstream', ok: false, serverName, reason };
    }
  }
  if (record.UPSTREAM_TLS_VERSION !== undefined) {
    return {
      direction: 'upstream',
      ok: true,
      serverName,
      tlsVersion: tlsVersionLabel(record.UPSTREAM_TLS_VERSION),
      connectionId: connectionIdOf(record.UPSTREAM_CONNECTION_ID),
    };
  }
  return undefined;
}

function classifyHttp(record: AccessLogRecord): HandshakeOutcome[] {
  const outcomes: HandshakeOutcome[] = [];
  const version = record.DOWNSTREAM_TLS_VERSION;
  if (version !== undefined || record.DOWNSTREAM_TLS_CIPHER !== undefined) {
    outcomes.push({
      direction: 'downstream',
      ok: true,
      serverName: record.REQUESTED_SERVER_NAME,
      tlsVersion: tlsVersionLabel(version),
      connectionId: connectionIdOf(record.CONNECTION_ID),
    });
  }
  const upstream = classifyUpstream(record);
  if (upstream) outcomes.push(upstream);
  return outcomes;
}

/** Zero, one or two outcomes; none means the line is not about a TLS handshake. */
export function classify(record: AccessLogRecord, kind: LogKind): HandshakeOutcome[] {
  if (kind === 'http') return classifyHttp(record);
  const outcome = classifyListener(record);
  return outcome ? [outcome] : [];
}
