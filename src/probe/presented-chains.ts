// The chain each target presented, kept between probes. Reading a presented chain through Node
// re-decodes every intermediate (~140 µs each: most of a probe's CPU beyond the handshake);
// the leaf alone can be read from the session for ~9 µs. A kept chain is used again only while
// the leaf is byte for byte the one it was read with, OpenSSL's verdict on the chain is the same,
// and it was read less than CHAIN_REREAD_MS ago: a new leaf (rotation), a chain that stops or
// starts verifying (a missing, expired or replaced intermediate) is read on the very probe that
// sees it; an intermediate swapped for one that verifies the same way shows within the interval.
import type { X509Certificate } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { SecureContext } from 'node:tls';
import { BoundedMap } from '../common/bounded-map.js';

export const CHAIN_REREAD_MS = 5 * 60_000;
/** Targets whose chain is kept; past this the least recently probed are read again. */
const MAX_KEPT = 10_000;

interface Kept {
  readonly verdict: string;
  readonly chain: readonly X509Certificate[];
  readonly at: number;
}

/** Where a chain was presented: one address and port, one SNI, one set of trust anchors. */
export interface PresentedAt {
  readonly address: string;
  readonly port: number;
  readonly servername: string | undefined;
  readonly context: SecureContext;
}

export class PresentedChains {
  private readonly kept = new BoundedMap<Kept>(MAX_KEPT);
  private readonly contextIds = new WeakMap<SecureContext, number>();
  private contexts = 0;

  constructor(
    private readonly rereadMs: number = CHAIN_REREAD_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The chain kept for `at`, when it may stand for what was presented just now. */
  get(at: PresentedAt, leaf: Buffer, verdict: string): readonly X509Certificate[] | undefined {
    const kept = this.kept.get(this.keyOf(at));
    if (
      kept === undefined ||
      kept.verdict !== verdict ||
      this.now() - kept.at >= this.rereadMs ||
      !kept.chain[0]?.raw.equals(leaf)
    )
      return undefined;
    return kept.chain;
  }

  /** Keeps a chain just read, leaf first. */
  set(at: PresentedAt, verdict: string, chain: readonly X509Certificate[]): void {
    this.kept.set(this.keyOf(at), { verdict, chain, at: this.now() });
  }

  private keyOf(at: PresentedAt): string {
    let id = this.contextIds.get(at.context);
    if (id === undefined) {
      id = ++this.contexts;
      this.contextIds.set(at.context, id);
    }
    return `${id}|${at.address}|${at.port}|${at.servername ?? ''}`;
  }
}
