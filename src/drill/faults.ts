// The drill's faults: what each sends, and what the exporter must count for it to be "seen".
// Each is a real client-side handshake (or, for plaintext, a real connection) against the
// endpoint; the expected counts are what the log classifier makes of the failure text Envoy
// writes for it (docs/envoy.md §4, domain/tls-error-reason.ts). Pure.
import { isOneOf } from '../domain/closed-list.js';
import { DRILL_FAULTS, type DrillFault } from '../domain/drill-words.js';
import { ExporterError } from '../errors.js';
import type { HandshakeFailureReason } from '../domain/tls-words.js';

export interface FaultSpec {
  /** one line for the report and the log */
  readonly what: string;
  /**
   * Failure reasons any of which counts as the fault seen, under the server name the fault
   * sends; `any` for wrong_sni: a handshake of any outcome counted under the wrong name.
   */
  readonly expect: readonly HandshakeFailureReason[] | 'any';
  /** the server name the fault's handshakes carry: the target's, or `wrong` */
  readonly serverName: 'target' | 'wrong' | 'none';
}

export const FAULTS: Readonly<Record<DrillFault, FaultSpec>> = {
  no_client_cert: {
    what: 'a handshake without a client certificate',
    // Envoy: PEER_DID_NOT_RETURN_A_CERTIFICATE
    expect: ['no_client_cert'],
    serverName: 'target',
  },
  untrusted_client_cert: {
    what: 'a client certificate from a CA minted for the drill, which the server cannot trust',
    // Envoy: CERTIFICATE_VERIFY_FAILED with "unable to get local issuer certificate", or the
    // client's unknown_ca alert text, or BoringSSL's bare verify failure
    expect: ['unknown_ca', 'cert_verify_failed', 'bad_certificate'],
    serverName: 'target',
  },
  expired_client_cert: {
    what: 'an expired client certificate issued by the client CA',
    expect: ['cert_expired', 'cert_verify_failed', 'bad_certificate'],
    serverName: 'target',
  },
  wrong_sni: {
    what: 'a handshake naming a server the endpoint does not serve',
    // a server that answers with the default certificate completes it (a finding of its own);
    // one that refuses the name sends unrecognized_name; either is counted under the wrong name
    expect: 'any',
    serverName: 'wrong',
  },
  old_protocol: {
    what: 'a ClientHello offering only TLS 1.0 and 1.1',
    expect: ['protocol_version'],
    serverName: 'none',
  },
  plaintext: {
    what: 'an HTTP request in plain text instead of a ClientHello',
    expect: ['not_tls'],
    serverName: 'none',
  },
};

/** The comma-separated list of `--faults`, checked; all of them when absent. */
export function parseFaults(text: string | undefined): DrillFault[] {
  if (text === undefined) return [...DRILL_FAULTS];
  const names = text
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
  const unknown = names.filter((f) => !isOneOf(DRILL_FAULTS, f));
  if (unknown.length > 0 || names.length === 0)
    throw new ExporterError(
      'FLAG_INVALID',
      `--faults: ${unknown.length > 0 ? `unknown ${unknown.join(', ')}` : 'none given'}; choose from ${DRILL_FAULTS.join(', ')}`,
    );
  return [...new Set(names)] as DrillFault[];
}
