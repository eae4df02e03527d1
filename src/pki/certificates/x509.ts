import { createHash, X509Certificate } from 'node:crypto';
import { isKubetlsError, KubetlsError } from '../../errors.js';
import { asn1, children, nodeBytes, parseDer, sequenceElements, type Asn1 } from './der.js';
import { nameFromAsn1, type DistinguishedName } from './name.js';
import { isCalendarTime, utcDate } from './time.js';
import { remembered } from './remembered.js';

/** Everything kubetls reads out of an X.509 certificate, parsed with forge's ASN.1 decoder. */
export interface ParsedCertificate {
  der: Buffer;
  /** The signed bytes, exactly as they appear in `der`. */
  tbsDer: Buffer;
  version: number;
  serialNumber: Buffer;
  signatureAlgorithm: AlgorithmName;
  issuer: DistinguishedName;
  issuerDer: Buffer;
  subject: DistinguishedName;
  subjectDer: Buffer;
  notBefore: Date;
  notAfter: Date;
  publicKey: PublicKeyInfo;
  extensions: Extension[];
  keyUsage: KeyUsage[] | undefined;
  extKeyUsage: string[] | undefined;
  basicConstraints: { isCA: boolean; pathLength: number | undefined } | undefined;
  subjectAltNames: SubjectAltNames;
  subjectKeyId: Buffer | undefined;
  authorityKeyId: Buffer | undefined;
  signature: Buffer;
  sha256Fingerprint: Buffer;
}

export interface ParsedCertificateRequest {
  der: Buffer;
  infoDer: Buffer;
  version: number;
  subject: DistinguishedName;
  publicKey: PublicKeyInfo;
  extensions: Extension[];
  subjectAltNames: SubjectAltNames;
  keyUsage: KeyUsage[] | undefined;
  extKeyUsage: string[] | undefined;
  signatureAlgorithm: AlgorithmName;
  signature: Buffer;
}

export interface AlgorithmName {
  oid: string;
  name: string;
}

export type PublicKeyType = 'rsa' | 'ec' | 'ed25519' | 'unknown';

export interface PublicKeyInfo {
  type: PublicKeyType;
  algorithm: AlgorithmName;
  bits: number | undefined;
  curve: string | undefined;
  /** RSA modulus without sign padding, RSA exponent. */
  modulus: Buffer | undefined;
  exponent: number | undefined;
  /** EC point or Ed25519 key bytes. */
  point: Buffer | undefined;
  spkiDer: Buffer;
}

export interface SubjectAltNames {
  dns: string[];
  ip: string[];
  email: string[];
  uri: string[];
}

export interface Extension {
  oid: string;
  name: string;
  critical: boolean;
  value: Buffer;
}

export const KEY_USAGES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsage = (typeof KEY_USAGES)[number];

export const OID = {
  rsaEncryption: '1.2.840.113549.1.1.1',
  ecPublicKey: '1.2.840.10045.2.1',
  ed25519: '1.3.101.112',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
  prime256v1: '1.2.840.10045.3.1.7',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  basicConstraints: '2.5.29.19',
  subjectAltName: '2.5.29.17',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  extensionRequest: '1.2.840.113549.1.9.14',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const;

const ALGORITHM_NAMES: Record<string, string> = {
  '1.2.840.113549.1.1.1': 'rsaEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.10045.2.1': 'id-ecPublicKey',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'ED25519',
};

/** Curve OID -> [openssl's ASN1 OID name, NIST name, bits]. */
export const CURVES: Record<string, [string, string, number]> = {
  '1.2.840.10045.3.1.7': ['prime256v1', 'P-256', 256],
  '1.3.132.0.34': ['secp384r1', 'P-384', 384],
  '1.3.132.0.35': ['secp521r1', 'P-521', 521],
};

/** Extended key usage OIDs by the short names Go, openssl's config and kubetls's JSON use. */
export const EXT_KEY_USAGE_NAMES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
};

const EXTENSION_NAMES: Record<string, string> = {
  '2.5.29.15': 'keyUsage',
  '2.5.29.37': 'extKeyUsage',
  '2.5.29.19': 'basicConstraints',
  '2.5.29.17': 'subjectAltName',
  '2.5.29.14': 'subjectKeyIdentifier',
  '2.5.29.35': 'authorityKeyIdentifier',
  '2.5.29.31': 'cRLDistributionPoints',
  '1.3.6.1.5.5.7.1.1': 'authorityInfoAccess',
  '2.5.29.32': 'certificatePolicies',
  '2.5.29.30': 'nameConstraints',
};

