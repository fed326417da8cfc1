// A minimal DER reader: enough of X.690 to walk a CRL of any size and a PKCS#12 keystore. The
// ASN.1 schema library refuses large structures (a 100 k-entry CRL exceeds its node limit) and
// builds an object per node; this reads offsets into the buffer and builds nothing it is not asked
// for. BER's indefinite lengths are read too (some PKCS#12 writers use them), constructed strings
// are joined by `octets`. Pure.

export class DerError extends Error {
  override readonly name = 'DerError';
}

/** One element: its tag byte and where its header and value lie in the buffer. */
export interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly valueStart: number;
  readonly end: number;
}

export const TAG = {
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  oid: 0x06,
  enumerated: 0x0a,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
} as const;

/** Reads the element at `offset`, which must end by `limit`. */
export function readTlv(buf: Buffer, offset: number, limit: number = buf.length): Tlv {
  if (offset + 2 > limit) throw new DerError(`truncated element at byte ${offset}`);
  const tag = buf[offset] as number;
  if ((tag & 0x1f) === 0x1f) throw new DerError(`multi-byte tag at byte ${offset}`);
  let length = buf[offset + 1] as number;
  let valueStart = offset + 2;
  if (length === 0x80) return indefinite(buf, tag, offset, limit);
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw new DerError(`unsupported length form at byte ${offset}`);
    if (valueStart + count > limit) throw new DerError(`truncated length at byte ${offset}`);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (buf[valueStart + i] as number);
    valueStart += count;
  }
  const end = valueStart + length;
  if (end > limit) throw new DerError(`element at byte ${offset} overruns its container`);
  return { tag, start: offset, valueStart, end };
}

/** BER: a constructed element whose contents end at an end-of-contents marker (00 00). */
function indefinite(buf: Buffer, tag: number, offset: number, limit: number): Tlv {
  if (!(tag & 0x20)) throw new DerError(`indefinite length on a primitive at byte ${offset}`);
  for (let at = offset + 2; at + 2 <= limit;) {
    if (isEndOfContents(buf, at))
      return { tag, start: offset, valueStart: offset + 2, end: at + 2 };
    at = readTlv(buf, at, limit).end;
  }
  throw new DerError(`element at byte ${offset} has no end-of-contents`);
}

function isEndOfContents(buf: Buffer, at: number): boolean {
  return buf[at] === 0 && buf[at + 1] === 0;
}

/** The elements inside a constructed element, in order. */
export function children(buf: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.valueStart; at < parent.end;) {
    if (isEndOfContents(buf, at)) break; // an indefinite length's closing marker
    const child = readTlv(buf, at, parent.end);
    out.push(child);
    at = child.end;
  }
  return out;
}

/**
 * A string's bytes (an OCTET STRING, or one tagged IMPLICIT), primitive or, in BER, constructed
 * of pieces.
 */
export function octets(buf: Buffer, tlv: Tlv): Buffer {
  if (!(tlv.tag & 0x20)) return bytes(buf, tlv);
  return Buffer.concat(children(buf, tlv).map((piece) => octets(buf, piece)));
}

export function expect(tlv: Tlv | undefined, tag: number, what: string): Tlv {
  if (tlv === undefined || tlv.tag !== tag)
    throw new DerError(
      `${what}: expected tag 0x${tag.toString(16)}, found ${tlv === undefined ? 'nothing' : `0x${tlv.tag.toString(16)}`}`,
    );
  return tlv;
}

export function bytes(buf: Buffer, tlv: Tlv): Buffer {
  return buf.subarray(tlv.valueStart, tlv.end);
}

/** The whole element, header included (what a signature covers). */
export function whole(buf: Buffer, tlv: Tlv): Buffer {
  return buf.subarray(tlv.start, tlv.end);
}

export function oid(buf: Buffer, tlv: Tlv): string {
  const v = bytes(buf, tlv);
  if (v.length === 0) throw new DerError('empty object identifier');
  const parts: number[] = [];
  let n = 0;
  for (const b of v) {
    n = n * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      parts.push(n);
      n = 0;
    }
  }
  const first = parts.shift() ?? 0;
  const top = first < 80 ? Math.floor(first / 40) : 2;
  return [top, first - top * 40, ...parts].join('.');
}

/** An INTEGER's magnitude as lowercase hex without leading zero bytes (how serials are keyed). */
export function integerHex(buf: Buffer, tlv: Tlv): string {
  let start = tlv.valueStart;
  while (start < tlv.end - 1 && buf[start] === 0) start++;
  return buf.toString('hex', start, tlv.end);
}

export function smallInteger(buf: Buffer, tlv: Tlv): number {
  let n = 0;
  for (let i = tlv.valueStart; i < tlv.end; i++) n = n * 256 + (buf[i] as number);
  return n;
}

/** UTCTime or GeneralizedTime (Z form, as RFC 5280 requires) to Unix seconds. */
export function time(buf: Buffer, tlv: Tlv): number {
  const text = buf.toString('latin1', tlv.valueStart, tlv.end);
  let m: RegExpExecArray | null;
  if (tlv.tag === TAG.utcTime) {
    m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(text);
    if (m) {
      const yy = Number(m[1]);
      return toSeconds(yy < 50 ? 2000 + yy : 1900 + yy, m);
    }
  } else if (tlv.tag === TAG.generalizedTime) {
    m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:\.\d+)?Z$/.exec(text);
    if (m) return toSeconds(Number(m[1]), m);
  }
  throw new DerError(`not a time: "${text}"`);
}

function toSeconds(year: number, m: RegExpExecArray): number {
  return (
    Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) / 1000
  );
}

export function isTime(tlv: Tlv | undefined): boolean {
  return tlv?.tag === TAG.utcTime || tlv?.tag === TAG.generalizedTime;
}

/** DER from PEM text with the given label, or the bytes as they are when they are not PEM. */
export function derFromPem(input: Buffer, label: string): Buffer {
  const head = input.subarray(0, 64).toString('latin1');
  if (!head.includes('-----BEGIN')) return input;
  // indexOf on the bytes, not a regular expression over a string: a large CRL's PEM is 50 MB
  const begin = input.indexOf(`-----BEGIN ${label}-----`);
  const end = input.indexOf(`-----END ${label}-----`, begin);
  if (begin < 0 || end < 0) throw new DerError(`PEM without a "${label}" block`);
  // Node's base64 decoder skips the line breaks
  return Buffer.from(input.toString('latin1', begin + label.length + 16, end), 'base64');
}
