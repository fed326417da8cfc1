// The landing page at `/`: name, version and links, as every Prometheus exporter has, and the live
// status (filled by status.js from /api/status). Pure HTML, no external assets.

export interface LandingInfo {
  readonly version: string;
  readonly revision: string;
  readonly telemetryPath: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function landingPage(info: LandingInfo): string {
  const links: ReadonlyArray<readonly [string, string]> = [
    [info.telemetryPath, 'Metrics'],
    ['/-/healthy', 'Health'],
    ['/-/ready', 'Readiness'],
  ];
  const items = links
    .map(
      ([href, label]) =>
        `<li><a href="${escapeHtml(href)}">${escapeHtml(label)}</a> <code>${escapeHtml(href)}</code></li>`,
    )
    .join('\n      ');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>tls-sli-exporter</title>
    <link rel="stylesheet" href="status.css">
    <script src="status.js" defer></script>
  </head>
  <body>
    <h1>tls-sli-exporter</h1>
    <p class="meta">TLS and mutual-TLS handshake SLIs and certificate expiry for Prometheus.</p>
    <p class="meta">Version ${escapeHtml(info.version)} (revision ${escapeHtml(info.revision)}) <span id="reload"></span> <span id="updated"></span></p>
    <ul>
      ${items}
    </ul>
    <h2>Certificates by days remaining</h2>
    <div class="wrap" id="certificates"><p class="meta">Loading…</p></div>
    <h2>Handshake success (last 5 minutes and 1 hour)</h2>
    <div class="wrap" id="sli"></div>
    <h2>Probe checks</h2>
    <div class="wrap" id="probes"></div>
    <h2>Exporter health</h2>
    <div class="wrap" id="exporter"></div>
  </body>
</html>
`;
}
