// 告警文本（简体中文）：与 alert-texts-en.ts 逐条对应，模板字段相同，术语见 docs/glossary.md。
import { CERT_LABELS, type AlertTexts } from './alert-text-input.js';

const CERT = `CN=${CERT_LABELS.subject}（签发者 CN=${CERT_LABELS.issuer}，序列号 ${CERT_LABELS.serial}）`;

export const ZH_CN_ALERTS: AlertTexts = (p) => {
  const places = `${p.places('；')}。`;
  const where = `到期时间 ${p.notAfter}。所在位置：${places}`;
  return {
    TLSCertificateExpiringSoon: {
      summary: `证书 ${CERT}将在 {{ $value | humanizeDuration }} 后过期`,
      description: `${where}请在过期前续期。`,
    },
    TLSCertificateExpiryCritical: {
      summary: `证书 ${CERT}将在 {{ $value | humanizeDuration }} 后过期`,
      description: `${where}请立即续期并部署新证书：证书过期后客户端将拒绝连接。`,
    },
    TLSCertificateExpired: {
      summary: `证书 ${CERT}已过期`,
      description: `过期时间 ${p.notAfter}。所在位置：${places}出示或校验该证书的握手都会失败。请更换证书。`,
    },
    TLSCertificateNotYetValid: {
      summary: `证书 ${CERT}尚未生效`,
      description: `所在位置：${places}其 notBefore 在未来：时钟有问题，或证书部署得过早。`,
    },
    TLSUnusedCertificateExpired: {
      summary: `服务端发送了已过期的证书 ${CERT}，没有任何已验证的证书链用到它`,
      description: `所在位置：${places}客户端不依赖它即可完成证书链校验（根 CA 的旧交叉签名，或证书包里残留的旧中间 CA），所以目前没有握手失败；但部分老旧客户端可能仍会尝试它。请把它从服务端发送的证书包中删除。`,
    },
    TLSCertificateLifetimeLow: {
      summary: `短期证书 ${CERT}剩余有效期已不足总有效期的三分之一（{{ $value | humanizeDuration }}）`,
      description: `${where}它本应已被自动续期：请检查签发方（cert-manager、SPIRE、Vault）。`,
    },
    TLSHandshakeErrorBudgetBurn: {
      summary:
        '到 {{ $labels.server_name }} 的 TLS 握手（{{ $labels.direction }}，日志 {{ $labels.log }}）失败过快，正在消耗错误预算',
      description: `握手失败对 30 天 ${p.objectivePercent}% 握手成功率目标（SLO）错误预算的消耗速率超过${p.burnRates
        .map(([factor, window]) => ` ${window} 内 ${factor} 倍`)
        .join('，或')}。请按 reason 查看 tls_handshake_failures_total。`,
    },
    TLSHandshakeLatencyHigh: {
      summary:
        '到 {{ $labels.server_name }} 的 TLS 握手（{{ $labels.direction }}，日志 {{ $labels.log }}）变慢',
      description: `Envoy 日志中 ${p.latencyWindow} 内握手耗时的 99 分位为 {{ $value | humanizeDuration }}，已连续 15 分钟高于 ${p.latencyThreshold} 秒。请检查服务端在握手中做了什么（OCSP 请求、HSM 中的私钥）、代理的 CPU，以及客户端的网络。`,
    },
    TLSPostQuantumShareFell: {
      summary:
        '到 {{ $labels.server_name }} 的后量子握手减少（{{ $labels.direction }}，日志 {{ $labels.log }}）',
      description: `${p.pqWindow} 内使用后量子密钥交换组的握手占比为 {{ $value | humanizePercentage }}，在过去一天内曾达到或高于 ${p.pqFloorPercent} % 之后，已连续 30 分钟低于它：某个代理、客户端或 TLS 库退回到了经典密钥交换。请查看看板上的密钥交换组分布，以及占比下降时发生了什么变更。`,
    },
    TLSClientAuthNotEnforced: {
      summary: '{{ $labels.name }} 未强制双向认证（mTLS）',
      description: '没有客户端证书的客户端完成了握手：要求双向认证的端点实际只做了单向 TLS。',
    },
    TLSCertificateChainInvalid: {
      summary: '{{ $labels.name }} 的证书链校验不通过',
      description:
        'CA 未知、缺少中间 CA、自签名、已过期、签发者不是 CA、用途不符或密钥强度不足：原因见 tls_probe_failure_info，用 tls-sli-exporter probe 查看证书详情。',
    },
    TLSHostnameMismatch: {
      summary: '{{ $labels.name }} 的证书与其服务器名称不匹配',
      description: '校验名称（SAN）的客户端会拒绝该证书。',
    },
    TLSOCSPStaplingMissing: {
      summary: '{{ $labels.name }} 不再进行 OCSP 装订',
      description:
        '它在最近 7 天内装订过 OCSP 响应，现在不再装订：常见原因是证书或 Secret 轮换后没有重新获取装订响应。从未装订过的端点（没有 OCSP 的私有 CA）不会触发此告警；在其探测模块中设置 ocsp: require，缺少装订时探测会直接失败。',
    },
    TLSOCSPRevoked: {
      summary: '{{ $labels.name }} 装订的 OCSP 响应显示证书已吊销',
      description: '校验吊销状态的客户端会拒绝该证书。请更换证书。',
    },
    TLSOCSPResponseStale: {
      summary: '{{ $labels.name }} 装订的 OCSP 响应已超过 nextUpdate',
      description: '服务端一直在装订旧的响应：它获取 OCSP 响应失败了。',
    },
    TLSCertificateRevoked: {
      summary: `证书 ${CERT}已吊销`,
      description: `其 OCSP 响应方或 CRL 显示已吊销（吊销时间和原因见 tls_cert_revocation_timestamp_seconds）。所在位置：${places}校验吊销状态的客户端会拒绝它：请更换证书。`,
    },
    TLSRevocationUnavailable: {
      summary: `证书 ${CERT}已 30 分钟没有可用的 {{ $labels.method }} 吊销结果`,
      description: `无法获取 OCSP 响应方或 CRL，或其结果不可用（签名错误、已过期）：哪个 URL、什么原因见 tls_revocation_fetch_failures_total。在此期间发生的吊销将无法发现。所在位置：${places}`,
    },
    TLSRevocationDataStale: {
      summary: `证书 ${CERT}的 {{ $labels.method }} 吊销结果已超过 nextUpdate`,
      description:
        'CA 没有发布比当前更新的 OCSP 响应或 CRL（或无法获取）：要求最新吊销数据的客户端会拒绝该证书。',
    },
    TLSRevocationDataExpiringSoon: {
      summary: `证书 ${CERT}的 {{ $labels.method }} 吊销结果将在 {{ $value | humanizeDuration }} 后过期`,
      description:
        '其 nextUpdate 临近，且没有获取到更新的 OCSP 响应或 CRL：请确认 CA 仍在发布，以及 exporter 能获取到。',
    },
    TLSOCSPStapleExpiringSoon: {
      summary: '{{ $labels.name }} 装订的 OCSP 响应将在 {{ $value | humanizeDuration }} 后过期',
      description:
        '服务端应在 nextUpdate 之前很早就获取新的装订响应（Envoy 从 Secret 读取：请更新 ocsp_staple）。一旦过期，要求 OCSP 装订的客户端会拒绝握手。',
    },
    TLSProbeFailing: {
      summary: '{{ $labels.name }} 的 TLS 探测失败',
      description:
        '失败原因和拒绝方（探测端、服务端、网络）见 tls_probe_failure_info；docs/probe-failure-reasons.zh-CN.md 列出了每种原因的处理方法；tls-sli-exporter probe 可查看详情。',
    },
    TLSSLIExporterDown: {
      summary: 'tls-sli-exporter 已停止或未被抓取',
      description: '没有它，任何 TLS 告警都无法触发。',
    },
    TLSSLIExporterLogStalled: {
      summary: '访问日志 {{ $labels.log }} 已 15 分钟没有读到新行',
      description:
        'Envoy 停止写日志、日志被移走，或 exporter 丢失了它：请查看 tls_sli_exporter_log_follow_errors_total。',
    },
    TLSAccessLogCoverageLow: {
      summary:
        '访问日志 {{ $labels.log }} 只记录了 Envoy 统计的 {{ $labels.direction }} TLS 握手中的 {{ $value | humanizePercentage }}',
      description:
        '过去一小时内，日志中的握手少于 Envoy 自身的 ssl.* 计数（envoy_admin）：握手失败也可能被漏掉。常见原因：监听器日志上有过滤条件（Istio 只记录 NR 连接）、日志被采样、日志文件未被跟踪，或 downstream_log/upstream_log 中配置的是另一个 Envoy 的日志。',
    },
    TLSEnvoyAdminUnreadable: {
      summary: '无法读取 {{ $labels.envoy }} 的 Envoy admin 统计',
      description:
        '没有这些统计就无法检查该 Envoy 访问日志的覆盖率：请按 reason 查看 tls_envoy_admin_errors_total 和 exporter 日志。',
    },
    TLSSLIExporterLabelOverflow: {
      summary: '标签 {{ $labels.label }} 的取值被归并为 "other"',
      description:
        '不同取值数超过 server_names.max_values，或取值不在允许列表中：请提高上限或扩充列表。',
    },
    TLSSLIExporterPositionsNotSaved: {
      summary: 'tls-sli-exporter 无法保存读取位置文件',
      description:
        '计数仍在发布，但重启后会从上次保存的位置重新读取，这些行会被重复计数：请检查 positions_file 所在的卷（已满、只读、不存在）。',
    },
    TLSSLIExporterConfigReloadFailed: {
      summary: 'tls-sli-exporter 重新加载配置失败',
      description:
        '它继续使用旧配置运行；原因见其日志（tls-sli-exporter check-config 会列出所有问题）。',
    },
  };
};