function algorithm(node: Asn1 | undefined): AlgorithmName {
  const oidNode = children(node)[0];
  const oid = oidNode ? asn1.derToOid(oidNode.value as string) : 'unknown';
  return { oid, name: ALGORITHM_NAMES[oid] ?? oid };
}

function oidOf(node: Asn1 | undefined): string {
  return node ? asn1.derToOid(node.value as string) : '';
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`malformed certificate: missing ${what}`);
  return value;
}

/**
 * Whatever the bytes, a parsed certificate or a KubetlsError: a damaged certificate is something a
 * learner brought, not a bug. The certificate must also be one OpenSSL reads (node:crypto), so every
 * check downstream can ask both.
 */
export function parseCertificateDer(der: Buffer): ParsedCertificate {
  return remembered(parsedCertificates, der.toString('base64'), () =>
    parsedOrDamaged('certificate', () => {
      const certificate = parseCertificate(der);
      new X509Certificate(der);
      return certificate;
    }),
  );
}

/**
 * The same certificate is read many times over in one look at a sandbox (ca.crt for every file flag
 * it signs, each kubeconfig's client certificate for the tree, the checks and the chains): its parse,
 * kept by its bytes, is reused. A certificate cannot change under the same bytes, so nothing goes stale.
 */
const parsedCertificates = new Map<string, ParsedCertificate>();


/** As parseCertificateDer, for PKCS#10 requests. */
export function parseCertificateRequestDer(der: Buffer): ParsedCertificateRequest {
  return parsedOrDamaged('certificate-request', () => parseCertificateRequest(der));
}

function parsedOrDamaged<T>(what: 'certificate' | 'certificate-request', parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (isKubetlsError(error)) throw error;
    const detail = error instanceof Error ? (error.message.split('\n')[0] ?? '').replace(/\.$/, '') : String(error);
    throw KubetlsError.said(`pki.errors.invalid-${what}`, { detail }, undefined, { cause: error });
  }
}

function parseCertificate(der: Buffer): ParsedCertificate {
  const root = parseDer(der);
  const [tbs, signatureAlgorithmNode, signatureNode] = children(root);
  const fields = children(required(tbs, 'TBSCertificate'));
  // version is [0] EXPLICIT and optional (absent means v1)
  const hasVersion = fields[0]?.tagClass === asn1.Class.CONTEXT_SPECIFIC && fields[0]?.type === 0;
  const at = (i: number): Asn1 => required(fields[i + (hasVersion ? 1 : 0)], 'a TBSCertificate field');
  const version = hasVersion ? integerValue(children(fields[0])[0]) + 1 : 1;
  const tbsDer = required(sequenceElements(der)[0], 'TBSCertificate');
  const tbsParts = sequenceElements(tbsDer);
  const offset = hasVersion ? 1 : 0;
  const [notBeforeNode, notAfterNode] = children(at(3));
  const extensionsNode = fields.find((f) => f.tagClass === asn1.Class.CONTEXT_SPECIFIC && f.type === 3);
  const extensions = parseExtensions(children(children(extensionsNode)[0]));
  const decoded = decodeExtensions(extensions);
  return {
    der,
    tbsDer,
    version,
    serialNumber: nodeBytes(at(0)),
    signatureAlgorithm: algorithm(signatureAlgorithmNode),
    issuer: nameFromAsn1(at(2)),
    issuerDer: required(tbsParts[2 + offset], 'issuer'),
    subject: nameFromAsn1(at(4)),
    subjectDer: required(tbsParts[4 + offset], 'subject'),
    notBefore: timeValue(required(notBeforeNode, 'notBefore')),
    notAfter: timeValue(required(notAfterNode, 'notAfter')),
    publicKey: parsePublicKeyInfo(at(5), required(tbsParts[5 + offset], 'subjectPublicKeyInfo')),
    extensions,
    ...decoded,
    signature: bitStringBytes(required(signatureNode, 'signature')),
    sha256Fingerprint: createHash('sha256').update(der).digest(),
  };
}

