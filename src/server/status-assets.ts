// The status page's style and Content-Security-Policy; its script is web/status-page.ts (compiled
// into status-script.ts). Everything is served from this origin (no external assets, no inline
// script): it works offline and under a strict Content-Security-Policy.

export const STATUS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'";

export const STATUS_CSS = `
body{font-family:system-ui,-apple-system,Segoe UI,PingFang SC,Microsoft YaHei,Noto Sans CJK SC,sans-serif;margin:0 auto;max-width:72rem;padding:0 1rem 2rem;color:#1d1d1f}
h1{font-size:1.4rem;margin:1rem 0 .2rem}h2{font-size:1.1rem;margin:1.4rem 0 .4rem}
p.meta{color:#555;margin:.2rem 0}nav a{margin-right:1rem}nav.lang{float:right;margin-top:1rem;font-size:.9rem}nav.lang a{margin:0}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e3e3e3;vertical-align:top;word-break:keep-all}
th{background:#f6f6f6}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.red{background:#f8d7da;color:#721c24}.yellow{background:#fff3cd;color:#856404}.green{background:#d4edda;color:#155724}.grey{background:#e2e3e5;color:#383d41}
.bad{color:#b00020;font-weight:600}.ok{color:#1e7e34}
.wrap{overflow-x:auto}
#updated{color:#777;font-size:.8rem}
@media (max-width:40rem){th,td{padding:.25rem .3rem;font-size:.8rem}.hide-narrow{display:none}}
`;
