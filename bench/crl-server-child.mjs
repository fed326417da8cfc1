// Bench helper process: serves the files of a directory over HTTP on 127.0.0.1 (CRLs, as a CA's
// distribution point does), with an ETag so a conditional GET gets 304. Prints the port as one
// line, then serves until killed. A process of its own: the bench runs its cases synchronously,
// so a server in the bench process would not answer while a case runs.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { basename, join } from 'node:path';

const [dir] = process.argv.slice(2);
const server = createServer((req, res) => {
  let body;
  try {
    body = readFileSync(join(dir, basename(req.url ?? '/')));
  } catch {
    res.writeHead(404).end();
    return;
  }
  const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
  if (req.headers['if-none-match'] === etag) res.writeHead(304, { etag }).end();
  else res.writeHead(200, { etag, 'content-type': 'application/pkix-crl' }).end(body);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
