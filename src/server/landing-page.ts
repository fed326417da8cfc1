// The landing page at `/`: name, version and links, as every Prometheus exporter has, and the live
// status (filled by status.js from /api/status), in the language of status-texts.ts the request
// asks for, with a switch to the other. Pure HTML, no external assets.
import { STATUS_LANGS, STATUS_TEXTS, type StatusLang } from './status-texts.js';

export interface LandingInfo {
  readonly version: string;
  readonly revision: string;
  readonly telemetryPath: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The switch between languages: each a link to this page in it; the current one not a link. */
function languageSwitch(lang: StatusLang): string {
  const names: Readonly<Record<StatusLang, string>> = { en: 'English', 'zh-CN': '中文' };
  return STATUS_LANGS.map((l) =>
    l === lang
      ? `<strong lang="${l}">${names[l]}</strong>`
      : `<a href="?lang=${l}" hreflang="${l}" lang="${l}">${names[l]}</a>`,
  ).join(' · ');
}

export function landingPage(info: LandingInfo, lang: StatusLang = 'en'): string {
  const t = STATUS_TEXTS[lang];
  const links: ReadonlyArray<readonly [string, string]> = [
    [info.telemetryPath, t.links.metrics],
    ['/-/healthy', t.links.health],
    ['/-/ready', t.links.ready],
  ];
  const items = links
    .map(
      ([href, label]) =>
        `<li><a href="${escapeHtml(href)}">${escapeHtml(label)}</a> <code>${escapeHtml(href)}</code></li>`,
    )
    .join('\n      ');
  return `<!doctype html>
<html lang="${lang}">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>tls-sli-exporter</title>
    <link rel="stylesheet" href="status.css">
    <script src="status.js" defer></script>
  </head>
  <body>
    <nav class="lang" id="lang">${languageSwitch(lang)}</nav>
    <h1>tls-sli-exporter</h1>
    <p class="meta">${escapeHtml(t.tagline)}</p>
    <p class="meta">${escapeHtml(t.version(info.version, info.revision))} <span id="reload"></span> <span id="updated"></span></p>
    <ul>
      ${items}
    </ul>
    <h2>${escapeHtml(t.sections.certificates)}</h2>
    <div class="wrap" id="certificates"><p class="meta">${escapeHtml(t.loading)}</p></div>
    <h2>${escapeHtml(t.sections.sli)}</h2>
    <div class="wrap" id="sli"></div>
    <h2>${escapeHtml(t.sections.probes)}</h2>
    <div class="wrap" id="probes"></div>
    <h2>${escapeHtml(t.sections.exporter)}</h2>
    <div class="wrap" id="exporter"></div>
  </body>
</html>
`;
}
