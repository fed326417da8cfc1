// Pure classification of one access-log record into handshake outcomes (docs/envoy.md §4, the
// table "what a line carries -> what it counts"). Nothing counts as a handshake without TLS
// evidence in the line: a TLS version or cipher, a server name (SNI is a TLS extension), a TLS
// error text, Envoy's transport-socket timeout, or an upstream cluster the user declared as TLS.
// A connection failure without such evidence comes back as a plain failure, never as a reason.
//
// What a line is (a connection record, a TCP session, an HTTP request) is decided per line in
// `auto` logs: a line with a protocol (`HTTP/1.1`, `HTTP/2`) is a request; any other line is a
// connection (listener log line or TCP proxy session, which look alike). Connection ids are
// passed through so the caller counts a connection's handshake once, whichever lines show it.
import type { Direction, HandshakeFailureReason } from '../../domain/tls-words.js';
import type { AccessLogRecord, KindSetting } from '../record.js';
import { normaliseReason, reasonOf, tlsReasonOf } from '../../domain/tls-error-reason.js';

export const TLS_VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
/** `unknown`: the handshake completed but the line does not say which version. */
export type TlsVersionLabel = (typeof TLS_VERSIONS)[number] | 'unknown' | 'other';

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
      /** undefined: a connection failure with no TLS evidence, not a handshake */
      readonly reason: HandshakeFailureReason | undefined;
    };

/** Which upstream clusters the user declared as TLS (`tls_clusters`). */
export type ClusterMatcher = (cluster: string) => boolean;
export const NO_TLS_CLUSTERS: ClusterMatcher = () => false;

/** An upstream connect failure without TLS evidence: counted as a line outcome only. */
export const PLAIN_FAILURE: HandshakeOutcome = Object.freeze({
  direction: 'upstream',
  ok: false,
  serverName: undefined,
  reason: undefined,
});

export function tlsVersionLabel(version: string | undefined): TlsVersionLabel {
  if (version === undefined) return 'unknown';
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

/**
 * A connection record (listener log) or a TCP session, downstream side. `aborted` (a ClientHello
 * seen, then neither a cipher nor an error) is only read into a declared listener log: in a
 * mixed stream a TCP session or a TLS passthrough shows an SNI without a cipher as well.
 */
function classifyConnection(
  record: AccessLogRecord,
  kind: 'listener' | 'auto',
): HandshakeOutcome | undefined {
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
  // Only a handshaking transport socket (TLS) sets a downstream failure reason: the field is
  // TLS evidence whatever its text.
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
  // No filter chain matched: a TLS failure only when the ClientHello's SNI is there to show it
  // was TLS (a plaintext connection to a port without a matching chain looks the same).
  if (noFilterChain) return serverName === undefined ? undefined : fail('sni_mismatch');
  if (record.DOWNSTREAM_TLS_CIPHER !== undefined) {
    return {
      direction: 'downstream',
      ok: true,
      serverName,
      tlsVersion: tlsVersionLabel(record.DOWNSTREAM_TLS_VERSION),
      // in a mixed stream the same connection's request lines may have counted it already
      connectionId: kind === 'auto' ? connectionIdOf(record.CONNECTION_ID) : undefined,
    };
  }
  if (
    kind === 'listener' &&
    (serverName !== undefined || record.DOWNSTREAM_TLS_VERSION !== undefined)
  )
    return fail('aborted');
  return undefined;
}

/** Asked only where it decides: a failure without TLS text, an answer without a version. */
function isDeclared(cluster: string | undefined, tlsCluster: ClusterMatcher): boolean {
  return cluster !== undefined && tlsCluster(cluster);
}

function classifyUpstream(
  record: AccessLogRecord,
  tlsCluster: ClusterMatcher,
): HandshakeOutcome | undefined {
  const serverName = record.UPSTREAM_CLUSTER ?? record.UPSTREAM_CLUSTER_RAW;
  const flags = record.RESPONSE_FLAGS;
  const uf = hasFlag(flags, 'UF');
  if (uf || hasFlag(flags, 'URX')) {
    const details = record.RESPONSE_CODE_DETAILS;
    const failure = record.UPSTREAM_TRANSPORT_FAILURE_REASON;
    // Both fields may carry the error (details often with the validator's more specific text):
    // the rule table is ordered most specific first, so classify them together.
    const text =
      failure === undefined
        ? (details ?? '')
        : details === undefined
          ? failure
          : `${failure} ${details}`;
    const tlsReason = text === '' ? undefined : tlsReasonOf(text);
    if (tlsReason !== undefined)
      return { direction: 'upstream', ok: false, serverName, reason: tlsReason };
    if (!uf) return undefined; // retries exhausted on something that was not a connect failure
    if (!isDeclared(serverName, tlsCluster)) return PLAIN_FAILURE;
    // A cluster declared TLS: its failed connects are failures of the TLS channel. A timeout may
    // be the TCP connect or a stalled handshake (Envoy's connect timeout runs until TLS is up).
    const normalised = normaliseReason(text);
    const timeout =
      normalised.includes('connection_timeout') || normalised.includes('connect_timeout');
    return {
      direction: 'upstream',
      ok: false,
      serverName,
      reason: timeout ? 'handshake_timeout' : 'connect_failure',
    };
  }
  const version = record.UPSTREAM_TLS_VERSION;
  // a version proves an upstream handshake; so does an answer from a cluster declared TLS
  if (
    version !== undefined ||
    (isDeclared(serverName, tlsCluster) &&
      includesNormalised(record.RESPONSE_CODE_DETAILS, 'via_upstream'))
  ) {
    return {
      direction: 'upstream',
      ok: true,
      serverName,
      tlsVersion: tlsVersionLabel(version),
      connectionId: connectionIdOf(record.UPSTREAM_CONNECTION_ID),
    };
  }
  return undefined;
}

/**
 * An HTTP request: a request was served on the connection, so a TLS version, a cipher or a
 * server name proves a completed downstream handshake.
 */
function classifyRequest(record: AccessLogRecord): HandshakeOutcome | undefined {
  const version = record.DOWNSTREAM_TLS_VERSION;
  const serverName = record.REQUESTED_SERVER_NAME;
  if (
    version === undefined &&
    record.DOWNSTREAM_TLS_CIPHER === undefined &&
    serverName === undefined
  )
    return undefined;
  return {
    direction: 'downstream',
    ok: true,
    serverName,
    tlsVersion: tlsVersionLabel(version),
    connectionId: connectionIdOf(record.CONNECTION_ID),
  };
}

/** What one line is: a declared kind, or per line in `auto` logs (a protocol = a request). */
function lineKind(record: AccessLogRecord, kind: KindSetting): 'listener' | 'http' {
  if (kind !== 'auto') return kind;
  return record.PROTOCOL === undefined ? 'listener' : 'http';
}

/**
 * Zero, one or two outcomes (downstream and upstream); none means the line is not about a TLS
 * handshake. A failure with an undefined reason is a connect failure without TLS evidence.
 */
export function classify(
  record: AccessLogRecord,
  kind: KindSetting,
  tlsCluster: ClusterMatcher = NO_TLS_CLUSTERS,
): HandshakeOutcome[] {
  const downstream =
    lineKind(record, kind) === 'http'
      ? classifyRequest(record)
      : classifyConnection(record, kind === 'listener' ? 'listener' : 'auto');
  const upstream = classifyUpstream(record, tlsCluster);
  if (downstream === undefined) return upstream === undefined ? [] : [upstream];
  return upstream === undefined ? [downstream] : [downstream, upstream];
}
