import { strict as assert } from 'node:assert';
import { connect } from 'node:net';
import { listen, SERVER_LIMITS } from '../../src/server/http-server.js';

const LOOPBACK = { host: '127.0.0.1', port: 0 };

/** Resolves with what the server sent before it closed the socket. */
function slowClient(port: number, partial: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(partial));
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (received += d));
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
  });
}

describe('HTTP server limits and shutdown', () => {
  it('a client that never finishes its headers is answered 408 and cut off', async () => {
    const http = await listen((_req, res) => res.end('ok'), LOOPBACK, {
      ...SERVER_LIMITS,
      headersTimeoutMs: 300,
      requestTimeoutMs: 600,
      connectionsCheckingIntervalMs: 100,
    });
    try {
      const answer = await slowClient(http.address.port, 'GET /metrics HTTP/1.1\r\nHost: x\r\n');
      assert.match(answer, /^HTTP\/1\.1 408 /);
    } finally {
      await http.close(100);
    }
  });

  it('slow-loris: 100 clients sending one byte a second are cut off, and others are served meanwhile', async function () {
    this.timeout(20_000);
    const http = await listen((_req, res) => res.end('ok'), LOOPBACK, {
      ...SERVER_LIMITS,
      headersTimeoutMs: 2_000,
      requestTimeoutMs: 4_000,
      connectionsCheckingIntervalMs: 250,
    });
    const request = 'GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: ' + 'y'.repeat(100);
    const timers: NodeJS.Timeout[] = [];
    try {
      const loris = Array.from(
        { length: 100 },
        () =>
          new Promise<{ sent: number; answer: string }>((resolve, reject) => {
            const socket = connect(http.address.port, '127.0.0.1');
            let sent = 0;
            let answer = '';
            const drip = setInterval(() => {
              if (!socket.destroyed && sent < request.length) socket.write(request[sent++] ?? '');
            }, 1_000);
            timers.push(drip);
            socket.setEncoding('utf8');
            socket.on('data', (d: string) => (answer += d));
            socket.on('close', () => {
              clearInterval(drip);
              resolve({ sent, answer });
            });
            socket.on('error', reject);
          }),
      );
      // while all of them hold a connection, a normal client is served
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`http://127.0.0.1:${http.address.port}/`);
        assert.equal(await res.text(), 'ok');
      }
      for (const { sent, answer } of await Promise.all(loris)) {
        assert.ok(sent < request.length, 'cut off before the headers were complete');
        assert.match(answer, /^HTTP\/1\.1 408 /);
      }
    } finally {
      for (const t of timers) clearInterval(t);
      await http.close(100);
    }
  });

  it('headers over the size limit are refused with 431', async () => {
    const http = await listen((_req, res) => res.end('ok'), LOOPBACK);
    try {
      const big = 'x'.repeat(SERVER_LIMITS.maxHeaderSize + 1);
      const answer = await slowClient(
        http.address.port,
        `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${big}\r\n\r\n`,
      );
      assert.match(answer, /^HTTP\/1\.1 431 /);
    } finally {
      await http.close(100);
    }
  });

  it('close lets an in-flight request finish before it resolves', async () => {
    let release: () => void = () => undefined;
    let arrived: () => void = () => undefined;
    const inFlight = new Promise<void>((r) => (arrived = r));
    const http = await listen((_req, res) => {
      release = () => res.end('finished');
      arrived();
    }, LOOPBACK);
    const response = fetch(`http://127.0.0.1:${http.address.port}/slow`);
    await inFlight;
    let closed = false;
    const closing = http.close(4_000).then(() => (closed = true));
    // that close has not resolved can only be seen by letting time pass: 50 ms, far more than a
    // wrong close (no request left to wait for) takes on loopback
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(closed, false, 'close resolved while a request was in flight');
    release();
    const res = await response;
    assert.equal(await res.text(), 'finished');
    await closing;
    assert.equal(closed, true);
  });

  it('close cuts a request that outlives the grace period', async () => {
    let arrived: () => void = () => undefined;
    const inFlight = new Promise<void>((r) => (arrived = r));
    const http = await listen(() => arrived(), LOOPBACK);
    const response = fetch(`http://127.0.0.1:${http.address.port}/never`).then(
      () => 'answered',
      () => 'cut',
    );
    await inFlight;
    await http.close(100);
    assert.equal(await response, 'cut');
  });
});
