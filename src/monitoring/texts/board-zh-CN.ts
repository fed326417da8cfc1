// 看板文本（简体中文）：英文看板中每个标题、说明、变量名、取值映射和图例对应的中文，术语见
// docs/glossary.md。随选项变化的说明（目标、天数）用正则匹配英文原文并保留其中的数值。
import type { BoardTexts } from './board-texts.js';

export const ZH_CN_BOARD: BoardTexts = {
  exact: {
    // the board and its variables
    'TLS SLI': 'TLS SLI 看板',
    'Data source': '数据源',
    Job: 'Job',
    Instance: '实例',
    Log: '日志',
    'Server name': '服务器名称',
    // rows and panels
    'SLI: TLS handshakes': 'SLI：TLS 握手',
    'Handshake success ratio': '握手成功率',
    'Error budget remaining (30 days)': '剩余错误预算（30 天）',
    'Top failing server names and reasons': '失败最多的服务器名称和原因',
    'Success ratio by server name (heat map)': '按服务器名称的握手成功率（热力图）',
    'Success ratio by server name': '按服务器名称的握手成功率',
    'Handshake time by server name (P50, P99)': '按服务器名称的握手耗时（P50、P99）',
    'Slowest server names (P99 over the time range)': '最慢的服务器名称（时间范围内的 P99）',
    'Failures by reason': '按原因的握手失败',
    'TLS version mix': 'TLS 版本分布',
    'Key exchange and failing clients': '密钥交换与失败的客户端',
    'Post-quantum share by server name': '按服务器名称的后量子占比',
    'Per server name and direction, the share of completed handshakes whose logged key-exchange group is post-quantum (X25519MLKEM768, X25519Kyber768Draft00, MLKEM1024) among all with a logged group. A fall after a change (a proxy, a client or a library rolled back) is the sign to look for. Empty until the logs carry %DOWNSTREAM_TLS_GROUP% / %UPSTREAM_TLS_GROUP% (Envoy 1.39).':
      '按服务器名称和方向，在日志写明了密钥交换组的成功握手中，使用后量子组（X25519MLKEM768、X25519Kyber768Draft00、MLKEM1024）的比例。变更之后（代理、客户端或库被回退）占比下降，就是要找的信号。日志带上 %DOWNSTREAM_TLS_GROUP% / %UPSTREAM_TLS_GROUP%（Envoy 1.39）之前为空。',
    'Key-exchange group mix': '密钥交换组分布',
    "Share of completed handshakes by logged key-exchange group, stacked to 100 % (other: a group name outside BoringSSL's list).":
      '按日志中的密钥交换组统计的成功握手占比，堆叠到 100 %（other：不在 BoringSSL 列表中的组名）。',
    'Failing client fingerprints by reason': '按原因的失败客户端指纹',
    "Failed downstream handshakes over the time range by failure reason and the client's JA4 (else JA3) fingerprint, most first: which client software fails since a rotation. other: past the log's failing_fingerprints.max_values; none: the line had no fingerprint. Empty unless failing_fingerprints is set on a listener log (off by default; docs/security.md).":
      '时间范围内的下游握手失败，按失败原因和客户端的 JA4（没有时用 JA3）指纹统计，多的在前：轮换之后是哪种客户端软件在失败。other：超出该日志的 failing_fingerprints.max_values；none：日志行没有指纹。只有在监听器日志上设置了 failing_fingerprints 才有数据（默认关闭；见 docs/security.md）。',
    Certificates: '证书',
    'Certificates by days remaining': '证书剩余天数',
    'Soonest expiries': '最先过期的证书',
    'Chain verified': '证书链校验',
    'Hostname match': '主机名匹配',
    'Client auth enforced': '强制双向认证',
    'OCSP stapled': 'OCSP 装订',
    'OCSP status': 'OCSP 状态',
    'Certificate inventory: key, signature, weak flags': '证书清单：密钥、签名、弱项标记',
    Revocation: '吊销',
    'Revocation status': '吊销状态',
    'Revocation data: hours to next update': '吊销数据：距 nextUpdate 的小时数',
    'OCSP and CRL request time (P50, P99)': 'OCSP 和 CRL 请求耗时（P50、P99）',
    'Revocation fetch failures': '吊销数据获取失败',
    Probes: '探测',
    'Probe success': '探测成功',
    'Probe duration': '探测耗时',
    'Probe failures by reason and who refused': '按原因和拒绝方的探测失败',
    'Probe handshake time (P50, P99)': '探测握手耗时（P50、P99）',
    'TLS inventory of probed targets': '探测目标的 TLS 清单',
    Exporter: 'Exporter',
    'Log lines by outcome': '按结果的日志行数',
    'Seconds since the last line': '距最后一行的秒数',
    'Label folds and rotations': '标签归并和日志轮转',
    "Access-log coverage (handshakes logged / Envoy's count)":
      '访问日志覆盖率（日志中的握手 / Envoy 统计的握手）',
    "Envoy's own handshake failures": 'Envoy 自身统计的握手失败',
    'Config reload': '配置重新加载',
    'Event-loop lag': '事件循环延迟',
    // descriptions
    'Share of the 30-day error budget not yet spent; below 0 the objective is missed.':
      '30 天错误预算中尚未消耗的比例；低于 0 表示未达成目标。',
    'Failed handshakes in the time range by server name and reason, most first.':
      '时间范围内按服务器名称和原因统计的失败握手，从多到少排列。',
    'Each row is a server name; colour is its handshake success ratio over time.':
      '每一行是一个服务器名称；颜色表示其握手成功率随时间的变化。',
    'Handshake success ratio per server name.': '每个服务器名称的握手成功率。',
    'From the handshake times Envoy logs (docs/envoy.md §5): downstream from %DOWNSTREAM_HANDSHAKE_DURATION% or the ClientHello-to-done span, upstream from the TCP-connected-to-done span. A rising P99 is often the first sign of trouble: an OCSP fetch or an HSM on the server, a CPU-starved proxy. Empty when the logs carry no handshake time.':
      '来自 Envoy 日志中的握手耗时（docs/envoy.md §5）：下游取 %DOWNSTREAM_HANDSHAKE_DURATION% 或从 ClientHello 到握手完成的时间段，上游取从 TCP 连接建立到握手完成的时间段。P99 上升往往是出问题的第一个信号：服务端的 OCSP 请求或 HSM、CPU 不足的代理。日志中没有握手耗时时为空。',
    'The 99th percentile of handshake time per server name and direction over the whole time range, slowest first; yellow from 100 ms, red from 1 s.':
      '整个时间范围内按服务器名称和方向的握手耗时 99 分位，最慢的在前；100 ms 起为黄色，1 s 起为红色。',
    'Failed handshakes per second by reason, stacked.': '按原因统计的每秒失败握手数，堆叠显示。',
    'Share of completed handshakes by TLS version, stacked to 100 %: what is still on TLS 1.2 (unknown: the line showed a handshake but not its version).':
      '按 TLS 版本统计的完成握手占比，堆叠到 100%：哪些还在用 TLS 1.2（unknown：日志行记录了握手但没有记录版本）。',
    'The ten certificates that expire first, in days.': '最先过期的十张证书，单位为天。',
    'Whether each probed chain verifies against the module trust.':
      '每个被探测的证书链能否用模块信任的 CA 校验通过。',
    'Whether each leaf matches its server name.': '每张叶子证书是否与其服务器名称匹配。',
    'Whether each endpoint refuses a client without a certificate.':
      '每个端点是否拒绝没有证书的客户端。',
    'Whether each endpoint staples an OCSP response.': '每个端点是否装订 OCSP 响应。',
    'Stapled OCSP status per target: good, revoked or unknown.':
      '每个目标装订的 OCSP 状态：正常、已吊销或未知。',
    "Every certificate (probed, on disk, the probes' own client certificates) with its key type and size and its signature algorithm, and how many of the two are weak: a key below OpenSSL security level 2 (RSA under 2048 bits), a SHA-1 or MD5 signature. Clients at the Debian, Ubuntu and RHEL default refuse any above 0 (red). Sort by key_bits to find what is still on RSA-2048.":
      '每张证书（探测到的、磁盘上的、探测自身的客户端证书）的密钥类型、长度和签名算法，以及两者中有几项是弱的：低于 OpenSSL 安全级别 2 的密钥（不足 2048 位的 RSA）、SHA-1 或 MD5 签名。Debian、Ubuntu 和 RHEL 默认设置的客户端会拒绝任何大于 0 的证书（红色）。按 key_bits 排序可找出仍在用 RSA-2048 的证书。',
    'Per certificate and method (ocsp: the staple or the responder; crl): good (a verified answer), unknown (the responder does not know it, or nowhere to ask), unavailable (no usable answer: fetch failed, bad signature, stale; never revoked), REVOKED.':
      '按证书和方式（ocsp：装订响应或 OCSP 响应方；crl）：正常（经过验证的结果）、未知（响应方不认识该证书，或无处可查）、不可用（没有可用的结果：获取失败、签名错误、已过期；永远不会显示为已吊销）、已吊销。',
    'Hours until the OCSP response or CRL behind each status is past its nextUpdate (stale): red when stale, yellow below one hour.':
      '每个状态所依据的 OCSP 响应或 CRL 距超过 nextUpdate（过期）的小时数：已过期为红色，不足一小时为黄色。',
    'Time of requests to each OCSP responder and CRL URL, connect to last byte: what a fault drill watches when a responder slows down.':
      '对每个 OCSP 响应方和 CRL URL 的请求耗时，从建立连接到最后一个字节：响应方变慢时故障演练要看的就是它。',
    'Revocation data that could not be had or used in the time range, by method, URL and reason (not_allowed: outside revocation.allowed_urls or a non-public address).':
      '时间范围内无法获取或无法使用的吊销数据，按方式、URL 和原因统计（not_allowed：不在 revocation.allowed_urls 中，或为非公网地址）。',
    '1 when the last probe of a target completed a handshake and passed every check.':
      '目标的最近一次探测完成了握手并通过了所有检查时为 1。',
    'Total duration of the last probe per target.': '每个目标最近一次探测的总耗时。',
    'Scrapes in the time range whose last probe of a target had failed, by reason and by who ended it (probe: its checks; server: an alert or a close; network). Scheduled and /probe targets alike.':
      '时间范围内目标最近一次探测失败的抓取次数，按原因和结束方统计（probe：探测端的检查；server：服务端的告警或关闭连接；network：网络）。计划探测和 /probe 的目标都包括在内。',
    'The TLS handshake of every scheduled probe (TCP connect excluded), from the histogram over scheduled runs: a slow handshake is often the first sign of trouble (an OCSP fetch on the server, an overloaded HSM, a CPU-starved sidecar).':
      '每次计划探测的 TLS 握手耗时（不含 TCP 连接），来自计划运行的直方图：握手变慢往往是出问题的第一个信号（服务端的 OCSP 请求、过载的 HSM、CPU 不足的 sidecar）。',
    "Per target, the last probe's TLS version, cipher and key-exchange group, and its leaf certificate's key and signature algorithm: which channels are still on TLS 1.2, which are not post-quantum ready (no X25519MLKEM768; group none: RSA key transport), which serve RSA-2048.":
      '每个目标最近一次探测的 TLS 版本、密码套件和密钥交换组，以及其叶子证书的密钥和签名算法：哪些通道还在用 TLS 1.2，哪些还不具备抗量子能力（没有 X25519MLKEM768；group 为 none：RSA 密钥传输），哪些使用 RSA-2048。',
    'Access-log lines read per second by outcome.': '按结果统计的每秒读取的访问日志行数。',
    'How long ago each log delivered its last line.': '每个日志最后一行距今多久。',
    'Values folded into "other" and log rotations seen.':
      '被归并为 "other" 的取值和检测到的日志轮转。',
    "Failed TLS handshakes per second as Envoy counts them (its ssl.* statistics and the listener's transport-socket timeouts), per Envoy, listener or cluster, and outcome: what the access log should show as failures.":
      'Envoy 自己统计的每秒失败 TLS 握手数（其 ssl.* 统计和监听器的传输套接字超时），按 Envoy、监听器或集群以及结果统计：这是访问日志中应当显示为失败的部分。',
    'Whether the last config reload succeeded, per instance.':
      '每个实例最近一次配置重新加载是否成功。',
    "How long the exporter's event loop was held, per instance (p99 and the worst over the last scrape interval): /-/healthy and scrapes wait that long. Heavy work (keystores, large CRLs, reloads) runs off the loop or in slices; a lag near a second is a bug to report, and near the liveness probe's timeout restarts the pod.":
      '每个实例 exporter 的事件循环被占用的时长（上一个抓取间隔内的 p99 和最大值）：/-/healthy 和抓取都要等这么久。繁重的工作（密钥库、大型 CRL、重新加载）在事件循环之外或分片执行；接近一秒的延迟是需要报告的缺陷，接近存活探针的超时时间会导致 Pod 被重启。',
    // table columns and value mappings
    Value: '值',
    'days left': '剩余天数',
    weak: '弱项',
    OK: '正常',
    FAIL: '失败',
    good: '正常',
    REVOKED: '已吊销',
    unknown: '未知',
    unavailable: '不可用',
    // legends with words
    'folded {{label}}': '归并 {{label}}',
    'rotated {{log}} {{kind}}': '轮转 {{log}} {{kind}}',
    'max {{instance}}': '最大 {{instance}}',
  },
  patterns: [
    [
      /^TLS and mutual-TLS handshake SLIs, certificate expiry and TLS checks from tls-sli-exporter\. (.*)$/,
      'tls-sli-exporter 的 TLS 和双向认证握手 SLI、证书到期时间和 TLS 检查。$1',
    ],
    [
      /^Completed handshakes over all handshakes in the time range, against the ([\d.]+)% objective \(green at or above it\)\.$/,
      '时间范围内完成的握手占全部握手的比例，对照 $1% 的目标（达到或高于目标为绿色）。',
    ],
    [
      /^Every certificate \(probed, on disk, the probes' own client certificates\) with days until expiry: red below ([\d.]+), yellow below ([\d.]+), green from [\d.]+\.$/,
      '每张证书（探测到的、磁盘上的、探测自身的客户端证书）距过期的天数：低于 $1 天红色，低于 $2 天黄色，$2 天及以上绿色。',
    ],
    [
      /^Per log and direction, the handshakes the access log showed over the last hour against the ones its Envoy counted itself \(envoy_admin\): below ([\d.]+) % \(red\) the log misses handshakes, and the SLI with them \(a filter on the listener log, a sampled log, a log not tailed\); above 1, the log shows another Envoy's too\. Empty without envoy_admin\.$/,
      '按日志和方向，过去一小时访问日志中的握手数与其所属 Envoy 自己统计的握手数之比（envoy_admin）：低于 $1%（红色）表示日志漏掉了握手，SLI 也随之缺失（监听器日志上有过滤条件、日志被采样、日志未被跟踪）；高于 1 表示日志中还有另一个 Envoy 的握手。未配置 envoy_admin 时为空。',
    ],
  ],
};