function parseCertificateRequest(der: Buffer): ParsedCertificateRequest {
  const root = parseDer(der);
  const [info, signatureAlgorithmNode, signatureNode] = children(root);
  const [versionNode, subjectNode, spkiNode, attributesNode] = children(required(info, 'CertificationRequestInfo'));
  const infoDer = required(sequenceElements(der)[0], 'CertificationRequestInfo');
  const spkiDer = required(sequenceElements(infoDer)[2], 'subjectPublicKeyInfo');
  let extensions: Extension[] = [];
  for (const attribute of children(attributesNode)) {
    const [typeNode, valuesNode] = children(attribute);
    if (oidOf(typeNode) === OID.extensionRequest) extensions = parseExtensions(children(children(valuesNode)[0]));
  }
  const decoded = decodeExtensions(extensions);
  return {
    der,
    infoDer,
    version: integerValue(versionNode) + 1,
    subject: nameFromAsn1(required(subjectNode, 'subject')),
    publicKey: parsePublicKeyInfo(required(spkiNode, 'subjectPublicKeyInfo'), spkiDer),
    extensions,
    subjectAltNames: decoded.subjectAltNames,
    keyUsage: decoded.keyUsage,
    extKeyUsage: decoded.extKeyUsage,
    signatureAlgorithm: algorithm(signatureAlgorithmNode),
    signature: bitStringBytes(required(signatureNode, 'signature')),
  };
}

export function parsePublicKeyInfo(spki: Asn1, spkiDer: Buffer): PublicKeyInfo {
  const [algorithmNode, keyNode] = children(spki);
  const algo = algorithm(algorithmNode);
  const keyBytes = keyNode ? bitStringBytes(keyNode) : Buffer.alloc(0);
  const info: PublicKeyInfo = {
    type: 'unknown',
    algorithm: algo,
    bits: undefined,
    curve: undefined,
    modulus: undefined,
    exponent: undefined,
    point: undefined,
    spkiDer,
  };
  if (algo.oid === OID.rsaEncryption) {
    const [modulusNode, exponentNode] = children(parseDer(keyBytes));
    const modulus = stripLeadingZeros(nodeBytes(required(modulusNode, 'RSA modulus')));
    return { ...info, type: 'rsa', modulus, exponent: integerValue(exponentNode), bits: bitLength(modulus) };
  }
  if (algo.oid === OID.ecPublicKey) {
    const curveOid = oidOf(children(algorithmNode)[1]);
    const curve = CURVES[curveOid];
    return { ...info, type: 'ec', point: keyBytes, curve: curve?.[1] ?? curveOid, bits: curve?.[2] };
  }
  if (algo.oid === OID.ed25519) return { ...info, type: 'ed25519', point: keyBytes, bits: 256 };
  return info;
}

function parseExtensions(nodes: Asn1[]): Extension[] {
  return nodes.map((node) => {
    const parts = children(node);
    const oid = oidOf(parts[0]);
    const critical = parts[1]?.type === asn1.Type.BOOLEAN ? (parts[1].value as string).charCodeAt(0) !== 0 : false;
    const valueNode = parts[parts.length - 1];
    return { oid, name: EXTENSION_NAMES[oid] ?? oid, critical, value: valueNode ? nodeBytes(valueNode) : Buffer.alloc(0) };
  });
}

type DecodedExtensions = Pick<
  ParsedCertificate,
  'keyUsage' | 'extKeyUsage' | 'basicConstraints' | 'subjectAltNames' | 'subjectKeyId' | 'authorityKeyId'
>;

function decodeExtensions(extensions: Extension[]): DecodedExtensions {
  const find = (oid: string) => extensions.find((e) => e.oid === oid);
  const keyUsage = find(OID.keyUsage);
  const extKeyUsage = find(OID.extKeyUsage);
  const basicConstraints = find(OID.basicConstraints);
  const subjectAltName = find(OID.subjectAltName);
  const subjectKeyId = find(OID.subjectKeyIdentifier);
  const authorityKeyId = find(OID.authorityKeyIdentifier);
  return {
    keyUsage: keyUsage && decodeKeyUsage(keyUsage.value),
    extKeyUsage: extKeyUsage && children(parseDer(extKeyUsage.value)).map((n) => EXT_KEY_USAGE_NAMES[oidOf(n)] ?? oidOf(n)),
    basicConstraints: basicConstraints && decodeBasicConstraints(basicConstraints.value),
    subjectAltNames: subjectAltName ? decodeGeneralNames(children(parseDer(subjectAltName.value))) : emptyAltNames(),
    subjectKeyId: subjectKeyId && nodeBytes(parseDer(subjectKeyId.value)),
    authorityKeyId: authorityKeyId && decodeAuthorityKeyId(authorityKeyId.value),
  };
}

