// The metric catalogue: the one place that spells a metric name. Dashboards, rules, docs, tests
// and recorders import from here. Changing a name or label here is a breaking change for users.

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricSpec {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly labelNames: readonly string[];
  /** a histogram's upper bounds, in seconds */
  readonly buckets?: readonly number[];
}

/** Upper bounds for TLS handshakes, seconds: sub-millisecond on a LAN to a 10 s timeout. */
const HANDSHAKE_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
] as const;

const CERT_LABELS = ['source', 'name', 'position', 'subject_cn', 'issuer_cn', 'serial'] as const;

export const METRICS = {
  handshakeSuccess: {
    name: 'tls_handshake_success_total',
    type: 'counter',
    help: 'Completed TLS handshakes seen in access logs (listener logs: one per connection; HTTP logs: once per logged connection id, else once per request; tls_version="unknown" when the line shows a handshake but not its version).',
    labelNames: ['log', 'direction', 'server_name', 'tls_version'],
  },
  handshakeFailures: {
    name: 'tls_handshake_failures_total',
    type: 'counter',
    help: 'Failed TLS handshakes seen in access logs, by reason; only lines with TLS evidence (a TLS error text, a declared TLS cluster).',
    labelNames: ['log', 'direction', 'server_name', 'reason'],
  },
  handshakeGroups: {
    name: 'tls_handshake_groups_total',
    type: 'counter',
    help: 'Completed TLS handshakes counted in tls_handshake_success_total whose access-log line carries the negotiated key-exchange group (%DOWNSTREAM_TLS_GROUP%, %UPSTREAM_TLS_GROUP%: Envoy 1.39 and later), by group as BoringSSL names it (X25519, P-256, P-384, P-521; post-quantum: X25519MLKEM768, X25519Kyber768Draft00, MLKEM1024); other: a name outside that list. Every group of a (log, direction, server_name) exists at 0 from its first logged group.',
    labelNames: ['log', 'direction', 'server_name', 'group'],
  },
  handshakeFailureFingerprints: {
    name: 'tls_handshake_failure_fingerprints_total',
    type: 'counter',
    help: "Failed downstream TLS handshakes counted in tls_handshake_failures_total, by the client's ClientHello fingerprint (%TLS_JA4_FINGERPRINT%, else %TLS_JA3_FINGERPRINT%; kind says which, none: the line has neither); only for logs with failing_fingerprints set (off by default). The first max_values fingerprints of a log keep their own series, later ones are other.",
    labelNames: ['log', 'reason', 'kind', 'fingerprint'],
  },
  handshakeDuration: {
    name: 'tls_handshake_duration_seconds',
    type: 'histogram',
    help: 'Duration of the completed TLS handshakes counted in tls_handshake_success_total whose access-log line carries one (%DOWNSTREAM_HANDSHAKE_DURATION%: connection start to handshake done; %COMMON_DURATION(DS_HS_BEG:DS_HS_END:…)%: ClientHello to handshake done; %COMMON_DURATION(US_CX_END:US_HS_END:…)%: upstream TCP connected to handshake done); observed once per counted handshake.',
    labelNames: ['log', 'direction', 'server_name'],
    buckets: HANDSHAKE_BUCKETS,
  },
  envoyHandshakes: {
    name: 'tls_envoy_handshakes_total',
    type: 'counter',
    help: "Envoy's own count of TLS handshakes per listener or cluster (scope), by outcome (success: ssl.handshake; connection_error and fail_verify_*: its failures; timeout: the listener's transport-socket connect timeouts), read from its admin endpoint; log is the access log configured to show the same handshakes (none when not set). Resets when Envoy restarts.",
    labelNames: ['envoy', 'log', 'direction', 'scope', 'outcome'],
  },
  envoyAdminUp: {
    name: 'tls_envoy_admin_up',
    type: 'gauge',
    help: "1 when the last read of the Envoy admin endpoint's statistics succeeded.",
    labelNames: ['envoy'],
  },
  envoyAdminErrors: {
    name: 'tls_envoy_admin_errors_total',
    type: 'counter',
    help: 'Reads of an Envoy admin endpoint that gave nothing, by reason (connect, timeout, http_status, too_large, parse).',
    labelNames: ['envoy', 'reason'],
  },
  alsStreams: {
    name: 'tls_sli_exporter_als_streams',
    type: 'gauge',
    help: 'gRPC access-log streams open now per access_log_services entry (an Envoy keeps one per configured logger).',
    labelNames: ['log'],
  },
  alsStreamsRefused: {
    name: 'tls_sli_exporter_als_streams_refused_total',
    type: 'counter',
    help: 'gRPC access-log streams refused or broken, by reason (max_streams: refused, max_streams were open; stream_error: a message over max_message_bytes, a malformed message, a reset), so their entries were not counted: Envoy opens a new stream.',
    labelNames: ['log', 'reason'],
  },
  certNotAfter: {
    name: 'tls_cert_not_after_timestamp_seconds',
    type: 'gauge',
    help: 'Certificate notAfter, Unix seconds.',
    labelNames: CERT_LABELS,
  },
  certNotBefore: {
    name: 'tls_cert_not_before_timestamp_seconds',
    type: 'gauge',
    help: 'Certificate notBefore, Unix seconds.',
    labelNames: CERT_LABELS,
  },
  certDaysRemaining: {
    name: 'tls_cert_days_remaining',
    type: 'gauge',
    help: 'Days until the certificate expires, computed at scrape time; negative once expired.',
    labelNames: CERT_LABELS,
  },
  certLifetimeRemainingRatio: {
    name: 'tls_cert_lifetime_remaining_ratio',
    type: 'gauge',
    help: 'Remaining validity divided by total validity, 0 to 1.',
    labelNames: CERT_LABELS,
  },
  certInfo: {
    name: 'tls_cert_info',
    type: 'gauge',
    help: 'Certificate details; value is always 1.',
    labelNames: [
      ...CERT_LABELS,
      'sha256',
      'key_algorithm',
      'key_bits',
      'signature_algorithm',
      'dns_names',
    ],
  },
  certWeakKey: {
    name: 'tls_cert_weak_key',
    type: 'gauge',
    help: '1 when the key is below OpenSSL security level 2 (RSA or DSA under 2048 bits, EC under 224), which Debian, Ubuntu and RHEL clients refuse.',
    labelNames: CERT_LABELS,
  },
  certWeakSignature: {
    name: 'tls_cert_weak_signature',
    type: 'gauge',
    help: '1 when the certificate is signed with SHA-1 or MD5 (0 for a self-signed root, whose own signature no client checks).',
    labelNames: CERT_LABELS,
  },
  probeSuccess: {
    name: 'tls_probe_success',
    type: 'gauge',
    help: '1 when the last probe completed a handshake and every enabled check passed.',
    labelNames: ['name'],
  },
  probeHandshakeSuccess: {
    name: 'tls_probe_handshake_success',
    type: 'gauge',
    help: '1 when the last probe completed a TLS handshake.',
    labelNames: ['name'],
  },
  probeDuration: {
    name: 'tls_probe_duration_seconds',
    type: 'gauge',
    help: 'Duration of the last probe by phase (resolve, connect, handshake, total).',
    labelNames: ['name', 'phase'],
  },
  probeFailures: {
    name: 'tls_probe_failures_total',
    type: 'counter',
    help: 'Failed scheduled probes by reason and by who ended them (probe, server, network); not on /probe, whose output is gauges only.',
    labelNames: ['name', 'reason', 'refused_by'],
  },
  probeFailureInfo: {
    name: 'tls_probe_failure_info',
    type: 'gauge',
    help: 'Why the last probe failed: its first problem and who ended it (probe: its checks refused what the server sent; server: an alert, reset or close; network: DNS, connect); value is always 1, absent after a success.',
    labelNames: ['name', 'reason', 'refused_by'],
  },
  probeLastRun: {
    name: 'tls_probe_last_run_timestamp_seconds',
    type: 'gauge',
    help: 'When the cached probe result was taken, Unix seconds.',
    labelNames: ['name'],
  },
  probeTlsVersionInfo: {
    name: 'tls_probe_tls_version_info',
    type: 'gauge',
    help: 'Negotiated TLS version and cipher of the last probe; value is always 1.',
    labelNames: ['name', 'version', 'cipher'],
  },
  probeHandshakeDuration: {
    name: 'tls_probe_handshake_duration_seconds',
    type: 'histogram',
    help: "Handshake time of every scheduled probe (the TLS handshake alone, TCP connect excluded), over the exporter's lifetime: P99 over a day is one query (the per-phase gauge tls_probe_duration_seconds has the last probe's).",
    labelNames: ['name'],
    buckets: HANDSHAKE_BUCKETS,
  },
  probeKeyExchangeInfo: {
    name: 'tls_probe_key_exchange_info',
    type: 'gauge',
    help: 'Key-exchange group the server chose in the last probe (X25519, P-256, P-384, X25519MLKEM768, ffdhe2048, …; absent for RSA key transport); value is always 1.',
    labelNames: ['name', 'group'],
  },
  certChainVerified: {
    name: 'tls_cert_chain_verified',
    type: 'gauge',
    help: "1 when the certificate chain verifies against the module's trust as OpenSSL verifies it for a TLS client (path, CA constraints, path length, serverAuth purpose, the module's security level).",
    labelNames: ['source', 'name'],
  },
  certHostnameMatch: {
    name: 'tls_cert_hostname_match',
    type: 'gauge',
    help: '1 when the leaf certificate matches the server name.',
    labelNames: ['name'],
  },
  clientAuthEnforced: {
    name: 'tls_client_auth_enforced',
    type: 'gauge',
    help: '1 when a handshake without a client certificate is refused.',
    labelNames: ['name'],
  },
  ocspStapled: {
    name: 'tls_ocsp_stapled',
    type: 'gauge',
    help: '1 when the server stapled an OCSP response.',
    labelNames: ['name'],
  },
  ocspStatus: {
    name: 'tls_ocsp_status',
    type: 'gauge',
    help: 'Status of the stapled OCSP response: 0 good, 1 revoked, 2 unknown.',
    labelNames: ['name'],
  },
  ocspNextUpdate: {
    name: 'tls_ocsp_next_update_timestamp_seconds',
    type: 'gauge',
    help: 'nextUpdate of the stapled OCSP response, Unix seconds.',
    labelNames: ['name'],
  },
  certRevocationStatus: {
    name: 'tls_cert_revocation_status',
    type: 'gauge',
    help: 'Revocation status of a certificate by one method (ocsp: the staple or the responder; crl), one series per status with 1 on the current one: good and revoked are verified answers; unknown: the responder does not know the certificate, or the certificate names nowhere to ask; unavailable: no usable answer (fetch failed, bad signature, stale), never revoked.',
    labelNames: [...CERT_LABELS, 'method', 'status'],
  },
  certRevocationTimestamp: {
    name: 'tls_cert_revocation_timestamp_seconds',
    type: 'gauge',
    help: 'When a revoked certificate was revoked, per the method that says so, with the RFC 5280 reason; Unix seconds; absent unless revoked.',
    labelNames: [...CERT_LABELS, 'method', 'reason'],
  },
  certRevocationNextUpdate: {
    name: 'tls_cert_revocation_next_update_timestamp_seconds',
    type: 'gauge',
    help: 'nextUpdate of the OCSP response or CRL the revocation status came from, Unix seconds; after it the answer is stale.',
    labelNames: [...CERT_LABELS, 'method'],
  },
  revocationRequestDuration: {
    name: 'tls_revocation_request_duration_seconds',
    type: 'histogram',
    help: 'Time of each request to an OCSP responder or a CRL URL, connect to last byte (also failed ones that reached the network).',
    labelNames: ['method', 'url'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  },
  revocationFetchFailures: {
    name: 'tls_revocation_fetch_failures_total',
    type: 'counter',
    help: 'Revocation data that could not be had or used, by method, URL and reason (not_allowed and rate_limited: never sent; dns, connect, timeout, redirect, http_status, too_large: the fetch; the rest: the answer).',
    labelNames: ['method', 'url', 'reason'],
  },
  logLines: {
    name: 'tls_sli_exporter_log_lines_total',
    type: 'counter',
    help: 'Access-log lines read, by outcome (counted: yielded a handshake; other_direction: only handshakes of a direction the log leaves to another (directions:); not_tls: no TLS evidence in it; non_tls_failure: a connection failure without TLS evidence, kept out of the SLI; malformed; oversize; empty).',
    labelNames: ['log', 'outcome'],
  },
  logBytes: {
    name: 'tls_sli_exporter_log_bytes_total',
    type: 'counter',
    help: 'Bytes read from access logs.',
    labelNames: ['log'],
  },
  logRotations: {
    name: 'tls_sli_exporter_log_rotations_total',
    type: 'counter',
    help: 'Log rotations seen, by kind (rename, truncate, recreate, symlink).',
    labelNames: ['log', 'kind'],
  },
  logFollowErrors: {
    name: 'tls_sli_exporter_log_follow_errors_total',
    type: 'counter',
    help: 'Errors while following access logs, by reason.',
    labelNames: ['log', 'reason'],
  },
  logLastLine: {
    name: 'tls_sli_exporter_log_last_line_timestamp_seconds',
    type: 'gauge',
    help: "When the log last got a line, Unix seconds: when the last complete line was read, or before any is read (a restart resuming at the end) the file's last modification; 0 while no file exists.",
    labelNames: ['log'],
  },
  labelValuesFolded: {
    name: 'tls_sli_exporter_label_values_folded_total',
    type: 'counter',
    help: 'Label values folded into "other" (outside the allow-list, past the limit, or unusable bytes).',
    labelNames: ['label'],
  },
  scrapeErrors: {
    name: 'tls_sli_exporter_scrape_errors_total',
    type: 'counter',
    help: 'Scrapes in which a collector threw and its family was served empty, by the family it computes (the first error of each cause is logged).',
    labelNames: ['collector'],
  },
  certFileError: {
    name: 'tls_sli_exporter_cert_file_error',
    type: 'gauge',
    help: 'A certificate file that could not be read or parsed in the last scan, by file and reason; value is always 1, absent once the file reads again.',
    labelNames: ['name', 'reason'],
  },
  certFileErrors: {
    name: 'tls_sli_exporter_cert_file_errors_total',
    type: 'counter',
    help: 'Certificate files that could not be read or parsed, by reason (unreadable, too_large, scan_capped, corrupt, no_certificate, pkcs12_password; pkcs12_iterations: a keystore asking for more key-derivation iterations than the exporter spends; unsupported: a PKCS#12 algorithm not read).',
    labelNames: ['reason'],
  },
  positionsErrors: {
    name: 'tls_sli_exporter_positions_errors_total',
    type: 'counter',
    help: 'Problems with the positions file: read (unreadable), corrupt (treated as absent), write (not saved).',
    labelNames: ['kind'],
  },
  probeRequestsDenied: {
    name: 'tls_sli_exporter_probe_requests_denied_total',
    type: 'counter',
    help: 'GET /probe requests refused before probing, by reason.',
    labelNames: ['reason'],
  },
  buildInfo: {
    name: 'tls_sli_exporter_build_info',
    type: 'gauge',
    help: 'Build information of the running exporter; value is always 1.',
    labelNames: ['version', 'revision', 'nodejs_version'],
  },
  configLastReloadSuccessful: {
    name: 'tls_sli_exporter_config_last_reload_successful',
    type: 'gauge',
    help: 'Whether the last configuration reload attempt was successful (1) or not (0).',
    labelNames: [],
  },
  configLastReloadSuccessTimestamp: {
    name: 'tls_sli_exporter_config_last_reload_success_timestamp_seconds',
    type: 'gauge',
    help: 'Timestamp of the last successful configuration load or reload, Unix seconds.',
    labelNames: [],
  },
} as const satisfies Record<string, MetricSpec>;

export type MetricKey = keyof typeof METRICS;

/**
 * prom-client's process metrics (process-metrics.ts) the board and docs name: the event loop's
 * lag over the last scrape interval, which heavy work on the main thread shows first (issue 36).
 */
export const PROCESS_METRICS = {
  eventLoopLagP99: 'nodejs_eventloop_lag_p99_seconds',
  eventLoopLagMax: 'nodejs_eventloop_lag_max_seconds',
} as const;
