// Bench helper process: N TLS servers on 127.0.0.1, each serving every certificate in the
// directory (sni-<j>.pem / sni-<j>.key, chosen by SNI like a shared ingress; sni-0 without SNI).
// Prints the ports as one JSON line, then serves until killed. Runs apart from the prober so its CPU is not counted.
import { readFileSync, readdirSync } from 'node:fs';
import { createSecureContext, createServer } from 'node:tls';

const [dir, count] = process.argv.slice(2);
const contexts = new Map();
let fallbackFiles;
for (const file of readdirSync(dir)) {
  const match = /^sni-(\d+)\.pem$/.exec(file);
  if (!match) continue;
  const cert = readFileSync(`${dir}/${file}`);
  const key = readFileSync(`${dir}/sni-${match[1]}.key`);
  contexts.set(`s${match[1]}.bench.test`, createSecureContext({ cert, key }));
  if (match[1] === '0') fallbackFiles = { cert, key };
}
const fallback = contexts.values().next().value;
const ports = [];
for (let i = 0; i < Number(count); i++) {
  const server = createServer(
    // a client that sends no SNI (an IP target) gets sni-0's certificate
    { ...fallbackFiles, SNICallback: (name, done) => done(null, contexts.get(name) ?? fallback) },
    (socket) => {
      socket.on('error', () => undefined);
      socket.on('end', () => socket.end());
      socket.resume();
    },
  );
  server.on('tlsClientError', () => undefined);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', 511, resolve));
  ports.push(server.address().port);
}
process.stdout.write(`${JSON.stringify(ports)}\n`);
