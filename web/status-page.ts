// The status page's script, run by the browser (src/server/landing-page.ts serves the page,
// src/server/status-script.ts this script compiled by scripts/build-status-script.mjs). It polls
// api/status (a StatusModel, src/status/status-api.ts) every 5 s and renders four tables; a
// certificate's colour follows the board: red below 7 days, yellow below 30; a server name's
// follows how fast it spends the error budget of the configured objective. No framework, no
// inline script (the page's Content-Security-Policy forbids it), every text set as text, in the
// page's language (its `lang`, chosen by the server: src/server/status-texts.ts).
import { STATUS_TEXTS, type StatusLang } from '../src/server/status-texts.js';
import type { StatusModel } from '../src/status/status-api.js';

const REFRESH_MS = 5_000;

const lang: StatusLang = document.documentElement.lang === 'zh-CN' ? 'zh-CN' : 'en';
const t = STATUS_TEXTS[lang];

function el(tag: string, text?: string | number, cls?: string): HTMLElement {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function byId(id: string): HTMLElement {
  const e = document.getElementById(id);
  if (e === null) throw new Error(`the page has no #${id}`);
  return e;
}

function pct(v: number | null): string {
  return v === null ? '-' : `${(v * 100).toFixed(2)} %`;
}

function check(v: boolean | null): HTMLElement {
  return v === null ? el('td', '-') : el('td', v ? t.ok : t.fail, v ? 'ok' : 'bad');
}

function table(id: string, headers: readonly string[], rows: readonly HTMLElement[]): void {
  const host = byId(id);
  const tbl = el('table');
  const head = el('tr');
  for (const h of headers) head.appendChild(el('th', h));
  tbl.appendChild(head);
  for (const r of rows) tbl.appendChild(r);
  host.replaceChildren(tbl);
  if (rows.length === 0) host.appendChild(el('p', t.nothingYet, 'meta'));
}

function linkCell(url: string | null): HTMLElement {
  const td = el('td');
  if (url) {
    const a = document.createElement('a');
    a.textContent = t.runbook;
    a.href = t.runbookUrl(url);
    a.rel = 'noopener';
    td.appendChild(a);
  }
  return td;
}

function row(...cells: HTMLElement[]): HTMLElement {
  const tr = el('tr');
  for (const cell of cells) tr.appendChild(cell);
  return tr;
}

function render(s: StatusModel): void {
  table(
    'certificates',
    t.headers.certificates,
    s.certificates.map((c) => {
      const tr = row(
        el('td', c.days.toFixed(1), `num ${c.colour}`),
        el('td', c.source),
        el('td', c.name),
        el('td', c.position),
        el('td', c.subject),
        el('td', `${c.notAfter.slice(0, 16).replace('T', ' ')} UTC`, 'hide-narrow'),
        linkCell(c.runbook),
      );
      tr.dataset['name'] = c.name;
      tr.dataset['position'] = c.position;
      tr.dataset['colour'] = c.colour;
      return tr;
    }),
  );
  table(
    'sli',
    t.headers.sli(pct(s.objective)),
    s.sli.map((r) => {
      // coloured by how fast the budget burns: 99.29 % is not the same red as 0 %
      const tr = row(
        el('td', r.log),
        el('td', r.serverName),
        el('td', pct(r.ratio5m), `num ${r.colour ?? ''}`),
        el('td', r.burn5m === null ? '-' : `${r.burn5m.toFixed(1)}x`, `num ${r.colour ?? ''}`),
        el('td', pct(r.ratio1h), 'num'),
        el('td', r.handshakes5m, 'num'),
        el('td', r.topReasons),
      );
      tr.dataset['serverName'] = r.serverName;
      tr.dataset['colour'] = r.colour ?? '';
      return tr;
    }),
  );
  table(
    'probes',
    t.headers.probes,
    s.probes.map((p) => {
      const tr = row(
        el('td', p.target),
        el('td', p.ok ? t.ok : t.failing, p.ok ? 'ok' : 'bad'),
        check(p.handshake),
        check(p.chain),
        check(p.hostname),
        check(p.clientAuth),
        el('td', t.ocsp[p.ocsp] ?? p.ocsp, p.ocsp === 'REVOKED' ? 'bad' : ''),
        el(
          'td',
          p.failure === null
            ? ''
            : t.problem(
                p.failure.reason,
                t.refusedBy[p.failure.refusedBy] ?? p.failure.refusedBy,
                p.failure.detail,
              ),
        ),
        linkCell(p.runbook),
      );
      tr.dataset['target'] = p.target;
      return tr;
    }),
  );
  table(
    'exporter',
    t.headers.exporter,
    s.exporter.map((l) =>
      row(
        el('td', l.log),
        el('td', l.linesPerSecond, 'num'),
        el('td', l.lastLineAgeSeconds === null ? t.never : l.lastLineAgeSeconds, 'num'),
      ),
    ),
  );
  const reload = byId('reload');
  reload.textContent = t.reload(s.reloadOk, s.reloadError);
  reload.className = s.reloadOk ? 'ok' : 'bad';
  byId('updated').textContent = t.updated(
    new Date(s.generatedAt * 1000).toISOString().slice(11, 19),
  );
}

function refresh(): void {
  fetch('api/status', { cache: 'no-store' })
    .then((r) => r.json() as Promise<StatusModel>)
    .then(render)
    .catch((e: unknown) => {
      byId('updated').textContent = t.unreachable(String(e));
    });
}

refresh();
setInterval(refresh, REFRESH_MS);
