/**
 * A strict DER reader shaped like Go's golang.org/x/crypto/cryptobyte, which crypto/x509 parses
 * certificates with. forge's decoder (der.ts) accepts BER leniencies that Go refuses (long-form
 * lengths under 128, non-minimal integers, booleans other than 00/FF, set padding bits), so a
 * certificate Go rejects at parse time would slip through it; the verifier reads with this instead.
 * Every read returns undefined where cryptobyte's would return false, and never throws.
 */

export const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  numericString: 0x12,
  printableString: 0x13,
  t61String: 0x14,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  bmpString: 0x1e,
  sequence: 0x30,
  set: 0x31,
} as const;

export const contextTag = (n: number, constructed = false): number => 0x80 | (constructed ? 0x20 : 0) | n;

export interface Element {
  tag: number;
  /** The whole element: tag, length and contents. */
  full: Buffer;
  contents: Buffer;
}

export class DerReader {
  private offset = 0;

  constructor(private readonly bytes: Buffer) {}

  get empty(): boolean {
    return this.offset >= this.bytes.length;
  }

  get rest(): Buffer {
    return this.bytes.subarray(this.offset);
  }

  peekTag(tag: number): boolean {
    return !this.empty && this.bytes[this.offset] === tag;
  }

  /** Any element; cryptobyte's ReadAnyASN1Element. */
  readAny(): Element | undefined {
    const header = this.header();
    if (!header) return undefined;
    const full = this.bytes.subarray(this.offset, this.offset + header.length);
    this.offset += header.length;
    return { tag: header.tag, full, contents: full.subarray(header.headerLength) };
  }

  /** The element with this tag; cryptobyte's ReadASN1 (contents) / ReadASN1Element (full). */
  read(tag: number): Element | undefined {
    if (!this.peekTag(tag)) return undefined;
    return this.readAny();
  }

  /** An optional element: `null` when absent, undefined when malformed. */
  readOptional(tag: number): Element | null | undefined {
    return this.peekTag(tag) ? this.readAny() : null;
  }

  private header(): { tag: number; length: number; headerLength: number } | undefined {
    const rest = this.bytes.length - this.offset;
    if (rest < 2) return undefined;
    const tag = this.bytes[this.offset]!;
    const lengthByte = this.bytes[this.offset + 1]!;
    // high-tag-number form is not supported, as in cryptobyte
    if ((tag & 0x1f) === 0x1f) return undefined;
    if ((lengthByte & 0x80) === 0) {
      return rest >= lengthByte + 2 ? { tag, length: lengthByte + 2, headerLength: 2 } : undefined;
    }
    const lengthOfLength = lengthByte & 0x7f;
    if (lengthOfLength === 0 || lengthOfLength > 4 || rest < 2 + lengthOfLength) return undefined;
    let length = 0;
    for (let i = 0; i < lengthOfLength; i++) length = length * 256 + this.bytes[this.offset + 2 + i]!;
    // DER: the shortest length form
    if (length < 128 || this.bytes[this.offset + 2] === 0) return undefined;
    const total = 2 + lengthOfLength + length;
    return rest >= total ? { tag, length: total, headerLength: 2 + lengthOfLength } : undefined;
  }
}

export function readBoolean(reader: DerReader): boolean | undefined {
  const element = reader.read(TAG.boolean);
  if (!element || element.contents.length !== 1) return undefined;
  const byte = element.contents[0];
  return byte === 0 ? false : byte === 0xff ? true : undefined;
}

/** A minimally encoded INTEGER as a bigint. */
export function readBigInteger(reader: DerReader, tag: number = TAG.integer): bigint | undefined {
  const element = reader.read(tag);
  if (!element || !isMinimalInteger(element.contents)) return undefined;
  const bytes = element.contents;
  let value = BigInt(`0x${bytes.toString('hex')}`);
  if ((bytes[0]! & 0x80) !== 0) value -= 1n << BigInt(bytes.length * 8);
  return value;
}

/** An INTEGER that fits Go's int (64 bits). */
export function readSmallInteger(reader: DerReader, tag: number = TAG.integer): number | undefined {
  const value = readBigInteger(reader, tag);
  if (value === undefined || value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) return undefined;
  return Number(value);
}