function decodeKeyUsage(value: Buffer): KeyUsage[] {
  const bits = bitStringBytes(parseDer(value));
  return KEY_USAGES.filter((_, index) => ((bits[index >> 3] ?? 0) & (0x80 >> (index & 7))) !== 0);
}

function decodeBasicConstraints(value: Buffer): { isCA: boolean; pathLength: number | undefined } {
  let isCA = false;
  let pathLength: number | undefined;
  for (const node of children(parseDer(value))) {
    if (node.type === asn1.Type.BOOLEAN) isCA = (node.value as string).charCodeAt(0) !== 0;
    if (node.type === asn1.Type.INTEGER) pathLength = integerValue(node);
  }
  return { isCA, pathLength };
}

function decodeAuthorityKeyId(value: Buffer): Buffer | undefined {
  const keyId = children(parseDer(value)).find((n) => n.tagClass === asn1.Class.CONTEXT_SPECIFIC && n.type === 0);
  return keyId && nodeBytes(keyId);
}

export function emptyAltNames(): SubjectAltNames {
  return { dns: [], ip: [], email: [], uri: [] };
}

function decodeGeneralNames(nodes: Asn1[]): SubjectAltNames {
  const names = emptyAltNames();
  for (const node of nodes) {
    if (node.tagClass !== asn1.Class.CONTEXT_SPECIFIC || ![1, 2, 6, 7].includes(node.type)) continue;
    // these are IA5String / OCTET STRING: primitive, never a structure
    if (typeof node.value !== 'string') throw new Error(`malformed subjectAltName: a [${node.type}] name is constructed`);
    if (node.type === 1) names.email.push(node.value);
    if (node.type === 2) names.dns.push(node.value);
    if (node.type === 6) names.uri.push(node.value);
    if (node.type === 7) names.ip.push(formatIp(nodeBytes(node)));
  }
  return names;
}

/** IPv4 dotted, IPv6 in the compressed form Node and Go print (`::1`). */
export function formatIp(bytes: Buffer): string {
  if (bytes.length === 4) return [...bytes].join('.');
  if (bytes.length !== 16) return bytes.toString('hex');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i));
  return compressIpv6(groups);
}

function compressIpv6(groups: number[]): string {
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > bestLength && j - i > 1) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

function bitStringBytes(node: Asn1): Buffer {
  // first content byte is the count of unused bits
  return nodeBytes(node).subarray(1);
}

function integerValue(node: Asn1 | undefined): number {
  if (!node) return 0;
  return asn1.derToInteger(node.value as string);
}

function stripLeadingZeros(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return bytes.subarray(start);
}

function bitLength(bytes: Buffer): number {
  const first = bytes[0] ?? 0;
  return (bytes.length - 1) * 8 + (first === 0 ? 0 : Math.floor(Math.log2(first)) + 1);
}

// the forms Go's crypto/x509 reads (RFC 5280 asks for the first with seconds and Z)
const UTC_TIME = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})$/;
const GENERALIZED_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(Z|[+-]\d{4})$/;

/**
 * A validity time, checked field by field: forge (like Date.UTC) lets 30 February roll into March and
 * month 13 into the next year; a certificate with an impossible time is damaged.
 */
function timeValue(node: Asn1): Date {
  const raw = node.value;
  const utc = node.type === asn1.Type.UTCTIME;
  if ((!utc && node.type !== asn1.Type.GENERALIZEDTIME) || typeof raw !== 'string') throw new Error('malformed validity: not a UTCTime or GeneralizedTime');
  const match = (utc ? UTC_TIME : GENERALIZED_TIME).exec(raw);
  if (!match) throw new Error(`malformed validity time "${printable(raw)}"`);
  const [year, month, day, hour, minute, second = '00', zone] = match.slice(1) as [string, string, string, string, string, string | undefined, string];
  const time = {
    year: utc ? (Number(year) >= 50 ? 1900 : 2000) + Number(year) : Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour),
    minute: Number(minute),
    second: Number(second),
  };
  const [offsetHours, offsetMinutes] = zone === 'Z' ? [0, 0] : [Number(zone.slice(1, 3)), Number(zone.slice(3, 5))];
  if (!isCalendarTime(time) || offsetHours > 23 || offsetMinutes > 59) throw new Error(`impossible validity time "${raw}"`);
  return utcDate(time, (zone[0] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes));
}

function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 40);
}
