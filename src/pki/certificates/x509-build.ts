import { createHash, randomBytes, sign as nativeSign, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import { forgeUtil } from './forge-parts.js';
import { KubetlsError } from '../../errors.js';
import { EARLIEST, LATEST } from './time.js';
import { asn1, encodeDer, oidNode, parseDer, toBinary, type Asn1 } from './der.js';
import { nameToAsn1, type SubjectLocation } from './name.js';
import { OID, type KeyUsage, KEY_USAGES } from './x509.js';

/**
 * Builds X.509 certificates and PKCS#10 requests with forge's ASN.1 encoder and signs them with
 * node:crypto. forge's own certificate API only knows RSA keys; kubeadm clusters also run ECDSA,
 * so the structure is ours and the signature is native (which is also ~50x faster than forge's RSA).
 */

export interface SubjectName {
  commonName: string;
  organizations?: readonly string[];
  location?: SubjectLocation;
}

/** Anything that can sign: a key in memory, or (later) a key that never leaves an HSM. */
export interface CertificateSigner {
  publicKey: KeyObject;
  sign(data: Buffer): Promise<Buffer>;
}

export interface CertificateTemplate {
  subject: SubjectName;
  publicKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  isCA: boolean;
  keyUsage: readonly KeyUsage[];
  extKeyUsage?: readonly ('serverAuth' | 'clientAuth')[];
  dnsNames?: readonly string[];
  ipAddresses?: readonly string[];
  serialNumber?: Buffer;
}

export interface Issuer {
  /** The issuer's subject exactly as encoded in its own certificate (names must match byte for byte). */
  subjectDer: Buffer;
  subjectKeyId: Buffer | undefined;
  signer: CertificateSigner;
}

export function signerFromPrivateKey(privateKey: KeyObject, publicKey: KeyObject): CertificateSigner {
  const hash = privateKey.asymmetricKeyType === 'ed25519' ? null : 'sha256';
  return { publicKey, sign: async (data) => nativeSign(hash, data, privateKey) };
}

/** Go's method: SHA-1 over the subjectPublicKey BIT STRING contents (RFC 5280 4.2.1.2 (1)). */
export function subjectKeyIdentifier(publicKey: KeyObject): Buffer {
  const spki = parseDer(publicKey.export({ type: 'spki', format: 'der' }));
  const bitString = (spki.value as Asn1[])[1];
  const keyBits = Buffer.from((bitString?.value as string) ?? '', 'binary').subarray(1);
  return createHash('sha1').update(keyBits).digest();
}

/** A random positive serial below 2^63, as kubeadm draws them. */
export function randomSerialNumber(): Buffer {
  const bytes = randomBytes(8);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return bytes;
}

export async function buildCertificate(template: CertificateTemplate, issuer: Issuer | 'self', selfSigner?: CertificateSigner): Promise<Buffer> {
  const ownKeyId = subjectKeyIdentifier(template.publicKey);
  const subjectDer = encodeDer(nameToAsn1(template.subject));
  const signing: Issuer =
    issuer === 'self'
      ? { subjectDer, subjectKeyId: ownKeyId, signer: required(selfSigner, 'a self-signed certificate needs its own signer') }
      : issuer;
  const signatureAlgorithm = signatureAlgorithmFor(signing.signer.publicKey);
  const extensions: Asn1[] = [
    extension(OID.keyUsage, true, keyUsageValue(template.keyUsage)),
  ];
  if (template.extKeyUsage?.length) extensions.push(extension(OID.extKeyUsage, false, extKeyUsageValue(template.extKeyUsage)));
  extensions.push(extension(OID.basicConstraints, true, basicConstraintsValue(template.isCA)));
  // Go adds a subject key id to CA certificates and an authority key id when issuer != subject
  if (template.isCA) extensions.push(extension(OID.subjectKeyIdentifier, false, octetString(ownKeyId)));
  if (issuer !== 'self' && signing.subjectKeyId) {
    extensions.push(extension(OID.authorityKeyIdentifier, false, authorityKeyIdValue(signing.subjectKeyId)));
  }
  const altNames = generalNames(template.dnsNames ?? [], template.ipAddresses ?? []);
  if (altNames) extensions.push(extension(OID.subjectAltName, false, altNames));

  const tbs = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [integer(Buffer.from([2]))]),
    integer(template.serialNumber ?? randomSerialNumber()),
    signatureAlgorithm.node(),
    parseDer(signing.subjectDer),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [timeNode(template.notBefore), timeNode(template.notAfter)]),
    parseDer(subjectDer),
    parseDer(template.publicKey.export({ type: 'spki', format: 'der' })),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 3, true, [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, extensions)]),
  ]);
  const tbsDer = encodeDer(tbs);
  const signature = await signing.signer.sign(tbsDer);
  return encodeSigned(tbs, signatureAlgorithm.node(), signature);
}

export interface RequestTemplate {
  subject: SubjectName;
  dnsNames?: readonly string[];
  ipAddresses?: readonly string[];
}

