// 探测失败原因（简体中文）：与 src/domain/probe-failure-reasons.ts 逐条对应的成因和处理方法，生成
// docs/probe-failure-reasons.zh-CN.md；类型保证每种原因都有中文。术语见 docs/glossary.md。
import type { ProbeFailureReason } from '../../domain/tls-words.js';

const CLIENT_CERT_ACTION =
  'refused_by="server" 时：服务端拒绝了模块的客户端证书（续期，或改用服务端信任的 CA 签发）；为 "probe" 时：修复服务端的证书';

export const ZH_CN_PROBE_REASONS: Readonly<
  Record<ProbeFailureReason, { readonly cause: string; readonly action: string }>
> = {
  dns: {
    cause: '目标名称无法解析',
    action: '在 exporter 所在位置检查名称和 DNS（`getent hosts NAME`）',
  },
  refused: {
    cause: 'TCP 连接被拒绝：端口上没有服务在监听',
    action: '服务是否在运行，端口是否正确',
  },
  timeout: {
    cause:
      '在模块超时时间内没有应答：没有建立 TCP 连接（network），或者连接建立了但服务端一直不应答握手（server）',
    action: '防火墙、服务端过载，或者是一个等客户端先说话的明文服务',
  },
  not_tls: {
    cause: '服务端应答的字节不是 TLS 记录（一个明文服务）',
    action: '该端口提供的是明文：端口不对，或监听器上没有开启 TLS',
  },
  aborted: {
    cause: '服务端在握手期间重置或关闭了连接',
    action: '原因见服务端日志（常见于服务端不发告警就拒绝客户端证书，或它不提供该 SNI 的服务）',
  },
  no_client_cert: {
    cause: '服务端要求客户端证书，而探测没有发送',
    action: '给模块配置 client_cert_file 和 client_key_file',
  },
  bad_certificate: {
    cause:
      '服务端拒绝了探测的客户端证书（告警 bad_certificate、unsupported_certificate、certificate_unknown 或 access_denied）',
    action: '对照服务端检查客户端证书：其 CA、extendedKeyUsage clientAuth、其密钥',
  },
  handshake_failure_alert: {
    cause:
      '服务端以通用的 handshake_failure 告警结束了握手（或在 TLS 1.3 中握手刚结束就关闭连接：这是它对客户端证书的判定）',
    action: '服务端日志会说明原因；常见的是客户端证书或密码套件策略',
  },
  protocol_version: {
    cause:
      '没有共同的 TLS 版本：服务端拒绝了提供的版本（server），或者服务端提供的版本低于模块的 min_version（probe）',
    action: '让服务端与 min_version 一致（TLS 1.2 或 1.3）',
  },
  no_shared_cipher: {
    cause: '没有共同的密码套件、组或签名算法',
    action: '对照模块的 security_level 比较服务端的密码套件策略',
  },
  sni_mismatch: {
    cause: '服务端不提供所请求名称的服务（告警 unrecognized_name）',
    action: '把 server_name 设为服务端提供服务的名称',
  },
  cert_expired: {
    cause:
      '服务端证书链中有证书已过期或尚未生效（probe），或者服务端拒绝了探测已过期的客户端证书（server）',
    action: '续期详情中指出的证书（tls-sli-exporter probe 会显示）',
  },
  cert_revoked: {
    cause:
      '已验证证书链上的某张证书按其装订的 OCSP 响应、OCSP 响应方或 CRL 已被吊销（probe），或者服务端说探测的客户端证书已被吊销（server）',
    action: '换用一张新签发的证书',
  },
  unknown_ca: {
    cause:
      '服务端的证书链无法连到模块的信任锚：CA 未知、缺少中间 CA、自签名（probe）；或者服务端不信任探测客户端证书的 CA（server）',
    action: CLIENT_CERT_ACTION,
  },
  cert_invalid_ca: {
    cause:
      '签发了其他证书的证书不是 CA（basicConstraints CA:FALSE，或 keyUsage 中没有 keyCertSign）',
    action: '用真正的 CA 证书签发证书链；叶子证书不能签发其他证书',
  },
  cert_path_length: {
    cause: '证书链长度超过了某个 CA 的 pathLenConstraint 允许的长度',
    action: '缩短证书链，或用更大的 pathLenConstraint 重新签发该 CA',
  },
  cert_purpose: {
    cause:
      '证书链中有证书不是给 TLS 服务端用的（extendedKeyUsage 中没有 serverAuth：常见于把客户端证书部署到了服务端）',
    action: '用 extendedKeyUsage serverAuth 重新签发服务端证书',
  },
  cert_weak_key: {
    cause: '证书链中有密钥低于模块的 security_level（级别 2：不足 2048 位的 RSA）',
    action: '用更强的密钥重新签发，或有意降低 security_level（并记录在案）',
  },
  cert_weak_signature: {
    cause: '证书链中有证书使用 SHA-1 或 MD5 签名',
    action: '用 SHA-256 签名重新签发',
  },
  cert_verify_failed: {
    cause:
      '证书链因其他原因校验失败（签名错误、无法处理的关键扩展、名称约束）；详情中有 OpenSSL 的原文',
    action: 'openssl s_client -connect HOST:PORT -verify_return_error 会显示同样的错误',
  },
  san_mismatch: {
    cause:
      '叶子证书对该服务器名称无效（没有匹配的 DNS 或 IP SAN；只有设置 hostname_cn_fallback 时才看 CN）',
    action: '把该名称写进 subjectAltName 重新签发，或者探测证书所对应的名称',
  },
  client_auth_not_enforced: {
    cause: '设置了 expect_client_auth，而不带客户端证书的握手被接受了',
    action: '服务端没有强制双向认证：在监听器上要求客户端证书',
  },
  ocsp_missing: {
    cause: 'ocsp: require，而服务端没有装订 OCSP 响应',
    action: '服务端停止了装订：检查它获取 OCSP 响应的过程（从它那里能否访问响应方）',
  },
  ocsp_invalid: {
    cause:
      'ocsp: require，而装订的响应不可用：是关于另一张证书的、不是签发者签名的、已超过 nextUpdate，或状态为 unknown',
    action: '详情会说明是哪种；服务端装订了过期的或别人的响应',
  },
  revocation_unavailable: {
    cause:
      'revocation.ocsp 或 revocation.crl 为 require，而证书链上有证书没有该方式经过验证的"正常"结果：无法获取响应方或 CRL、其结果不可用（签名错误、已过期），或者它不认识该证书',
    action:
      'tls_cert_revocation_status 和 tls_revocation_fetch_failures_total 会说明是哪张证书、哪个 URL；处置手册中有 TLSRevocationUnavailable 一节',
  },
  key_exchange_not_allowed: {
    cause:
      '设置了 key_exchange_groups，而服务端选择了其他组（见 tls_probe_key_exchange_info），或者使用 RSA 密钥传输（`none`）',
    action:
      '在服务端启用需要的组（Envoy：其 tls_params 的 ecdh_curves；X25519MLKEM768 需要 BoringSSL 或 OpenSSL 3.5 的构建），或者放宽模块的列表',
  },
  other_tls: {
    cause: '其他任何 TLS 错误；详情中有原文',
    action: 'tls-sli-exporter probe 会显示原文；openssl s_client 显示的是同一次握手',
  },
};
