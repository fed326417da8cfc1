// Revocation against real parts: a PKI made by the openssl CLI (`openssl ca`), certificates whose
// AIA and CDP point at the loopback, a real OCSP responder (`openssl ocsp -index`), CRLs made by
// `openssl ca -gencrl` served over HTTP, real TLS servers on 127.0.0.1:0. Times that must be in
// the past (a stale response or CRL) come from a checker clock set ahead, never from sleeping.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { moduleSchema } from '../../../src/config/sections/probes.js';
import { revocationPolicy } from '../../../src/config/sections/revocation.js';
import { loadModule } from '../../../src/probe/module-runtime.js';
import type { ProbeResult } from '../../../src/probe/probe-result.js';
import { checkHeldCerts } from '../../../src/probe/revocation-check.js';
import { fetchPolicy } from '../../../src/certs/revocation/fetch-policy.js';
import { RevocationFetcher } from '../../../src/certs/revocation/fetcher.js';
import {
  RevocationChecker,
  type RevocationRecorder,
} from '../../../src/certs/revocation/revocation-checker.js';
import type { RevocationFinding } from '../../../src/certs/revocation/revocation-finding.js';
import { positionedChain } from '../../../src/probe/probe-result.js';
import { probeTarget } from '../../../src/probe/tls-probe.js';
import { BIN, assertBuilt } from '../../support/cli-process.js';
import { CrlServer } from '../../support/crl-server.js';
import { pemTlsServer, silentServer, type Running } from '../../support/tls-servers.js';
import {
  OPENSSL_REASONS,
  OpensslCa,
  twoLevelPki,
  type IssueSpec,
  type IssuedFile,
  type OcspResponder,
} from '../../support/openssl-ca.js';

const HOUR = 3_600_000;
const run = promisify(execFile);

class CountingRecorder implements RevocationRecorder {
  readonly requests: string[] = [];
  readonly failures: string[] = [];
  requested(method: string, url: string): void {
    this.requests.push(`${method} ${url}`);
  }
  failed(method: string, _url: string, failure: string): void {
    this.failures.push(`${method} ${failure}`);
  }
}

function checkerFor(
  options: { aheadMs?: number; recorder?: RevocationRecorder; clock?: () => number } = {},
): {
  checker: RevocationChecker;
  recorder: CountingRecorder;
} {
  const recorder = new CountingRecorder();
  const fetcher = new RevocationFetcher(fetchPolicy(['http://127.0.0.1:*/**'], true), {
    ratePerSecond: 1000,
    burst: 1000,
    maxBytes: 32 * 1024 * 1024,
  });
  const ahead = options.aheadMs ?? 0;
  return {
    checker: new RevocationChecker(
      fetcher,
      options.recorder ?? recorder,
      1000,
      options.clock ?? (() => Date.now() + ahead),
    ),
    recorder,
  };
}

function serve(chain: readonly IssuedFile[]): Promise<Running> {
  return pemTlsServer(chain.map((c) => c.pem).join(''), chain[0]?.keyPem ?? '');
}