/** A PKCS#10 request, as `openssl req -new` or `x509.CreateCertificateRequest` makes it. */
export async function buildCertificateRequest(template: RequestTemplate, signer: CertificateSigner): Promise<Buffer> {
  const altNames = generalNames(template.dnsNames ?? [], template.ipAddresses ?? []);
  const attributes = asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, []);
  if (altNames) {
    const extensionRequest = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      oidNode(OID.extensionRequest),
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [extension(OID.subjectAltName, false, altNames)]),
      ]),
    ]);
    (attributes.value as Asn1[]).push(extensionRequest);
  }
  const info = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    integer(Buffer.from([0])),
    nameToAsn1(template.subject),
    parseDer(signer.publicKey.export({ type: 'spki', format: 'der' })),
    attributes,
  ]);
  const algorithm = signatureAlgorithmFor(signer.publicKey);
  const signature = await signer.sign(encodeDer(info));
  return encodeSigned(info, algorithm.node(), signature);
}

function encodeSigned(body: Asn1, algorithmNode: Asn1, signature: Buffer): Buffer {
  return encodeDer(
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      body,
      algorithmNode,
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, '\x00' + toBinary(signature)),
    ]),
  );
}

function signatureAlgorithmFor(publicKey: KeyObject): { node: () => Asn1 } {
  switch (publicKey.asymmetricKeyType) {
    case 'rsa':
      // RSA algorithm identifiers carry an explicit NULL parameter
      return { node: () => sequence([oidNode(OID.sha256WithRSAEncryption), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')]) };
    case 'ec':
      return { node: () => sequence([oidNode(OID.ecdsaWithSHA256)]) };
    case 'ed25519':
      return { node: () => sequence([oidNode(OID.ed25519)]) };
    default:
      throw new Error(`cannot sign with a ${publicKey.asymmetricKeyType ?? 'unknown'} key`);
  }
}

function extension(oid: string, critical: boolean, value: Asn1): Asn1 {
  const parts = [oidNode(oid)];
  if (critical) parts.push(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BOOLEAN, false, '\xff'));
  parts.push(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, asn1.toDer(value).getBytes()));
  return sequence(parts);
}

function keyUsageValue(usages: readonly KeyUsage[]): Asn1 {
  const bytes = [0, 0];
  let highest = -1;
  for (const usage of usages) {
    const index = KEY_USAGES.indexOf(usage);
    bytes[index >> 3]! |= 0x80 >> (index & 7);
    highest = Math.max(highest, index);
  }
  // DER: no trailing zero bytes, and the unused-bits count reflects the last set bit
  const used = highest < 0 ? 0 : (highest >> 3) + 1;
  const unusedBits = highest < 0 ? 0 : 7 - (highest & 7);
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, String.fromCharCode(unusedBits, ...bytes.slice(0, used)));
}

function extKeyUsageValue(usages: readonly ('serverAuth' | 'clientAuth')[]): Asn1 {
  return sequence(usages.map((u) => oidNode(OID[u])));
}

function basicConstraintsValue(isCA: boolean): Asn1 {
  return sequence(isCA ? [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BOOLEAN, false, '\xff')] : []);
}

function authorityKeyIdValue(keyId: Buffer): Asn1 {
  return sequence([asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, false, toBinary(keyId))]);
}

function generalNames(dnsNames: readonly string[], ipAddresses: readonly string[]): Asn1 | undefined {
  if (dnsNames.length === 0 && ipAddresses.length === 0) return undefined;
  return sequence([
    ...dnsNames.map((name) => asn1.create(asn1.Class.CONTEXT_SPECIFIC, 2, false, name)),
    ...ipAddresses.map((ip) => asn1.create(asn1.Class.CONTEXT_SPECIFIC, 7, false, toBinary(ipBytes(ip)))),
  ]);
}

export function ipBytes(ip: string): Buffer {
  const version = isIP(ip);
  if (version === 0) throw new Error(`not an IP address: ${ip}`);
  // forge ships bytesFromIP (IPv4 and IPv6) but its type definitions omit it
  const bytes = (forgeUtil as unknown as { bytesFromIP(ip: string): string | null }).bytesFromIP(ip);
  if (bytes === null) throw new Error(`not an IP address: ${ip}`);
  return Buffer.from(bytes, 'binary');
}

function octetString(bytes: Buffer): Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, toBinary(bytes));
}

function integer(unsignedBigEndian: Buffer): Asn1 {
  // a leading 0x00 keeps a value with its top bit set positive
  const bytes = (unsignedBigEndian[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), unsignedBigEndian]) : unsignedBigEndian;
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, toBinary(bytes));
}

function sequence(items: Asn1[]): Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
}

function timeNode(date: Date): Asn1 {
  if (!(date >= EARLIEST && date <= LATEST)) {
    throw KubetlsError.said(Number.isNaN(date.getTime()) ? 'pki.errors.cannot-state-invalid' : 'pki.errors.cannot-state', { date: Number.isNaN(date.getTime()) ? '' : date.toISOString() }, { key: 'pki.errors.cannot-state-hint' });
  }
  // RFC 5280: UTCTime through 2049, GeneralizedTime from 2050
  const seconds = new Date(Math.floor(date.getTime() / 1000) * 1000);
  return seconds.getUTCFullYear() < 2050
    ? asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(seconds))
    : asn1.create(asn1.Class.UNIVERSAL, asn1.Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(seconds));
}

function required<T>(value: T | undefined, message: string): T {
  if (value === undefined) throw new Error(message);
  return value;
}
