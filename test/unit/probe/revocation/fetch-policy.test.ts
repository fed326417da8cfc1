// What the exporter may fetch for revocation: schemes, the allow-list, and the addresses a URL's
// host may resolve to (the request-forgery guard: docs/security.md).
import { strict as assert } from 'node:assert';
import {
  addressRefusal,
  fetchPolicy,
  isPublicAddress,
  urlRefusal,
} from '../../../../src/certs/revocation/fetch-policy.js';

describe('revocation fetch policy', () => {
  const addresses: ReadonlyArray<[string, boolean]> = [
    ['8.8.8.8', true],
    ['2606:4700:4700::1111', true],
    ['127.0.0.1', false],
    ['127.8.9.10', false],
    ['::1', false],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['172.32.0.1', true],
    ['192.168.1.1', false],
    ['169.254.169.254', false], // cloud instance metadata
    ['100.64.0.1', false], // carrier-grade NAT
    ['0.0.0.0', false],
    ['224.0.0.1', false],
    ['fd00:ec2::254', false], // AWS metadata over IPv6 (ULA)
    ['fe80::1', false],
    ['::ffff:127.0.0.1', false], // IPv4-mapped loopback
    ['::ffff:8.8.8.8', true],
    ['not-an-address', false],
  ];
  for (const [address, expected] of addresses) {
    it(`${address} is ${expected ? '' : 'not '}public`, () => {
      assert.equal(isPublicAddress(address), expected);
    });
  }

  it('the default refuses non-public addresses; allow_private_addresses admits them', () => {
    const strict = fetchPolicy(['http://**', 'https://**'], false);
    assert.match(addressRefusal(strict, '10.0.0.1') ?? '', /not a public address/);
    assert.equal(addressRefusal(strict, '8.8.8.8'), undefined);
    assert.equal(addressRefusal(fetchPolicy(['http://**'], true), '10.0.0.1'), undefined);
  });

  const urls: ReadonlyArray<[string, readonly string[], RegExp | undefined]> = [
    ['http://ocsp.example.com/', ['http://**', 'https://**'], undefined],
    ['https://crl.example.com/ca.crl', ['http://**', 'https://**'], undefined],
    [
      'ldap://ldap.example.com/cn=CA?certificateRevocationList',
      ['http://**'],
      /ldap: URLs are never fetched/,
    ],
    ['file:///etc/shadow', ['**'], /file: URLs are never fetched/],
    ['http://user:pw@ocsp.example.com/', ['http://**'], /credentials/],
    ['http://ocsp.example.com/', ['http://crl.example.com/**'], /outside revocation.allowed_urls/],
    ['http://ocsp.pki.internal:8080/', ['http://*.pki.internal:*/**'], undefined],
    ['http://evil.example/x.pki.internal/', ['http://*.pki.internal/**'], /outside/],
    ['not a url', ['**'], /not a URL/],
  ];
  for (const [url, allowed, refusal] of urls) {
    it(`${url} with ${allowed.join(', ')}: ${refusal ? 'refused' : 'allowed'}`, () => {
      const got = urlRefusal(fetchPolicy(allowed, false), url);
      if (refusal === undefined) assert.equal(got, undefined);
      else assert.match(got ?? '', refusal);
    });
  }
});
