// The real OpenSSL command line on both ends of a handshake, for the certificate matrix:
// `openssl s_server` serves a chain (weak ones too: security level 0), asks for client
// certificates and staples OCSP like any OpenSSL-based server (its alerts are real alerts);
// `openssl s_client -verify_return_error` is the oracle a probe verdict is compared with. Every
// server listens on 127.0.0.1:0 (or [::1]:0) and is killed by stop().
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isIP } from 'node:net';
import type { Issued } from './pki.js';

export interface SServerOptions {
  /** the chain to serve, leaf first, in the order sent */
  readonly chain: readonly Issued[];
  /** ask for a client certificate from this CA: `require` refuses a handshake without one */
  readonly clientCa?: Issued;
  readonly clientAuth?: 'require' | 'request';
  readonly version?: 'TLSv1.2' | 'TLSv1.3' | 'TLSv1.1';
  /** DER of an OCSP response to staple */
  readonly ocsp?: Buffer;
  readonly host?: '127.0.0.1' | '::1';
}

export interface SServer {
  readonly port: number;
  readonly host: string;
  stop(): Promise<void>;
}

const VERSION_FLAGS = { 'TLSv1.1': '-tls1_1', 'TLSv1.2': '-tls1_2', 'TLSv1.3': '-tls1_3' } as const;

export async function sServer(options: SServerOptions): Promise<SServer> {
  const dir = await mkdtemp(join(tmpdir(), 'tls-sli-s_server-'));
  const [leaf, ...rest] = options.chain;
  if (!leaf) throw new Error('empty chain');
  await writeFile(join(dir, 'cert.pem'), leaf.pem);
  await writeFile(join(dir, 'key.pem'), await leaf.keyPem());
  const args = [
    's_server',
    '-accept',
    options.host === '::1' ? '[::1]:0' : '127.0.0.1:0',
    '-cert',
    join(dir, 'cert.pem'),
    '-key',
    join(dir, 'key.pem'),
    '-www',
    // serve what a test asks for, weak keys and SHA-1 included; the client decides
    '-cipher',
    'DEFAULT:@SECLEVEL=0',
  ];
  if (rest.length > 0) {
    await writeFile(join(dir, 'chain.pem'), rest.map((c) => c.pem).join('\n'));
    args.push('-cert_chain', join(dir, 'chain.pem'));
  }
  if (options.clientCa) {
    await writeFile(join(dir, 'client-ca.pem'), options.clientCa.pem);
    args.push(
      options.clientAuth === 'request' ? '-verify' : '-Verify',
      '1',
      '-CAfile',
      join(dir, 'client-ca.pem'),
      '-verify_return_error',
    );
  }
  if (options.version) args.push(VERSION_FLAGS[options.version]);
  if (options.ocsp) {
    await writeFile(join(dir, 'ocsp.der'), options.ocsp);
    args.push('-status_file', join(dir, 'ocsp.der'));
  }
  const child: ChildProcess = spawn('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const m = /ACCEPT \[?[0-9a-f.:]+\]?:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`openssl s_server exited ${code}: ${out}`)));
  });
  return {
    port,
    host: options.host ?? '127.0.0.1',
    stop: async () => {
      child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface ClientOptions {
  readonly host?: string;
  /** SNI and the name checked (-verify_hostname, or -verify_ip for an address) */
  readonly serverName: string;
  readonly ca: Issued;
  readonly client?: Issued;
  readonly version?: 'TLSv1.2' | 'TLSv1.3';
  /** ask for a stapled OCSP response */
  readonly status?: boolean;
  readonly timeoutMs?: number;
}

export interface SClientVerdict {
  /** the server answered our HTTP request: a handshake both sides accepted */
  readonly accepted: boolean;
  /** the verify error OpenSSL reported about the server's chain or name */
  readonly verifyError?: { readonly code: number; readonly text: string };
  /** an alert the server sent, as OpenSSL names it: "tlsv13 alert certificate required" */
  readonly alert?: string;
  /** "good", "revoked" or "unknown" from a stapled OCSP response */
  readonly ocspStatus?: string;
  readonly ocspStapled: boolean;
  readonly output: string;
}

/** `openssl s_client -verify_return_error` against a server: what an OpenSSL client concludes. */
export async function sClient(port: number, options: ClientOptions): Promise<SClientVerdict> {
  const dir = await mkdtemp(join(tmpdir(), 'tls-sli-s_client-'));
  try {
    await writeFile(join(dir, 'ca.pem'), options.ca.pem);
    const host = options.host ?? '127.0.0.1';
    const args = [
      's_client',
      '-connect',
      isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`,
      '-CAfile',
      join(dir, 'ca.pem'),
      '-verify_return_error',
      '-ign_eof',
      ...(isIP(options.serverName)
        ? ['-verify_ip', options.serverName]
        : ['-servername', options.serverName, '-verify_hostname', options.serverName]),
    ];
    if (options.client) {
      await writeFile(join(dir, 'client.pem'), options.client.pem);
      await writeFile(join(dir, 'client.key'), await options.client.keyPem());
      args.push('-cert', join(dir, 'client.pem'), '-key', join(dir, 'client.key'));
    }
    if (options.version) args.push(VERSION_FLAGS[options.version]);
    if (options.status) args.push('-status');
    const output = await new Promise<string>((resolve) => {
      const child = execFile(
        'openssl',
        args,
        { encoding: 'utf8', timeout: options.timeoutMs ?? 5_000 },
        (_err, stdout, stderr) => resolve(`${stdout}\n${stderr}`),
      );
      // s_client exits at once on a verify error: the write then meets a closed pipe (EPIPE)
      child.stdin?.on('error', () => undefined);
      child.stdin?.end('GET / HTTP/1.0\r\n\r\n');
    });
    const verify =
      /verify error:num=(\d+):([^\n]+)/.exec(output) ??
      /Verify return code: ([1-9]\d*) \(([^)]+)\)/.exec(output);
    const alert = /(?:sslv3|tlsv1|tlsv13) alert [a-z ]+?(?=:)/.exec(output)?.[0];
    const ocspStatus = /Cert Status: (\w+)/.exec(output)?.[1];
    return {
      accepted: /HTTP\/1\.0 200 ok/i.test(output),
      ...(verify ? { verifyError: { code: Number(verify[1]), text: verify[2] ?? '' } } : {}),
      ...(alert ? { alert } : {}),
      ...(ocspStatus ? { ocspStatus } : {}),
      ocspStapled: /OCSP Response Status: successful/.test(output),
      output,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
