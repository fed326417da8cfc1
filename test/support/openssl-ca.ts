// A PKI made by the real openssl CLI for revocation tests: CAs kept as `openssl ca` keeps them
// (index.txt, serial, crlnumber), certificates with Authority Information Access and CRL
// Distribution Points pointing at local URLs, revocation by `openssl ca -revoke`, CRLs by
// `openssl ca -gencrl`, and a real OCSP responder (`openssl ocsp -index … -port …`) on the
// loopback. Keys are made here, at test time.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function openssl(args: readonly string[], cwd?: string): Promise<string> {
  try {
    const { stdout } = await run('openssl', [...args], { cwd, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`openssl ${args.join(' ')} failed: ${e.stderr ?? e.message}`, { cause: err });
  }
}

/** A P-256 key (the openssl CLI's `genpkey`), written to `path`. */
function newKey(path: string): Promise<string> {
  return openssl([
    'genpkey',
    '-algorithm',
    'EC',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-out',
    path,
  ]);
}

/** RFC 5280 CRLReason names as `openssl ca -crl_reason` takes them, with our label value. */
export const OPENSSL_REASONS: ReadonlyArray<readonly [string, string]> = [
  ['unspecified', 'unspecified'],
  ['keyCompromise', 'key_compromise'],
  ['CACompromise', 'ca_compromise'],
  ['affiliationChanged', 'affiliation_changed'],
  ['superseded', 'superseded'],
  ['cessationOfOperation', 'cessation_of_operation'],
  ['certificateHold', 'certificate_hold'],
  ['removeFromCRL', 'remove_from_crl'],
];

export interface IssuedFile {
  readonly name: string;
  readonly certPath: string;
  readonly keyPath: string;
  readonly pem: string;
  readonly keyPem: string;
  /** serial, lowercase hex without leading zeros */
  readonly serial: string;
}

export interface IssueSpec {
  readonly ca?: boolean;
  readonly dns?: readonly string[];
  readonly ip?: readonly string[];
  readonly eku?: 'serverAuth' | 'clientAuth' | 'OCSPSigning';
  /** Authority Information Access OCSP URL and CRL Distribution Point: this CA's by default */
  readonly ocspUrl?: string | null;
  readonly crlUrl?: string | null;
  readonly days?: number;
}

function caConfig(dir: string): string {
  return `[ ca ]
default_ca = CA_default
[ CA_default ]
dir = ${dir}
database = ${dir}/index.txt
serial = ${dir}/serial
crlnumber = ${dir}/crlnumber
new_certs_dir = ${dir}/issued
default_md = sha256
default_days = 30
default_crl_days = 7
policy = policy_any
unique_subject = no
copy_extensions = none
[ policy_any ]
commonName = supplied
`;
}

export class OpensslCa {
  private constructor(
    readonly dir: string,
    readonly own: IssuedFile,
    /** where this CA's OCSP responder and CRL will be (AIA and CDP of what it issues) */
    readonly ocspUrl: string,
    readonly crlUrl: string,
  ) {}

  get config(): string {
    return join(this.dir, 'ca.cnf');
  }

  /** A CA under `dir/name`: self-signed, or issued by `parent`. */
  static async create(
    dir: string,
    name: string,
    urls: { ocsp: string; crl: string },
    parent?: OpensslCa,
  ): Promise<OpensslCa> {
    const home = join(dir, name);
    await mkdir(join(home, 'issued'), { recursive: true });
    await writeFile(join(home, 'index.txt'), '');
    await writeFile(join(home, 'index.txt.attr'), 'unique_subject = no\n');
    await writeFile(
      join(home, 'serial'),
      `${(0x1000 + Math.floor(Math.random() * 0xfff)).toString(16)}\n`,
    );
    await writeFile(join(home, 'crlnumber'), '01\n');
    await writeFile(join(home, 'ca.cnf'), caConfig(home));
    let own: IssuedFile;
    if (parent) own = await parent.issue(dir, name, { ca: true });
    else {
      const keyPath = join(home, 'ca.key');
      const certPath = join(home, 'ca.pem');
      await newKey(keyPath);
      await openssl([
        'req',
        '-x509',
        '-new',
        '-key',
        keyPath,
        '-out',
        certPath,
        '-days',
        '60',
        '-subj',
        `/CN=${name}`,
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
      ]);
      own = await readIssued(name, certPath, keyPath);
    }
    return new OpensslCa(home, own, urls.ocsp, urls.crl);
  }

