// What a probe is aimed at: a name for the `name` label, where to connect, and the name to send
// as SNI and check the certificate against. Pure and light: the endpoint and the scheduler read
// targets without loading the probing engine.

export interface ProbeTarget {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** SNI and the name checked against the certificate */
  readonly serverName: string;
}

/** `host:port` or `[ipv6]:port`. */
export function parseHostPort(address: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(address);
  if (!m) throw new Error(`expected host:port, got ${address}`);
  return { host: m[1] ?? m[2] ?? '', port: Number(m[3]) };
}
