// Bench helper process: N TLS servers on 127.0.0.1 with the given certificate; prints their ports
// as one JSON line, then serves until killed. Runs apart from the prober so its CPU is not counted.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:tls';

const [dir, count] = process.argv.slice(2);
const options = { cert: readFileSync(`${dir}/chain.pem`), key: readFileSync(`${dir}/key.pem`) };
const ports = [];
for (let i = 0; i < Number(count); i++) {
  // like a real endpoint (Envoy, a log collector): keep the connection until the client leaves
  const server = createServer(options, (socket) => {
    socket.on('error', () => undefined);
    socket.on('end', () => socket.end());
    socket.resume();
  });
  server.on('tlsClientError', () => undefined);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  ports.push(server.address().port);
}
process.stdout.write(`${JSON.stringify(ports)}\n`);