describe('revocation against openssl ocsp and openssl ca -gencrl', function () {
  this.timeout(60_000);
  let dir: string;
  let crls: CrlServer;
  let root: OpensslCa;
  let inter: OpensslCa;
  let rootResponder: OcspResponder;
  let interResponder: OcspResponder;
  let caFile: string;

  async function publishCrls(): Promise<void> {
    crls.paths.set('/root.crl', { body: await root.crl() });
    crls.paths.set('/inter.crl', { body: await inter.crl() });
  }

  /** a certificate, then the responders restarted: openssl ocsp 3.0 reads its index at start */
  async function issued(ca: OpensslCa, name: string, spec: IssueSpec = {}): Promise<IssuedFile> {
    const cert = await ca.issue(dir, name, { dns: ['leaf.test'], ...spec });
    await restartResponders();
    return cert;
  }

  async function restartResponders(): Promise<void> {
    await rootResponder?.stop();
    await interResponder?.stop();
    rootResponder = await root.responder();
    interResponder = await inter.responder();
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tls-sli-revocation-'));
    crls = await CrlServer.start();
    ({ root, inter } = await twoLevelPki(dir, 'Revocation', (file) => crls.url(`/${file}`)));
    caFile = join(dir, 'trust.pem');
    await writeFile(caFile, root.own.pem);
    await publishCrls();
    await restartResponders();
  });

  after(async () => {
    await rootResponder?.stop();
    await interResponder?.stop();
    await crls?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function probe(
    chain: readonly IssuedFile[],
    revocation: Record<string, unknown>,
    checker: RevocationChecker = checkerFor().checker,
  ): Promise<ProbeResult> {
    const server = await serve(chain);
    try {
      const config = moduleSchema.parse({ timeout: '5s', ca_file: caFile, revocation });
      const module = await loadModule('revocation', config, checker);
      const [result] = await probeTarget(
        { name: 't', host: '127.0.0.1', port: server.port, serverName: 'leaf.test' },
        module,
        () => Date.now() / 1000,
      );
      return result as ProbeResult;
    } finally {
      await server.stop();
    }
  }

  function findings(result: ProbeResult, cn: string): readonly RevocationFinding[] {
    const cert = result.certs.find((c) => c.facts.subjectCN === cn);
    assert.ok(
      cert,
      `no certificate ${cn} in ${result.certs.map((c) => c.facts.subjectCN).join(', ')}`,
    );
    return cert.revocation ?? [];
  }

  function status(result: ProbeResult, cn: string, method: 'ocsp' | 'crl'): string | undefined {
    return findings(result, cn).find((f) => f.method === method)?.status;
  }

  it('good by OCSP and CRL for the leaf and the intermediate; the root (trust anchor) is not checked', async () => {
    const leaf = await issued(inter, 'good');
    const r = await probe([leaf, inter.own], { ocsp: 'responder', crl: 'check' });
    assert.equal(r.success, true, r.detail);
    for (const cn of ['good', 'Revocation Intermediate']) {
      assert.equal(status(r, cn, 'ocsp'), 'good', JSON.stringify(findings(r, cn)));
      assert.equal(status(r, cn, 'crl'), 'good', cn);
    }
    assert.deepEqual(findings(r, 'Revocation Root'), []);
    const ocsp = findings(r, 'good').find((f) => f.method === 'ocsp');
    assert.equal(ocsp?.source, 'responder');
    assert.equal(ocsp?.url, inter.ocspUrl);
    const crl = findings(r, 'good').find((f) => f.method === 'crl');
    assert.ok((crl?.nextUpdate ?? 0) > Date.now() / 1000 + 3600, 'the CRL nextUpdate is published');
  });

  describe('revoked, each reason code, as both the responder and the CRL say it', () => {
    for (const [openssl, label] of OPENSSL_REASONS) {
      it(`${openssl} → revoked, reason ${label}`, async () => {
        const leaf = await issued(inter, `revoked-${openssl}`);
        await inter.revoke(leaf, openssl);
        await publishCrls();
        await restartResponders();
        const r = await probe([leaf, inter.own], { ocsp: 'responder', crl: 'check' });
        assert.equal(r.success, false);
        assert.equal(r.reason, 'cert_revoked');
        assert.match(r.detail ?? '', new RegExp(`revoked-${openssl}`));
        for (const method of ['ocsp', 'crl'] as const) {
          const f = findings(r, `revoked-${openssl}`).find((x) => x.method === method);
          assert.equal(f?.status, 'revoked', method);
          // openssl ocsp leaves the reason out for "unspecified"; RFC 5280 reads that as unspecified
          assert.equal(f?.reason, label, method);
          assert.ok(Math.abs((f?.revokedAt ?? 0) - Date.now() / 1000) < 600, `${method} revokedAt`);
        }
      });
    }
  });

  it('unknown: the responder does not know the certificate (not in its index)', async () => {
    const leaf = await issued(inter, 'unlisted');
    const index = join(inter.dir, 'index.txt');
    const lines = (await readFile(index, 'utf8')).split('\n');
    await writeFile(
      index,
      lines.filter((l) => !l.includes(`\t${leaf.serial.toUpperCase()}\t`)).join('\n'),
    );
    await restartResponders();
    const r = await probe([leaf, inter.own], { ocsp: 'responder' });
    assert.equal(status(r, 'unlisted', 'ocsp'), 'unknown');
    assert.equal(r.success, true, 'unknown fails only under require');
    const strict = await probe([leaf, inter.own], { ocsp: 'require' });
    assert.equal(strict.reason, 'revocation_unavailable');
  });

  it('responder down: unavailable (connect), never revoked; require fails the probe', async () => {
    const leaf = await issued(inter, 'down');
    await interResponder.stop();
    try {
      const { checker, recorder } = checkerFor();
      const r = await probe([leaf, inter.own], { ocsp: 'responder' }, checker);
      const f = findings(r, 'down').find((x) => x.method === 'ocsp');
      assert.equal(f?.status, 'unavailable');
      assert.equal(f?.failure, 'connect');
      assert.equal(r.success, true, r.detail);
      assert.ok(recorder.failures.includes('ocsp connect'));
      const strict = await probe([leaf, inter.own], { ocsp: 'require' });
      assert.equal(strict.reason, 'revocation_unavailable');
      assert.match(strict.detail ?? '', /down/);
    } finally {
      await restartResponders();
    }
  });

  it('responder slow: unavailable (timeout) at the policy timeout', async () => {
    const silent = await silentServer();
    const url = `http://127.0.0.1:${silent.port}/`;
    try {
      const leaf = await issued(inter, 'slow', { ocspUrl: url });
      const started = Date.now();
      const r = await probe([leaf, inter.own], { ocsp: 'responder', timeout: '300ms' });
      const f = findings(r, 'slow').find((x) => x.method === 'ocsp');
      assert.equal(f?.status, 'unavailable');
      assert.equal(f?.failure, 'timeout');
      assert.ok(Date.now() - started < 4_000, 'the probe waited far past the timeout');
    } finally {
      await silent.stop();
    }
  });

  it('a response signed by a key the issuer never certified: unavailable (bad_signature)', async () => {
    const stranger = await OpensslCa.create(dir, 'Stranger', {
      ocsp: 'http://127.0.0.1:1/',
      crl: 'http://127.0.0.1:1/',
    });
    const leaf = await issued(inter, 'forged');
    await interResponder.stop();
    const forger = await inter.responder({ signer: stranger.own });
    try {
      const r = await probe([leaf, inter.own], { ocsp: 'responder' });
      const f = findings(r, 'forged').find((x) => x.method === 'ocsp');
      assert.equal(f?.status, 'unavailable');
      assert.equal(f?.failure, 'bad_signature');
    } finally {
      await forger.stop();
      await restartResponders();
    }
  });

  it('a delegated responder the issuer certified for OCSP signing is accepted', async () => {
    const signer = await inter.issue(dir, 'ocsp-signer', {
      eku: 'OCSPSigning',
      ocspUrl: null,
      crlUrl: null,
    });
    const leaf = await issued(inter, 'delegated');
    await interResponder.stop();
    const delegated = await inter.responder({ signer });
    try {
      const r = await probe([leaf, inter.own], { ocsp: 'responder' });
      assert.equal(status(r, 'delegated', 'ocsp'), 'good');
    } finally {
      await delegated.stop();
      await restartResponders();
    }
  });

  it('a response past its nextUpdate: unavailable (stale)', async () => {
    const leaf = await issued(inter, 'stale-ocsp');
    await interResponder.stop();
    const short = await inter.responder({ nextUpdateMinutes: 60 });
    try {
      const r = await probe(
        [leaf, inter.own],
        { ocsp: 'responder' },
        checkerFor({ aheadMs: 2 * HOUR }).checker,
      );
      const f = findings(r, 'stale-ocsp').find((x) => x.method === 'ocsp');
      assert.equal(f?.status, 'unavailable');
      assert.equal(f?.failure, 'stale');
    } finally {
      await short.stop();
      await restartResponders();
    }
  });

  it('a refresh that fails keeps the answer still valid: good until its nextUpdate, the failure counted at once; then unavailable', async () => {
    const leaf = await issued(inter, 'kept');
    await interResponder.stop();
    interResponder = await inter.responder({ nextUpdateMinutes: 60 });
    crls.paths.set('/inter.crl', { body: await inter.crl({ hours: 1 }) });
    let ahead = 0;
    const { checker, recorder } = checkerFor({ clock: () => Date.now() + ahead });
    // every probe asks again (cache_max_age 0s): only a failed refresh decides
    const revocation = { ocsp: 'responder', crl: 'check', cache_max_age: '0s' };
    try {
      const up = await probe([leaf, inter.own], revocation, checker);
      assert.equal(status(up, 'kept', 'ocsp'), 'good');
      assert.equal(status(up, 'kept', 'crl'), 'good');
      assert.equal(recorder.failures.length, 0, recorder.failures.join(', '));
      // the responder stopped, the CRL gone from its URL
      await interResponder.stop();
      crls.paths.delete('/inter.crl');
      ahead = 30 * 60_000;
      const down = await probe([leaf, inter.own], revocation, checker);
      assert.equal(status(down, 'kept', 'ocsp'), 'good', 'kept until its nextUpdate');
      assert.equal(status(down, 'kept', 'crl'), 'good', 'kept until its nextUpdate');
      assert.ok(recorder.failures.includes('ocsp connect'), recorder.failures.join(', '));
      assert.ok(
        recorder.failures.some((f) => f.startsWith('crl ')),
        recorder.failures.join(', '),
      );
      // past the nextUpdate nothing valid is left
      ahead = 2 * HOUR;
      const gone = await probe([leaf, inter.own], revocation, checker);
      assert.equal(status(gone, 'kept', 'ocsp'), 'unavailable');
      assert.equal(status(gone, 'kept', 'crl'), 'unavailable');
    } finally {
      await publishCrls();
      await restartResponders();
    }
  });

  it('a CRL past its nextUpdate: unavailable (stale), its nextUpdate still published, not fetched per probe', async () => {
    const leaf = await issued(inter, 'stale-crl');
    crls.paths.set('/inter.crl', { body: await inter.crl({ hours: 1 }) });
    try {
      const { checker } = checkerFor({ aheadMs: 2 * HOUR });
      const fetched = crls.count('/inter.crl');
      const r = await probe([leaf, inter.own], { crl: 'check' }, checker);
      const f = findings(r, 'stale-crl').find((x) => x.method === 'crl');
      assert.equal(f?.status, 'unavailable');
      assert.equal(f?.failure, 'stale');
      assert.ok(f?.nextUpdate !== undefined);
      // a CA that stopped publishing is asked again after the failure hold, not by every probe
      await probe([leaf, inter.own], { crl: 'check' }, checker);
      assert.equal(crls.count('/inter.crl') - fetched, 1);
    } finally {
      await publishCrls();
    }
  });

  it('a CRL whose signature does not verify: unavailable (bad_signature), counted', async () => {
    const leaf = await issued(inter, 'bad-crl');
    const crl = Buffer.from(await inter.crl());
    crl.writeUInt8((crl.at(-5) ?? 0) ^ 0x55, crl.length - 5); // inside the signature's INTEGERs
    crls.paths.set('/inter.crl', { body: crl });
    try {
      const { checker, recorder } = checkerFor();
      const r = await probe([leaf, inter.own], { crl: 'check' }, checker);
      const f = findings(r, 'bad-crl').find((x) => x.method === 'crl');
      assert.equal(f?.status, 'unavailable');
      assert.equal(f?.failure, 'bad_signature');
      await probe([leaf, inter.own], { crl: 'check' }, checker);
      assert.deepEqual(
        recorder.failures.filter((f) => f === 'crl bad_signature'),
        ['crl bad_signature'],
        'a bad CRL is counted once per fetch, not once per certificate checked',
      );
      const strict = await probe([leaf, inter.own], { crl: 'require' });
      assert.equal(strict.reason, 'revocation_unavailable');
    } finally {
      await publishCrls();
    }
  });

  it('a revoked intermediate fails the probe, named as the intermediate', async () => {
    const sub = await OpensslCa.create(
      dir,
      'Doomed Intermediate',
      { ocsp: inter.ocspUrl, crl: crls.url('/doomed.crl') },
      root,
    );
    const leaf = await issued(sub, 'under-doomed');
    crls.paths.set('/doomed.crl', { body: await sub.crl() });
    await root.revoke(sub.own, 'CACompromise');
    await publishCrls();
    await restartResponders();
    const r = await probe([leaf, sub.own], { ocsp: 'responder', crl: 'check' });
    assert.equal(r.reason, 'cert_revoked');
    assert.match(r.detail ?? '', /chain\[1\] "Doomed Intermediate"/);
    assert.equal(status(r, 'Doomed Intermediate', 'crl'), 'revoked');
    assert.equal(status(r, 'Doomed Intermediate', 'ocsp'), 'revoked');
    assert.equal(
      findings(r, 'Doomed Intermediate').find((f) => f.method === 'crl')?.reason,
      'ca_compromise',
    );
  });

  it('a leaf issued directly by the trust anchor is checked against the anchor', async () => {
    const leaf = await issued(root, 'direct');
    await root.revoke(leaf, 'superseded');
    await publishCrls();
    await restartResponders();
    const r = await probe([leaf], { ocsp: 'responder', crl: 'check' });
    assert.equal(r.reason, 'cert_revoked');
    assert.equal(status(r, 'direct', 'ocsp'), 'revoked');
    assert.equal(status(r, 'direct', 'crl'), 'revoked');
  });

  it('held certificates (a file, a client certificate): the path through the pool, revoked found', async () => {
    const client = await inter.issue(dir, 'client-revoked', { eku: 'clientAuth' });
    await inter.revoke(client, 'affiliationChanged');
    await publishCrls();
    await restartResponders();
    const { checker } = checkerFor();
    const policy = revocationPolicy({ ocsp: 'responder', crl: 'check' });
    const held = positionedChain([
      new X509Certificate(client.pem).raw,
      new X509Certificate(inter.own.pem).raw,
    ]);
    const checked = await checkHeldCerts(checker, held, policy, [
      new X509Certificate(root.own.pem),
    ]);
    assert.deepEqual(
      checked[0]?.revocation?.map((f) => `${f.method}:${f.status}`),
      ['ocsp:revoked', 'crl:revoked'],
    );
    assert.deepEqual(
      checked[1]?.revocation?.map((f) => `${f.method}:${f.status}`),
      ['ocsp:good', 'crl:good'],
    );
    // the issuer neither beside it nor in the pool: unknown, not good
    const alone = await checkHeldCerts(checker, held.slice(0, 1), policy, []);
    assert.deepEqual(
      alone[0]?.revocation?.map((f) => `${f.method}:${f.status}`),
      ['ocsp:unknown', 'crl:unknown'],
    );
  });

  it('cached: a second probe fetches nothing until the answer is older than cache_max_age', async () => {
    const leaf = await issued(inter, 'cached');
    await restartResponders();
    const { checker, recorder } = checkerFor();
    await probe([leaf, inter.own], { ocsp: 'responder', crl: 'check' }, checker);
    const first = recorder.requests.length;
    assert.equal(first, 4, recorder.requests.join('\n')); // OCSP and CRL, leaf and intermediate
    await probe([leaf, inter.own], { ocsp: 'responder', crl: 'check' }, checker);
    assert.equal(recorder.requests.length, first, 'the second probe fetched again');
    const notModified = crls.notModified;
    await probe(
      [leaf, inter.own],
      { ocsp: 'responder', crl: 'check', cache_max_age: '0s' },
      checker,
    );
    assert.equal(recorder.requests.length, first + 4);
    assert.equal(crls.notModified, notModified + 2, 'the CRLs were asked for conditionally');
  });

  it("the probe command prints each certificate's status by method and exits 1 for a revoked one", async () => {
    const leaf = await issued(inter, 'cli-revoked');
    await inter.revoke(leaf, 'keyCompromise');
    await publishCrls();
    await restartResponders();
    const server = await serve([leaf, inter.own]);
    const config = join(dir, 'cli.yml');
    await writeFile(
      config,
      "revocation: {allowed_urls: ['http://127.0.0.1:*/**'], allow_private_addresses: true}\n",
    );
    assertBuilt();
    const args = [
      BIN,
      'probe',
      `127.0.0.1:${server.port}`,
      '--server-name',
      'leaf.test',
      '--ca-file',
      caFile,
      '--revocation-ocsp',
      'responder',
      '--revocation-crl',
      'check',
      `--config.file=${config}`,
    ];
    try {
      const outcome = await run(process.execPath, args).then(
        (r) => ({ code: 0, stdout: r.stdout }),
        (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }),
      );
      assert.equal(outcome.code, 1, outcome.stdout);
      assert.match(
        outcome.stdout,
        /leaf +CN=cli-revoked[^\n]*\n +OCSP +REVOKED +revoked at [^\n]*\(key_compromise\) per the OCSP responder/,
      );
      assert.match(
        outcome.stdout,
        /\n +CRL +REVOKED +revoked at [^\n]*\(key_compromise\) per the CRL at /,
      );
      assert.match(outcome.stdout, /intermediate +CN=Revocation Intermediate[^\n]*\n +OCSP +good/);
      assert.match(outcome.stdout, /Result +FAILED: cert_revoked/);
    } finally {
      await server.stop();
    }
  });
});
