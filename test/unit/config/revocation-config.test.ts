// The revocation config: the module's old `ocsp` key keeps its meaning, the new block and the
// top-level section validate with positions, and the documented example parses as written.
import { strict as assert } from 'node:assert';
import { ConfigError } from '../../../src/config/errors.js';
import { parseConfigText } from '../../../src/config/load.js';
import { revocationPolicy } from '../../../src/config/sections/revocation.js';
import { shippedBlock } from '../../support/shipped.js';

function problems(text: string): string[] {
  try {
    parseConfigText(text, 'c.yml');
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.message.split('\n');
  }
  return [];
}

describe('revocation config', () => {
  const legacy: ReadonlyArray<[string, string, boolean]> = [
    ['', 'staple', false],
    ['ocsp: request', 'staple', false],
    ['ocsp: require', 'staple', true],
    ["ocsp: 'off'", 'off', false],
    ['revocation: {ocsp: responder}', 'responder', false],
    ['revocation: {ocsp: require, require_staple: true}', 'require', true],
  ];
  for (const [yaml, ocsp, requireStaple] of legacy) {
    it(`a module with ${yaml || 'nothing said'}: ocsp ${ocsp}${requireStaple ? ', staple required' : ''}`, () => {
      const config = parseConfigText(`probes:\n  modules:\n    m: {${yaml}}\n`, 'c.yml');
      const module = config.probes.modules['m'];
      assert.ok(module);
      const policy = revocationPolicy(module.revocation, module.ocsp);
      assert.equal(policy.ocsp, ocsp);
      assert.equal(policy.requireStaple, requireStaple);
      assert.equal(policy.crl, 'off');
    });
  }

  const invalid: ReadonlyArray<[string, string, RegExp]> = [
    [
      'both keys',
      'probes:\n  modules:\n    m:\n      ocsp: request\n      revocation: {ocsp: responder}\n',
      /c\.yml:4:7 probes\.modules\.m\.ocsp: ocsp and revocation\.ocsp say the same thing/,
    ],
    [
      'staple on a file',
      "cert_files:\n  - {name: f, paths: ['/x'], revocation: {ocsp: staple}}\n",
      /cert_files\[0\]\.revocation\.ocsp: expected "off", "responder" or "require", got "staple"/,
    ],
    [
      'an ldap CRL URL',
      "probes:\n  modules:\n    m: {revocation: {crl: check, crl_urls: ['ldap://x/cn=y']}}\n",
      /probes\.modules\.m\.revocation\.crl_urls\[0\]: expected an http:\/\/ or https:\/\/ URL/,
    ],
    [
      'a zero timeout',
      'probes:\n  modules:\n    m: {revocation: {timeout: 0s}}\n',
      /revocation\.timeout: expected a duration from 100ms to 1m/,
    ],
    ['an empty allow-list', 'revocation: {allowed_urls: []}\n', /revocation\.allowed_urls/],
    [
      'an unknown key',
      'revocation: {allow_private: true}\n',
      /revocation\.allow_private: unknown key/,
    ],
  ];
  for (const [name, text, message] of invalid) {
    it(`refused: ${name}`, () => {
      const found = problems(text);
      assert.ok(
        found.some((p) => message.test(p)),
        found.join('\n'),
      );
    });
  }

  it('the private-PKI example of docs/configuration.md parses as written', async () => {
    const text = await shippedBlock(
      'docs/configuration.md',
      'A private PKI whose responder is at `ocsp.pki.internal`:',
      'yaml',
    );
    const config = parseConfigText(text, 'configuration.md');
    assert.deepEqual(config.revocation.allowed_urls, [
      'http://ocsp.pki.internal/**',
      'http://crl.pki.internal/**',
    ]);
    assert.equal(config.revocation.allow_private_addresses, true);
    const module = config.probes.modules['internal'];
    assert.equal(revocationPolicy(module?.revocation, module?.ocsp).ocsp, 'responder');
    assert.equal(revocationPolicy(config.cert_files[0]?.revocation).crl, 'check');
  });
});
