// The /probe anchor (issue 18): the least a Node prober does per request. node:http answers
// GET /probe?target=HOST:PORT with one full TLS handshake through a shared secure context (the
// CA file in argv[3]), the chain verified by OpenSSL, then closed: no certificate read, no
// metrics kept, a two-line page. What this does per second bounds any Node exporter's /probe on
// the same machine; blackbox_exporter is measured beside it. Port in argv[2]. With `chain` in
// argv[4] it also reads the presented chain as Node gives it (getPeerX509Certificate, then each
// issuerCertificate): what any prober that reports the intermediates' expiry must do too.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { connect, createSecureContext } from 'node:tls';

const [port, caFile, mode] = process.argv.slice(2);
const readChain = mode === 'chain';
const context = createSecureContext({ ca: readFileSync(caFile) });

createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://anchor');
  if (url.pathname === '/-/healthy') return res.end('Healthy.\n');
  const target = url.searchParams.get('target') ?? '';
  const colon = target.lastIndexOf(':');
  const started = performance.now();
  const socket = connect({
    host: target.slice(0, colon),
    port: Number(target.slice(colon + 1)),
    secureContext: context,
    checkServerIdentity: () => undefined,
  });
  const answer = (ok) => {
    socket.destroy();
    res.end(
      `probe_success ${ok}\nprobe_duration_seconds ${(performance.now() - started) / 1000}\n`,
    );
  };
  socket.once('secureConnect', () => {
    if (readChain) {
      const seen = new Set();
      for (let c = socket.getPeerX509Certificate(); c && !seen.has(c.fingerprint256);) {
        seen.add(c.fingerprint256);
        c = c.issuerCertificate;
      }
    }
    answer(socket.authorized ? 1 : 0);
  });
  socket.once('error', () => answer(0));
}).listen(Number(port), '127.0.0.1');