function isMinimalInteger(bytes: Buffer): boolean {
  if (bytes.length === 0) return false;
  if (bytes.length === 1) return true;
  const [first, second] = [bytes[0]!, bytes[1]!];
  return !((first === 0 && (second & 0x80) === 0) || (first === 0xff && (second & 0x80) === 0x80));
}

export function readOid(reader: DerReader): string | undefined {
  const element = reader.read(TAG.oid);
  return element && decodeOid(element.contents);
}

export function decodeOid(bytes: Buffer): string | undefined {
  if (bytes.length === 0) return undefined;
  const components: bigint[] = [];
  let value = 0n;
  let started = false;
  for (const byte of bytes) {
    // a component may not start with 0x80 (non-minimal base-128)
    if (!started && byte === 0x80) return undefined;
    started = true;
    value = (value << 7n) | BigInt(byte & 0x7f);
    if ((byte & 0x80) === 0) {
      components.push(value);
      value = 0n;
      started = false;
    }
  }
  if (started) return undefined;
  const first = components[0]!;
  const head = first < 80n ? [first / 40n, first % 40n] : [2n, first - 80n];
  return [...head, ...components.slice(1)].join('.');
}

export interface BitString {
  bytes: Buffer;
  bitLength: number;
}

export function readBitString(reader: DerReader): BitString | undefined {
  const element = reader.read(TAG.bitString);
  if (!element || element.contents.length === 0) return undefined;
  const padding = element.contents[0]!;
  const bytes = element.contents.subarray(1);
  if (padding > 7 || (bytes.length === 0 && padding !== 0)) return undefined;
  if (bytes.length > 0 && (bytes[bytes.length - 1]! & ((1 << padding) - 1)) !== 0) return undefined;
  return { bytes, bitLength: bytes.length * 8 - padding };
}

export function bitAt(bits: BitString, index: number): boolean {
  if (index < 0 || index >= bits.bitLength) return false;
  return ((bits.bytes[index >> 3]! >> (7 - (index & 7))) & 1) === 1;
}

/** UTCTime or GeneralizedTime with the formats and round-trip check cryptobyte applies. */
export function readTime(reader: DerReader): Date | 'malformed-utc' | 'malformed-generalized' | 'unsupported' {
  if (reader.peekTag(TAG.utcTime)) return parseUtcTime(reader.read(TAG.utcTime)?.contents) ?? 'malformed-utc';
  if (reader.peekTag(TAG.generalizedTime)) return parseGeneralizedTime(reader.read(TAG.generalizedTime)?.contents) ?? 'malformed-generalized';
  return 'unsupported';
}

const UTC_TIME = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})$/;
const GENERALIZED_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(Z|[+-]\d{4})$/;

function parseUtcTime(contents: Buffer | undefined): Date | undefined {
  const match = contents && UTC_TIME.exec(contents.toString('latin1'));
  if (!match) return undefined;
  const twoDigitYear = Number(match[1]);
  // RFC 5280 4.1.2.5.1: 50-99 are 1950-1999
  const year = twoDigitYear >= 50 ? 1900 + twoDigitYear : 2000 + twoDigitYear;
  return dateOf(year, match.slice(2, 6).map(Number), match[6] === undefined ? 0 : Number(match[6]), match[7]!);
}

function parseGeneralizedTime(contents: Buffer | undefined): Date | undefined {
  const match = contents && GENERALIZED_TIME.exec(contents.toString('latin1'));
  if (!match) return undefined;
  return dateOf(Number(match[1]), match.slice(2, 6).map(Number), Number(match[6]), match[7]!);
}

/** Refuses what Go's round trip refuses: 30 February, hour 24, a "+0000" that Go would print as "Z". */
function dateOf(year: number, [month, day, hour, minute]: number[], second: number, zone: string): Date | undefined {
  if (zone === '+0000' || zone === '-0000') return undefined;
  if (month! < 1 || month! > 12 || day! < 1 || hour! > 23 || minute! > 59 || second > 59) return undefined;
  const local = Date.UTC(year, month! - 1, day!, hour!, minute!, second);
  const check = new Date(local);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month! - 1) return undefined;
  if (zone === 'Z') return check;
  const sign = zone[0] === '-' ? -1 : 1;
  const offsetHours = Number(zone.slice(1, 3));
  const offsetMinutes = Number(zone.slice(3, 5));
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  return new Date(local - sign * (offsetHours * 60 + offsetMinutes) * 60_000);
}
