// The status page's script and style, served from this origin (no external assets, no inline
// script: it works offline and under a strict Content-Security-Policy). The script polls
// /api/status and renders it; colours follow the board: red below 7 days, yellow below 30.

export const STATUS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'";

export const STATUS_CSS = `
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:0 auto;max-width:72rem;padding:0 1rem 2rem;color:#1d1d1f}
h1{font-size:1.4rem;margin:1rem 0 .2rem}h2{font-size:1.1rem;margin:1.4rem 0 .4rem}
p.meta{color:#555;margin:.2rem 0}nav a{margin-right:1rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e3e3e3;vertical-align:top}
th{background:#f6f6f6}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.red{background:#f8d7da;color:#721c24}.yellow{background:#fff3cd;color:#856404}.green{background:#d4edda;color:#155724}
.bad{color:#b00020;font-weight:600}.ok{color:#1e7e34}
.wrap{overflow-x:auto}
#updated{color:#777;font-size:.8rem}
@media (max-width:40rem){th,td{padding:.25rem .3rem;font-size:.8rem}.hide-narrow{display:none}}
`;

export const STATUS_JS = `
'use strict';
function el(tag, text, cls) { const e = document.createElement(tag); if (text !== undefined) e.textContent = String(text); if (cls) e.className = cls; return e; }
function pct(v) { return v === null || v === undefined ? '-' : (v * 100).toFixed(2) + ' %'; }
function check(v) { return v === null || v === undefined ? el('td', '-') : el('td', v ? 'OK' : 'FAIL', v ? 'ok' : 'bad'); }
function table(id, headers, rows) {
  const host = document.getElementById(id);
  const t = el('table'); const head = el('tr');
  for (const h of headers) head.appendChild(el('th', h));
  t.appendChild(head);
  for (const r of rows) t.appendChild(r);
  host.replaceChildren(t);
  if (rows.length === 0) host.appendChild(el('p', 'Nothing yet.', 'meta'));
}
function linkCell(url) {
  const td = el('td');
  if (url) { const a = el('a', 'runbook'); a.href = url; a.rel = 'noopener'; td.appendChild(a); }
  return td;
}
function render(s) {
  table('certificates', ['Days left', 'Source', 'Name', 'Position', 'Subject', 'Expires', 'Runbook'], s.certificates.map(function (c) {
    const tr = el('tr'); tr.dataset.name = c.name; tr.dataset.position = c.position; tr.dataset.colour = c.colour;
    tr.appendChild(el('td', c.days.toFixed(1), 'num ' + c.colour));
    tr.appendChild(el('td', c.source)); tr.appendChild(el('td', c.name)); tr.appendChild(el('td', c.position));
    tr.appendChild(el('td', c.subject)); tr.appendChild(el('td', c.notAfter.slice(0, 16).replace('T', ' ') + ' UTC', 'hide-narrow'));
    tr.appendChild(linkCell(c.runbook));
    return tr;
  }));
  table('sli', ['Log', 'Server name', 'Success 5 min', 'Success 1 h', 'Handshakes 5 min', 'Top failure reasons'], s.sli.map(function (r) {
    const tr = el('tr');
    tr.appendChild(el('td', r.log)); tr.appendChild(el('td', r.serverName));
    tr.appendChild(el('td', pct(r.ratio5m), 'num' + (r.ratio5m !== null && r.ratio5m < 0.999 ? ' bad' : '')));
    tr.appendChild(el('td', pct(r.ratio1h), 'num'));
    tr.appendChild(el('td', r.handshakes5m, 'num')); tr.appendChild(el('td', r.topReasons));
    return tr;
  }));
  table('probes', ['Target', 'Result', 'Handshake', 'Chain', 'Hostname', 'Client auth enforced', 'OCSP', 'Problem', 'Runbook'], s.probes.map(function (p) {
    const tr = el('tr'); tr.dataset.target = p.target;
    tr.appendChild(el('td', p.target)); tr.appendChild(el('td', p.ok ? 'OK' : 'FAILING', p.ok ? 'ok' : 'bad'));
    tr.appendChild(check(p.handshake)); tr.appendChild(check(p.chain)); tr.appendChild(check(p.hostname)); tr.appendChild(check(p.clientAuth));
    tr.appendChild(el('td', p.ocsp, p.ocsp === 'REVOKED' ? 'bad' : ''));
    tr.appendChild(el('td', p.problem));
    tr.appendChild(linkCell(p.runbook));
    return tr;
  }));
  table('exporter', ['Log', 'Lines/s', 'Last line (s ago)'], s.exporter.map(function (l) {
    const tr = el('tr');
    tr.appendChild(el('td', l.log)); tr.appendChild(el('td', l.linesPerSecond, 'num'));
    tr.appendChild(el('td', l.lastLineAgeSeconds === null ? 'never' : l.lastLineAgeSeconds, 'num'));
    return tr;
  }));
  const reload = document.getElementById('reload');
  reload.textContent = s.reloadOk ? 'last config reload: OK' : 'last config reload: FAILED' + (s.reloadError ? ': ' + s.reloadError : '');
  reload.className = s.reloadOk ? 'ok' : 'bad';
  document.getElementById('updated').textContent = 'updated ' + new Date(s.generatedAt * 1000).toISOString().slice(11, 19) + ' UTC';
}
function refresh() {
  fetch('api/status', { cache: 'no-store' }).then(function (r) { return r.json(); }).then(render).catch(function (e) {
    document.getElementById('updated').textContent = 'cannot reach the exporter: ' + e;
  });
}
refresh();
setInterval(refresh, 5000);
`;
