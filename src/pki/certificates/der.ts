import { asn1, forgeUtil, type Asn1 } from './forge-parts.js';

/** node-forge speaks "binary strings" (one char per byte); the rest of kubetls speaks Buffers. */
export function toBinary(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('binary');
}

export function fromBinary(binary: string): Buffer {
  return Buffer.from(binary, 'binary');
}

export { asn1, type Asn1 };

/** Parse DER without forge's habit of decoding BIT STRING contents as nested ASN.1. */
export function parseDer(bytes: Uint8Array): Asn1 {
  return asn1.fromDer(forgeUtil.createBuffer(toBinary(bytes)), { strict: true, decodeBitStrings: false } as never);
}

export function encodeDer(node: Asn1): Buffer {
  return fromBinary(asn1.toDer(node).getBytes());
}

/** The exact bytes of each element of a DER SEQUENCE, as signed (re-encoding could differ). */
export function sequenceElements(der: Uint8Array): Buffer[] {
  const outer = readHeader(der, 0);
  const elements: Buffer[] = [];
  let offset = outer.contentStart;
  while (offset < outer.contentStart + outer.length) {
    const element = readHeader(der, offset);
    const end = element.contentStart + element.length;
    elements.push(Buffer.from(der.subarray(offset, end)));
    offset = end;
  }
  return elements;
}

function readHeader(der: Uint8Array, offset: number): { contentStart: number; length: number } {
  const first = der[offset + 1];
  if (first === undefined) throw new RangeError('truncated DER');
  if (first < 0x80) return { contentStart: offset + 2, length: first };
  const lengthBytes = first & 0x7f;
  let length = 0;
  for (let i = 0; i < lengthBytes; i++) length = length * 256 + (der[offset + 2 + i] ?? 0);
  const contentStart = offset + 2 + lengthBytes;
  if (contentStart + length > der.length) throw new RangeError('truncated DER');
  return { contentStart, length };
}

export function oidNode(oid: string): Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes());
}

export function nodeBytes(node: Asn1): Buffer {
  return fromBinary(node.value as string);
}

export function children(node: Asn1 | undefined): Asn1[] {
  return node && Array.isArray(node.value) ? (node.value as Asn1[]) : [];
}

/** Colon-separated hex as openssl prints serial numbers and fingerprints. */
export function colonHex(bytes: Uint8Array, upper = false): string {
  const hex = Buffer.from(bytes).toString('hex').match(/../g)?.join(':') ?? '';
  return upper ? hex.toUpperCase() : hex;
}
