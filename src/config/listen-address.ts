// Parses a Prometheus-style listen address: `:10087` (every interface), `127.0.0.1:0`,
// `[::1]:10087`, `localhost:9000`. Pure: no name resolution happens here.

export interface ListenAddress {
  /** undefined = every interface */
  readonly host: string | undefined;
  readonly port: number;
}

export type ParsedListenAddress =
  | { readonly ok: true; readonly value: ListenAddress }
  | { readonly ok: false; readonly error: string };

const HOST_PORT =
  /^(?:\[(?<v6>[0-9a-fA-F:.]+(?:%[\w.-]+)?)\]|(?<host>[^:[\]\s]*)):(?<port>\d{1,5})$/;

export function parseListenAddress(text: string): ParsedListenAddress {
  const match = HOST_PORT.exec(text);
  if (!match?.groups) {
    return {
      ok: false,
      error: `expected host:port, ":port" or "[ipv6]:port", got ${JSON.stringify(text)}`,
    };
  }
  const port = Number(match.groups['port']);
  if (port > 65535) {
    return { ok: false, error: `port ${port} is out of range 0-65535` };
  }
  const host = match.groups['v6'] ?? match.groups['host'];
  return { ok: true, value: { host: host === '' ? undefined : host, port } };
}

export function formatListenAddress(address: ListenAddress): string {
  const host = address.host ?? '';
  return host.includes(':') ? `[${host}]:${address.port}` : `${host}:${address.port}`;
}