  /** A certificate this CA issues (`openssl ca`), written under `dir`. */
  async issue(dir: string, name: string, spec: IssueSpec = {}): Promise<IssuedFile> {
    const keyPath = join(dir, `${name}.key`);
    const csrPath = join(dir, `${name}.csr`);
    const certPath = join(dir, `${name}.pem`);
    const extPath = join(dir, `${name}.ext`);
    await newKey(keyPath);
    await openssl(['req', '-new', '-key', keyPath, '-out', csrPath, '-subj', `/CN=${name}`]);
    const ext: string[] = ['[ v3 ]'];
    if (spec.ca) {
      ext.push('basicConstraints = critical,CA:TRUE', 'keyUsage = critical,keyCertSign,cRLSign');
    } else {
      ext.push('basicConstraints = CA:FALSE', 'keyUsage = critical,digitalSignature');
      ext.push(`extendedKeyUsage = ${spec.eku ?? 'serverAuth'}`);
      const alt = [
        ...(spec.dns ?? []).map((d) => `DNS:${d}`),
        ...(spec.ip ?? []).map((i) => `IP:${i}`),
      ];
      if (alt.length > 0) ext.push(`subjectAltName = ${alt.join(',')}`);
    }
    const ocspUrl = spec.ocspUrl === undefined ? this.ocspUrl : spec.ocspUrl;
    const crlUrl = spec.crlUrl === undefined ? this.crlUrl : spec.crlUrl;
    if (ocspUrl !== null) ext.push(`authorityInfoAccess = OCSP;URI:${ocspUrl}`);
    if (crlUrl !== null) ext.push(`crlDistributionPoints = URI:${crlUrl}`);
    await writeFile(extPath, `${ext.join('\n')}\n`);
    await this.ca([
      '-batch',
      '-in',
      csrPath,
      '-out',
      certPath,
      '-extfile',
      extPath,
      '-extensions',
      'v3',
      '-notext',
      '-days',
      String(spec.days ?? 30),
    ]);
    return readIssued(name, certPath, keyPath);
  }

  /** `openssl ca` with this CA's config, signed by `signer` (this CA's own certificate and key). */
  private ca(args: readonly string[], signer: IssuedFile = this.own): Promise<string> {
    return openssl([
      'ca',
      '-config',
      this.config,
      '-cert',
      signer.certPath,
      '-keyfile',
      signer.keyPath,
      ...args,
    ]);
  }

  /** Marks a certificate revoked in this CA's index (`openssl ca -revoke`). */
  async revoke(cert: IssuedFile, reason = 'keyCompromise'): Promise<void> {
    await this.ca(['-revoke', cert.certPath, '-crl_reason', reason]);
  }

  /** A CRL (DER) from the index (`openssl ca -gencrl`); `hours` until its nextUpdate. */
  async crl(options: { hours?: number; signer?: IssuedFile } = {}): Promise<Buffer> {
    const out = join(this.dir, `crl-${Date.now()}-${Math.random()}.pem`);
    const signer = options.signer ?? this.own;
    await this.ca(
      ['-batch', '-gencrl', '-crlhours', String(options.hours ?? 24), '-out', out],
      signer,
    );
    return Buffer.from(
      await openssl(['crl', '-in', out, '-outform', 'DER', '-out', `${out}.der`]).then(() =>
        readFile(`${out}.der`),
      ),
    );
  }

  /** A real OCSP responder for this CA's index on a free loopback port. */
  async responder(
    options: { signer?: IssuedFile; nextUpdateMinutes?: number; port?: number } = {},
  ): Promise<OcspResponder> {
    const port = options.port ?? Number(new URL(this.ocspUrl).port);
    const signer = options.signer ?? this.own;
    const args = [
      'ocsp',
      '-index',
      join(this.dir, 'index.txt'),
      '-port',
      String(port),
      '-CA',
      this.own.certPath,
      '-rsigner',
      signer.certPath,
      '-rkey',
      signer.keyPath,
      '-ignore_err',
      ...(options.nextUpdateMinutes === undefined
        ? []
        : ['-nmin', String(options.nextUpdateMinutes)]),
    ];
    const child = spawn('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (d: Buffer): void => {
      if (output.length < 64 * 1024) output += d.toString();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    await waitForReady(child, () => output);
    return new OcspResponder(child, port);
  }
}

/**
 * A root and an intermediate it issued, each naming in what it issues its own OCSP responder (on
 * a free loopback port, started by `responder()`) and its CRL at `crlUrl('root.crl')` /
 * `crlUrl('inter.crl')`.
 */
export async function twoLevelPki(
  dir: string,
  prefix: string,
  crlUrl: (file: string) => string,
): Promise<{ root: OpensslCa; inter: OpensslCa }> {
  const [rootPort, interPort] = [await freePort(), await freePort()];
  const root = await OpensslCa.create(dir, `${prefix} Root`, {
    ocsp: `http://127.0.0.1:${rootPort}/`,
    crl: crlUrl('root.crl'),
  });
  const inter = await OpensslCa.create(
    dir,
    `${prefix} Intermediate`,
    { ocsp: `http://127.0.0.1:${interPort}/`, crl: crlUrl('inter.crl') },
    root,
  );
  return { root, inter };
}

export class OcspResponder {
  constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}
  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGKILL');
    });
  }
}

async function readIssued(name: string, certPath: string, keyPath: string): Promise<IssuedFile> {
  const pem = await readFile(certPath, 'utf8');
  const serial = (await openssl(['x509', '-in', certPath, '-noout', '-serial']))
    .trim()
    .replace(/^serial=/, '');
  return {
    name,
    certPath,
    keyPath,
    pem,
    keyPem: await readFile(keyPath, 'utf8'),
    serial: serial.toLowerCase().replace(/^(00)+(?=.)/, ''),
  };
}

/** A port free now on the loopback (the responder binds it next). */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Waits for the responder's "waiting for OCSP client connections" line. Not by connecting: an
 * empty connection wedges `openssl ocsp` 3.0 (it waits on it and answers no one after).
 */
async function waitForReady(child: ChildProcess, output: () => string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (output().includes('waiting for OCSP client connections')) return;
    if (child.exitCode !== null) throw new Error(`openssl ocsp exited: ${output()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`openssl ocsp did not start: ${output()}`);
}
