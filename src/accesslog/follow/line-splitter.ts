// Splits a byte stream into lines. Whole lines inside a chunk are decoded in one go (a newline
// byte never occurs inside a UTF-8 sequence, so cutting at newlines never splits a character),
// or handed over as bytes to a sink that parses bytes itself (LineSink.lines); a partial last
// line waits for its newline; a line longer than `maxLineBytes` is dropped and reported without
// being buffered whole. Invalid UTF-8 decodes to U+FFFD and never throws.
import { isAscii } from 'node:buffer';

/** A line ending in CR (written by a Windows tool on the way) is taken without it. */
export function withoutCr(line: string): string {
  return line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
}

export interface LineSink {
  line(text: string): void;
  /**
   * Whole lines as the bytes read, each ending in a newline, for a sink that parses bytes itself
   * (it then also drops lines over the limit). Without it, lines are decoded and go to line().
   */
  lines?(block: Buffer): void;
  /** after a push or flush that ended at least one line: one clock reading per read, not per line */
  linesEnded?(): void;
  /** a line over the limit was dropped; `bytes` is how much of it was seen */
  oversize(bytes: number): void;
}

export class LineSplitter {
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** inside a line that is being dropped (too long, or the tail of a line we started inside) */
  #skipping: 'oversize' | 'silent' | undefined;
  #skippedBytes = 0;

  constructor(
    private readonly maxLineBytes: number,
    private readonly sink: LineSink,
  ) {}

  /**
   * Bytes taken in since the last line ended, so not yet part of a counted line: the file offset
   * minus these is where reading must resume to count nothing twice and lose nothing.
   */
  get heldBytes(): number {
    return this.#skipping === 'silent' ? 0 : this.#pendingBytes + this.#skippedBytes;
  }

  /** Start in the middle of a line: drop bytes up to the next newline without counting them. */
  skipToNextLine(): void {
    this.reset();
    this.#skipping = 'silent';
  }

  /** Forget a partial line (the file was truncated under it). */
  reset(): void {
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#skipping = undefined;
    this.#skippedBytes = 0;
  }

  push(chunk: Buffer): void {
    const first = chunk.indexOf(10);
    if (first < 0) {
      this.#hold(chunk);
      return;
    }
    this.#finishLine(chunk.subarray(0, first));
    const last = chunk.lastIndexOf(10);
    if (last > first) {
      if (this.sink.lines) this.sink.lines(chunk.subarray(first + 1, last + 1));
      else {
        const block = chunk.subarray(first + 1, last);
        // pure ASCII (nearly always) decodes the same as latin1, which is several times cheaper
        this.#block(block.toString(isAscii(block) ? 'latin1' : 'utf8'));
      }
    }
    if (last + 1 < chunk.length) this.#hold(chunk.subarray(last + 1));
    this.sink.linesEnded?.();
  }

  /** End of input (a rotated file that is closed): a held partial line is emitted as it is. */
  flush(): void {
    const ended = this.#skipping === 'oversize' || this.#pendingBytes > 0;
    if (this.#skipping === 'oversize') this.sink.oversize(this.#skippedBytes);
    else if (this.#pendingBytes > 0) this.#deliver(Buffer.concat(this.#pending).toString('utf8'));
    this.reset();
    if (ended) this.sink.linesEnded?.();
  }

  #hold(part: Buffer): void {
    if (this.#skipping) {
      this.#skippedBytes += part.length;
      return;
    }
    if (this.#pendingBytes + part.length > this.maxLineBytes) {
      this.#skipping = 'oversize';
      this.#skippedBytes = this.#pendingBytes + part.length;
      this.#pending = [];
      this.#pendingBytes = 0;
      return;
    }
    this.#pending.push(Buffer.from(part));
    this.#pendingBytes += part.length;
  }

  #finishLine(head: Buffer): void {
    if (this.#skipping) {
      if (this.#skipping === 'oversize') this.sink.oversize(this.#skippedBytes + head.length + 1);
      this.#skipping = undefined;
      this.#skippedBytes = 0;
      return;
    }
    if (this.#pendingBytes === 0) {
      this.#emit(head.toString('utf8'), head.length);
      return;
    }
    const bytes = this.#pendingBytes + head.length;
    if (bytes > this.maxLineBytes) this.sink.oversize(bytes + 1);
    else this.#deliver(Buffer.concat([...this.#pending, head]).toString('utf8'));
    this.#pending = [];
    this.#pendingBytes = 0;
  }

  #block(text: string): void {
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      const line = nl < 0 ? text.slice(start) : text.slice(start, nl);
      this.#emit(line);
      if (nl < 0) return;
      start = nl + 1;
    }
  }

  #deliver(line: string): void {
    this.sink.line(withoutCr(line));
  }

  #emit(line: string, knownBytes?: number): void {
    // characters <= bytes <= 3 x characters (UTF-16 units), so most lines need no byte count
    if (line.length * 3 > this.maxLineBytes) {
      const bytes = knownBytes ?? Buffer.byteLength(line, 'utf8');
      if (bytes > this.maxLineBytes) {
        this.sink.oversize(bytes + 1);
        return;
      }
    }
    this.#deliver(line);
  }
}
