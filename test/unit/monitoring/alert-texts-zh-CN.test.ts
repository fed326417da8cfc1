// The alerts' texts in Chinese, written out literally: what a person on call reads (see
// alert-texts.test.ts for the English and for why).
import { pinAlertTexts, type PinnedTexts } from '../../support/alert-texts.js';

const TEXTS: PinnedTexts = [
  [
    'TLSCertificateExpiringSoon: expires in 29.5 days',
    '证书 CN=audit-gw.dify.svc（签发者 CN=Internal CA，序列号 1f）将在 29d 12h 0m 0s 后过期',
    '到期时间 1970-01-30 12:30:00 +0000 UTC。所在位置：probe audit-gateway (leaf)。请在过期前续期。',
  ],
  [
    'TLSCertificateExpiryCritical: expires in 6.5 days',
    '证书 CN=audit-gw.dify.svc（签发者 CN=Internal CA，序列号 1f）将在 6d 12h 0m 0s 后过期',
    '到期时间 1970-01-07 12:30:00 +0000 UTC。所在位置：probe audit-gateway (leaf)。请立即续期并部署新证书：证书过期后客户端将拒绝连接。',
  ],
  [
    'TLSCertificateExpired: expired a day ago',
    '证书 CN=audit-gw.dify.svc（签发者 CN=Internal CA，序列号 1f）已过期',
    '过期时间 1969-12-31 00:30:00 +0000 UTC。所在位置：probe audit-gateway (leaf)。出示或校验该证书的握手都会失败。请更换证书。',
  ],
  [
    'TLSUnusedCertificateExpired: an expired certificate sent beyond the verified path: a finding of its own',
    '服务端发送了已过期的证书 CN=audit-gw.dify.svc（签发者 CN=Internal CA，序列号 1f），没有任何已验证的证书链用到它',
    '所在位置：probe audit-gateway (extra)。客户端不依赖它即可完成证书链校验（根 CA 的旧交叉签名，或证书包里残留的旧中间 CA），所以目前没有握手失败；但部分老旧客户端可能仍会尝试它。请把它从服务端发送的证书包中删除。',
  ],
  [
    'TLSCertificateNotYetValid: valid from tomorrow',
    '证书 CN=audit-gw.dify.svc（签发者 CN=Internal CA，序列号 1f）尚未生效',
    '所在位置：probe audit-gateway (leaf)。其 notBefore 在未来：时钟有问题，或证书部署得过早。',
  ],
  [
    'TLSCertificateLifetimeLow: a one-day certificate with 6 hours left',
    '短期证书 CN=audit-gw.dify.svc（签发者 CN=Internal CA，序列号 1f）剩余有效期已不足总有效期的三分之一（6h 0m 0s）',
    '到期时间 1970-01-01 06:30:00 +0000 UTC。所在位置：probe audit-gateway (leaf)。它本应已被自动续期：请检查签发方（cert-manager、SPIRE、Vault）。',
  ],
  [
    'TLSClientAuthNotEnforced: not enforced',
    'audit-gateway 未强制双向认证（mTLS）',
    '没有客户端证书的客户端完成了握手：要求双向认证的端点实际只做了单向 TLS。',
  ],
  [
    'TLSCertificateChainInvalid: chain invalid',
    'audit-gateway 的证书链校验不通过',
    'CA 未知、缺少中间 CA、自签名、已过期、签发者不是 CA、用途不符或密钥强度不足：原因见 tls_probe_failure_info，用 tls-sli-exporter probe 查看证书详情。',
  ],
  [
    'TLSHostnameMismatch: name mismatch',
    'audit-gateway 的证书与其服务器名称不匹配',
    '校验名称（SAN）的客户端会拒绝该证书。',
  ],
  [
    'TLSOCSPStaplingMissing: stapled, then stopped',
    'audit-gateway 不再进行 OCSP 装订',
    '它在最近 7 天内装订过 OCSP 响应，现在不再装订：常见原因是证书或 Secret 轮换后没有重新获取装订响应。从未装订过的端点（没有 OCSP 的私有 CA）不会触发此告警；在其探测模块中设置 ocsp: require，缺少装订时探测会直接失败。',
  ],
  [
    'TLSOCSPRevoked: revoked',
    'audit-gateway 装订的 OCSP 响应显示证书已吊销',
    '校验吊销状态的客户端会拒绝该证书。请更换证书。',
  ],
  [
    'TLSOCSPResponseStale: past nextUpdate for 20 minutes',
    'audit-gateway 装订的 OCSP 响应已超过 nextUpdate',
    '服务端一直在装订旧的响应：它获取 OCSP 响应失败了。',
  ],
  [
    'TLSCertificateRevoked: revoked by CRL',
    '证书 CN=audit-gw.dify.svc（签发者 CN=Internal CA，序列号 1f）已吊销',
    '其 OCSP 响应方或 CRL 显示已吊销（吊销时间和原因见 tls_cert_revocation_timestamp_seconds）。所在位置：probe audit-gateway (leaf)。校验吊销状态的客户端会拒绝它：请更换证书。',
  ],
  [
    'TLSRevocationUnavailable: unavailable for 30 minutes',
    '证书 CN=audit-gw.dify.svc（签发者 CN=Internal CA，序列号 1f）已 30 分钟没有可用的 ocsp 吊销结果',
    '无法获取 OCSP 响应方或 CRL，或其结果不可用（签名错误、已过期）：哪个 URL、什么原因见 tls_revocation_fetch_failures_total。在此期间发生的吊销将无法发现。所在位置：probe audit-gateway (leaf)。',
  ],
  [
    'TLSRevocationDataStale: CRL past nextUpdate for 20 minutes',
    '证书 CN=audit-gw.dify.svc（签发者 CN=Internal CA，序列号 1f）的 crl 吊销结果已超过 nextUpdate',
    'CA 没有发布比当前更新的 OCSP 响应或 CRL（或无法获取）：要求最新吊销数据的客户端会拒绝该证书。',
  ],
  [
    'TLSRevocationDataExpiringSoon: CRL stale in 5700 s',
    '证书 CN=audit-gw.dify.svc（签发者 CN=Internal CA，序列号 1f）的 crl 吊销结果将在 1h 35m 0s 后过期',
    '其 nextUpdate 临近，且没有获取到更新的 OCSP 响应或 CRL：请确认 CA 仍在发布，以及 exporter 能获取到。',
  ],
  [
    'TLSOCSPStapleExpiringSoon: staple stale in 30 minutes',
    'audit-gateway 装订的 OCSP 响应将在 30m 0s 后过期',
    '服务端应在 nextUpdate 之前很早就获取新的装订响应（Envoy 从 Secret 读取：请更新 ocsp_staple）。一旦过期，要求 OCSP 装订的客户端会拒绝握手。',
  ],
  [
    'TLSProbeFailing: probe failing',
    'audit-gateway 的 TLS 探测失败',
    '失败原因和拒绝方（探测端、服务端、网络）见 tls_probe_failure_info；docs/probe-failure-reasons.zh-CN.md 列出了每种原因的处理方法；tls-sli-exporter probe 可查看详情。',
  ],
  [
    'TLSSLIExporterDown: target down',
    'tls-sli-exporter 已停止或未被抓取',
    '没有它，任何 TLS 告警都无法触发。',
  ],
  [
    'TLSSLIExporterLogStalled: no line ever',
    '访问日志 ingress 已 15 分钟没有读到新行',
    'Envoy 停止写日志、日志被移走，或 exporter 丢失了它：请查看 tls_sli_exporter_log_follow_errors_total。',
  ],
  [
    'TLSSLIExporterLabelOverflow: values folding',
    '标签 server_name 的取值被归并为 "other"',
    '不同取值数超过 server_names.max_values，或取值不在允许列表中：请提高上限或扩充列表。',
  ],
  [
    'TLSSLIExporterPositionsNotSaved: saves failing',
    'tls-sli-exporter 无法保存读取位置文件',
    '计数仍在发布，但重启后会从上次保存的位置重新读取，这些行会被重复计数：请检查 positions_file 所在的卷（已满、只读、不存在）。',
  ],
  [
    'TLSSLIExporterConfigReloadFailed: reload failed',
    'tls-sli-exporter 重新加载配置失败',
    '它继续使用旧配置运行；原因见其日志（tls-sli-exporter check-config 会列出所有问题）。',
  ],
  [
    'TLSHandshakeErrorBudgetBurn: fast burn pages (and its ticket twin fires too)',
    '到 audit-gw.dify.svc 的 TLS 握手（downstream，日志 ingress）失败过快，正在消耗错误预算',
    '握手失败对 30 天 99.9% 握手成功率目标（SLO）错误预算的消耗速率超过 1h 内 14.4 倍，或 6h 内 6 倍。请按 reason 查看 tls_handshake_failures_total。',
  ],
  [
    'TLSAccessLogCoverageLow: the log shows half of what Envoy counted (a filtered listener log)',
    '访问日志 ingress 只记录了 Envoy 统计的 downstream TLS 握手中的 50%',
    '过去一小时内，日志中的握手少于 Envoy 自身的 ssl.* 计数（envoy_admin）：握手失败也可能被漏掉。常见原因：监听器日志上有过滤条件（Istio 只记录 NR 连接）、日志被采样、日志文件未被跟踪，或 downstream_log/upstream_log 中配置的是另一个 Envoy 的日志。',
  ],
  [
    'TLSEnvoyAdminUnreadable: admin endpoint unreadable for 20 minutes',
    '无法读取 edge 的 Envoy admin 统计',
    '没有这些统计就无法检查该 Envoy 访问日志的覆盖率：请按 reason 查看 tls_envoy_admin_errors_total 和 exporter 日志。',
  ],
  [
    'TLSHandshakeLatencyHigh: P99 995ms for 30 minutes, above 0.5 s',
    '到 audit-gw.dify.svc 的 TLS 握手（downstream，日志 ingress）变慢',
    'Envoy 日志中 10m 内握手耗时的 99 分位为 995ms，已连续 15 分钟高于 0.5 秒。请检查服务端在握手中做了什么（OCSP 请求、HSM 中的私钥）、代理的 CPU，以及客户端的网络。',
  ],
  [
    'TLSPostQuantumShareFell: post-quantum for 10 hours, then X25519 only: below 0.5 after being above it',
    '到 audit-gw.dify.svc 的后量子握手减少（downstream，日志 ingress）',
    '1h 内使用后量子密钥交换组的握手占比为 0%，在过去一天内曾达到或高于 50 % 之后，已连续 30 分钟低于它：某个代理、客户端或 TLS 库退回到了经典密钥交换。请查看看板上的密钥交换组分布，以及占比下降时发生了什么变更。',
  ],
];

pinAlertTexts('zh-CN', TEXTS);
