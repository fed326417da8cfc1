// The landing page at `/`: name, version and links, as every Prometheus exporter has. Pure HTML,
// no external assets.

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
    <style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}code{color:#555}</style>
  </head>
  <body>
    <h1>tls-sli-exporter</h1>
    <p>TLS and mutual-TLS handshake SLIs and certificate expiry for Prometheus.</p>
    <p>Version ${escapeHtml(info.version)} (revision ${escapeHtml(info.revision)})</p>
    <ul>
      ${items}
    </ul>
  </body>
</html>
`;
}
