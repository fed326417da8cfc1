// The status page's words in each language, for the page the server writes (landing-page.ts)
// and the script the browser runs (web/status-page.ts, which reads the page's `lang`). The
// language is the one the browser asks for (Accept-Language) unless `?lang=` chooses; terms follow
// docs/glossary.md. Label values (sources, positions, reasons) stay as Prometheus has them.

export const STATUS_LANGS = ['en', 'zh-CN'] as const;
export type StatusLang = (typeof STATUS_LANGS)[number];

export interface StatusTexts {
  readonly tagline: string;
  readonly version: (version: string, revision: string) => string;
  readonly links: { readonly metrics: string; readonly health: string; readonly ready: string };
  readonly sections: {
    readonly certificates: string;
    readonly sli: string;
    readonly probes: string;
    readonly exporter: string;
  };
  readonly loading: string;
  readonly nothingYet: string;
  readonly runbook: string;
  readonly headers: {
    readonly certificates: readonly string[];
    readonly sli: (objective: string) => readonly string[];
    readonly probes: readonly string[];
    readonly exporter: readonly string[];
  };
  readonly ok: string;
  readonly fail: string;
  readonly failing: string;
  readonly never: string;
  readonly ocsp: Readonly<Record<string, string>>;
  readonly refusedBy: Readonly<Record<string, string>>;
  readonly problem: (reason: string, refusedBy: string, detail: string) => string;
  readonly reload: (ok: boolean, error: string | null) => string;
  readonly updated: (time: string) => string;
  readonly unreachable: (error: string) => string;
  /** the runbook of this language, from the English runbook link the API gives */
  readonly runbookUrl: (english: string) => string;
}

const EN: StatusTexts = {
  tagline: 'TLS and mutual-TLS handshake SLIs and certificate expiry for Prometheus.',
  version: (version, revision) => `Version ${version} (revision ${revision})`,
  links: { metrics: 'Metrics', health: 'Health', ready: 'Readiness' },
  sections: {
    certificates: 'Certificates by days remaining',
    sli: 'Handshake success (last 5 minutes and 1 hour)',
    probes: 'Probe checks',
    exporter: 'Exporter health',
  },
  loading: 'Loading…',
  nothingYet: 'Nothing yet.',
  runbook: 'runbook',
  headers: {
    certificates: ['Days left', 'Source', 'Name', 'Position', 'Subject', 'Expires', 'Runbook'],
    sli: (objective) => [
      'Log',
      'Server name',
      `Success 5 min (objective ${objective})`,
      'Budget burn 5 min',
      'Success 1 h',
      'Handshakes 5 min',
      'Top failure reasons',
    ],
    probes: [
      'Target',
      'Result',
      'Handshake',
      'Chain',
      'Hostname',
      'Client auth enforced',
      'OCSP',
      'Problem',
      'Runbook',
    ],
    exporter: ['Log', 'Lines/s', 'Last line (s ago)'],
  },
  ok: 'OK',
  fail: 'FAIL',
  failing: 'FAILING',
  never: 'never',
  ocsp: {},
  refusedBy: {},
  problem: (reason, refusedBy, detail) => `${reason} (refused by ${refusedBy}): ${detail}`,
  reload: (ok, error) =>
    ok ? 'last config reload: OK' : `last config reload: FAILED${error ? `: ${error}` : ''}`,
  updated: (time) => `updated ${time} UTC`,
  unreachable: (error) => `cannot reach the exporter: ${error}`,
  runbookUrl: (english) => english,
};

const ZH_CN: StatusTexts = {
  tagline: '面向 Prometheus 的 TLS 与双向认证握手 SLI 及证书到期监控。',
  version: (version, revision) => `版本 ${version}（修订 ${revision}）`,
  links: { metrics: '指标', health: '健康检查', ready: '就绪检查' },
  sections: {
    certificates: '证书剩余天数',
    sli: '握手成功率（最近 5 分钟和 1 小时）',
    probes: '探测检查',
    exporter: 'Exporter 健康状况',
  },
  loading: '加载中…',
  nothingYet: '暂无数据。',
  runbook: '处置手册',
  headers: {
    certificates: ['剩余天数', '来源', '名称', '位置', '主题', '到期时间', '处置手册'],
    sli: (objective) => [
      '日志',
      '服务器名称',
      `5 分钟握手成功率（目标 ${objective}）`,
      '5 分钟错误预算消耗速率',
      '1 小时握手成功率',
      '5 分钟握手次数',
      '主要失败原因',
    ],
    probes: [
      '目标',
      '结果',
      '握手',
      '证书链',
      '主机名',
      '强制双向认证',
      'OCSP',
      '问题',
      '处置手册',
    ],
    exporter: ['日志', '每秒行数', '最后一行（秒前）'],
  },
  ok: '正常',
  fail: '失败',
  failing: '失败',
  never: '从未',
  ocsp: {
    off: '未检查',
    'not stapled': '未装订',
    good: '正常',
    REVOKED: '已吊销',
    unknown: '未知',
  },
  refusedBy: { probe: '探测端', server: '服务端', network: '网络' },
  problem: (reason, refusedBy, detail) => `${reason}（拒绝方：${refusedBy}）：${detail}`,
  reload: (ok, error) =>
    ok ? '最近一次配置重新加载：成功' : `最近一次配置重新加载：失败${error ? `：${error}` : ''}`,
  updated: (time) => `更新于 ${time} UTC`,
  unreachable: (error) => `无法连接 exporter：${error}`,
  runbookUrl: (english) => english.replace('/docs/runbook.md#', '/docs/runbook.zh-CN.md#'),
};

export const STATUS_TEXTS: Readonly<Record<StatusLang, StatusTexts>> = { en: EN, 'zh-CN': ZH_CN };

/** `?lang=` when it names a language; else the first of Accept-Language's that is offered. */
export function statusLang(
  query: unknown,
  accepts: (...langs: string[]) => string | false,
): StatusLang {
  if (query === 'en' || query === 'zh-CN') return query;
  const best = accepts('en', 'zh-CN', 'zh');
  return typeof best === 'string' && best.startsWith('zh') ? 'zh-CN' : 'en';
}
