import { strict as assert } from 'node:assert';
import { formatListenAddress, parseListenAddress } from '../../../src/config/listen-address.js';

describe('listen address', () => {
  const valid: ReadonlyArray<[string, string | undefined, number]> = [
    [':10087', undefined, 10087],
    ['127.0.0.1:0', '127.0.0.1', 0],
    ['localhost:9000', 'localhost', 9000],
    ['[::1]:10087', '::1', 10087],
    ['[::]:80', '::', 80],
    ['0.0.0.0:65535', '0.0.0.0', 65535],
  ];
  for (const [text, host, port] of valid) {
    it(`accepts ${text}`, () => {
      assert.deepEqual(parseListenAddress(text), { ok: true, value: { host, port } });
    });
  }

  const invalid: ReadonlyArray<[string, RegExp]> = [
    ['', /expected host:port/],
    ['10087', /expected host:port/],
    ['localhost', /expected host:port/],
    [':65536', /port 65536 is out of range/],
    ['::1:80', /expected host:port/],
    ['host:port', /expected host:port/],
    [' :80', /expected host:port/],
  ];
  for (const [text, error] of invalid) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      const parsed = parseListenAddress(text);
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.match(parsed.error, error);
    });
  }

  it('formats IPv6 hosts in brackets and every-interface as ":port"', () => {
    assert.equal(formatListenAddress({ host: '::1', port: 1 }), '[::1]:1');
    assert.equal(formatListenAddress({ host: undefined, port: 10087 }), ':10087');
    assert.equal(formatListenAddress({ host: '127.0.0.1', port: 2 }), '127.0.0.1:2');
  });
});
