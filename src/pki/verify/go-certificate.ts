import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import {
  bitAt, contextTag, decodeOid, DerReader, readBigInteger, readBitString, readBoolean, readOid, readSmallInteger, readTime, TAG,
  type Element,
} from './der-reader.js';
import { domainToReverseLabels, goQuote, isGoIp, isIa5, parseGoUri, parseRfc2821Mailbox } from './go-names.js';

/**
 * A certificate as Go's crypto/x509.ParseCertificate (Go 1.23, parser.go) sees it: the fields its
 * Certificate.Verify reads, and the same refusals at parse time, each with Go's message. Kubernetes
 * components refuse such a certificate before they look at its chain, so kubetls does too.
 */

export type GoPublicKeyAlgorithm = 'RSA' | 'DSA' | 'ECDSA' | 'Ed25519' | 'unknown';

export interface GoSignatureAlgorithm {
  /** Go's name (SignatureAlgorithm.String()), or its number for one Go does not know ("0"). */
  name: string;
  publicKey: GoPublicKeyAlgorithm;
  hash: 'md5' | 'sha1' | 'sha256' | 'sha384' | 'sha512' | undefined;
  pss: boolean;
}

export interface IpNet {
  ip: Buffer;
  mask: Buffer;
}

export interface NameConstraints {
  permittedDns: string[];
  excludedDns: string[];
  permittedIp: IpNet[];
  excludedIp: IpNet[];
  permittedEmail: string[];
  excludedEmail: string[];
  permittedUri: string[];
  excludedUri: string[];
}

export interface GoCertificate {
  raw: Buffer;
  /** sha256 of `raw`, lower-case hex: how chains are named in JSON and tests. */
  fingerprint: string;
  rawTbs: Buffer;
  rawSubject: Buffer;
  rawIssuer: Buffer;
  version: number;
  serial: bigint;
  commonName: string;
  organization: string[];
  notBefore: Date;
  notAfter: Date;
  signatureAlgorithm: GoSignatureAlgorithm;
  signature: Buffer;
  publicKeyAlgorithm: GoPublicKeyAlgorithm;
  /** undefined where Go has no key (an algorithm it does not know). */
  publicKey: KeyObject | undefined;
  /** Raw SubjectPublicKeyInfo, for "same key" comparisons. */
  rawSpki: Buffer;
  extensions: { oid: string; critical: boolean; value: Buffer }[];
  keyUsage: number;
  basicConstraintsValid: boolean;
  isCA: boolean;
  maxPathLen: number;
  extKeyUsage: string[];
  unknownExtKeyUsage: string[];
  dnsNames: string[];
  emailAddresses: string[];
  ipAddresses: Buffer[];
  uris: string[];
  subjectKeyId: Buffer | undefined;
  authorityKeyId: Buffer | undefined;
  nameConstraints: NameConstraints | undefined;
  unhandledCriticalExtensions: string[];
}

export const KEY_USAGE_CERT_SIGN = 1 << 5;

/** Go's error text for a certificate it cannot parse. */
export class GoParseError extends Error {}

const fail = (message: string): never => {
  throw new GoParseError(message);
};

/** x509.ParseCertificate: the certificate, or a GoParseError with Go's message. */
export function parseGoCertificate(der: Buffer): GoCertificate {
  const outer = new DerReader(der);
  const certificate = outer.read(TAG.sequence) ?? fail('x509: malformed certificate');
  if (!outer.empty) fail('x509: trailing data');
  const body = new DerReader(certificate.contents);
  const tbsElement = body.read(TAG.sequence) ?? fail('x509: malformed tbs certificate');
  const tbs = new DerReader(tbsElement.contents);
  const version = readVersion(tbs);
  const serial = readBigInteger(tbs) ?? fail('x509: malformed serial number');
  if (serial < 0n) fail('x509: negative serial number');
  const innerAlgorithm = tbs.read(TAG.sequence) ?? fail('x509: malformed signature algorithm identifier');
  const outerAlgorithm = body.read(TAG.sequence) ?? fail('x509: malformed algorithm identifier');
  if (!outerAlgorithm.contents.equals(innerAlgorithm.contents)) fail("x509: inner and outer signature algorithm identifiers don't match");
  const signatureAlgorithm = signatureAlgorithmOf(parseAlgorithmIdentifier(innerAlgorithm.contents));
  const issuer = tbs.read(TAG.sequence) ?? fail('x509: malformed issuer');
  parseName(issuer.contents);
  const validity = new DerReader((tbs.read(TAG.sequence) ?? fail('x509: malformed validity')).contents);
  const notBefore = timeOrFail(validity);
  const notAfter = timeOrFail(validity);
  const subject = tbs.read(TAG.sequence) ?? fail('x509: malformed issuer');
  const subjectName = parseName(subject.contents);
  const spki = tbs.read(TAG.sequence) ?? fail('x509: malformed spki');
  const key = parseSpki(spki);
  const extensions = version > 1 ? readExtensions(tbs, version) : [];
  const signature = readBitString(body) ?? fail('x509: malformed signature');
  const parsed: GoCertificate = {
    raw: certificate.full,
    fingerprint: createHash('sha256').update(certificate.full).digest('hex'),
    rawTbs: tbsElement.full,
    rawSubject: subject.full,
    rawIssuer: issuer.full,
    version,
    serial,
    ...subjectName,
    notBefore,
    notAfter,
    signatureAlgorithm,
    signature: signature.bytes,
    ...key,
    rawSpki: spki.full,
    extensions,
    keyUsage: 0,
    basicConstraintsValid: false,
    isCA: false,
    maxPathLen: 0,
    extKeyUsage: [],
    unknownExtKeyUsage: [],
    dnsNames: [],
    emailAddresses: [],
    ipAddresses: [],
    uris: [],
    subjectKeyId: undefined,
    authorityKeyId: undefined,
    nameConstraints: undefined,
    unhandledCriticalExtensions: [],
  };
  for (const extension of extensions) processExtension(parsed, extension);
  return parsed;
}

function readVersion(tbs: DerReader): number {
  const explicit = tbs.readOptional(contextTag(0, true));
  if (explicit === undefined) fail('x509: malformed version');
  let version = 0;
  if (explicit) {
    const inner = new DerReader(explicit.contents);
    version = readSmallInteger(inner) ?? fail('x509: malformed version');
    if (!inner.empty) fail('x509: malformed version');
  }
  if (version < 0) fail('x509: malformed version');
  if (version + 1 > 3) fail('x509: invalid version');
  return version + 1;
}

function timeOrFail(reader: DerReader): Date {
  const time = readTime(reader);
  if (time === 'malformed-utc') fail('x509: malformed UTCTime');
  if (time === 'malformed-generalized') fail('x509: malformed GeneralizedTime');
  if (time === 'unsupported') fail('x509: unsupported time format');
  return time as Date;
}

interface AlgorithmIdentifier {
  oid: string;
  /** The parameters element, whole; undefined when absent. */
  parameters: Element | undefined;
}

function parseAlgorithmIdentifier(contents: Buffer): AlgorithmIdentifier {
  const reader = new DerReader(contents);
  const oid = readOid(reader) ?? fail('x509: malformed OID');
  if (reader.empty) return { oid, parameters: undefined };
  const parameters = reader.readAny() ?? fail('x509: malformed parameters');
  return { oid, parameters };
}

const NULL_PARAMETERS = Buffer.from([0x05, 0x00]);

const SIGNATURE_ALGORITHMS: Record<string, Omit<GoSignatureAlgorithm, 'pss'>> = {
  '1.2.840.113549.1.1.4': { name: 'MD5-RSA', publicKey: 'RSA', hash: 'md5' },
  '1.2.840.113549.1.1.5': { name: 'SHA1-RSA', publicKey: 'RSA', hash: 'sha1' },
  '1.3.14.3.2.29': { name: 'SHA1-RSA', publicKey: 'RSA', hash: 'sha1' },
  '1.2.840.113549.1.1.11': { name: 'SHA256-RSA', publicKey: 'RSA', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { name: 'SHA384-RSA', publicKey: 'RSA', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { name: 'SHA512-RSA', publicKey: 'RSA', hash: 'sha512' },
  '1.2.840.10040.4.3': { name: 'DSA-SHA1', publicKey: 'DSA', hash: 'sha1' },
  '2.16.840.1.101.3.4.3.2': { name: 'DSA-SHA256', publicKey: 'DSA', hash: 'sha256' },
  '1.2.840.10045.4.1': { name: 'ECDSA-SHA1', publicKey: 'ECDSA', hash: 'sha1' },
  '1.2.840.10045.4.3.2': { name: 'ECDSA-SHA256', publicKey: 'ECDSA', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { name: 'ECDSA-SHA384', publicKey: 'ECDSA', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { name: 'ECDSA-SHA512', publicKey: 'ECDSA', hash: 'sha512' },
  '1.3.101.112': { name: 'Ed25519', publicKey: 'Ed25519', hash: undefined },
};

const UNKNOWN_SIGNATURE: GoSignatureAlgorithm = { name: '0', publicKey: 'unknown', hash: undefined, pss: false };
const RSA_PSS = '1.2.840.113549.1.1.10';

/** getSignatureAlgorithmFromAI: PSS only in Go's three shapes (MGF1 with the same hash, salt = hash length). */
function signatureAlgorithmOf(ai: AlgorithmIdentifier): GoSignatureAlgorithm {
  if (ai.oid === RSA_PSS) return pssAlgorithmOf(ai.parameters) ?? UNKNOWN_SIGNATURE;
  const known = SIGNATURE_ALGORITHMS[ai.oid];
  if (!known) return UNKNOWN_SIGNATURE;
  if (known.publicKey === 'Ed25519' && ai.parameters) return UNKNOWN_SIGNATURE;
  return { ...known, pss: false };
}

const PSS_HASHES: Record<string, { hash: 'sha256' | 'sha384' | 'sha512'; salt: number }> = {
  '2.16.840.1.101.3.4.2.1': { hash: 'sha256', salt: 32 },
  '2.16.840.1.101.3.4.2.2': { hash: 'sha384', salt: 48 },
  '2.16.840.1.101.3.4.2.3': { hash: 'sha512', salt: 64 },
};
const MGF1 = '1.2.840.113549.1.1.8';

function pssAlgorithmOf(parameters: Element | undefined): GoSignatureAlgorithm | undefined {
  if (!parameters || parameters.tag !== TAG.sequence) return undefined;
  const reader = new DerReader(parameters.contents);
  const hash = explicitAlgorithm(reader, 0);
  const mgf = explicitAlgorithm(reader, 1);
  const salt = explicitInteger(reader, 2, 20);
  const trailer = explicitInteger(reader, 3, 1);
  if (!hash || !mgf || salt === undefined || trailer === undefined || !reader.empty) return undefined;
  const mgfHash = mgf.parameters?.tag === TAG.sequence ? parseAlgorithmIdentifierSafe(mgf.parameters.contents) : undefined;
  const nullOrAbsent = (e: Element | undefined) => !e || e.full.equals(NULL_PARAMETERS);
  if (!nullOrAbsent(hash.parameters) || mgf.oid !== MGF1 || !mgfHash || mgfHash.oid !== hash.oid || !nullOrAbsent(mgfHash.parameters) || trailer !== 1) return undefined;
  const known = PSS_HASHES[hash.oid];
  if (!known || known.salt !== salt) return undefined;
  return { name: `${known.hash.toUpperCase()}-RSAPSS`, publicKey: 'RSA', hash: known.hash, pss: true };
}

/** SHA-1 and MGF1-with-SHA-1 are the defaults when [0]/[1] are absent. */
function explicitAlgorithm(reader: DerReader, tag: number): AlgorithmIdentifier | undefined {
  const element = reader.readOptional(contextTag(tag, true));
  if (element === undefined) return undefined;
  if (element === null) return tag === 0 ? { oid: '1.3.14.3.2.26', parameters: undefined } : { oid: MGF1, parameters: undefined };
  const inner = new DerReader(element.contents);
  const sequence = inner.read(TAG.sequence);
  return sequence && inner.empty ? parseAlgorithmIdentifierSafe(sequence.contents) : undefined;
}

function explicitInteger(reader: DerReader, tag: number, fallback: number): number | undefined {
  const element = reader.readOptional(contextTag(tag, true));
  if (element === undefined) return undefined;
  if (element === null) return fallback;
  return readSmallInteger(new DerReader(element.contents));
}

function parseAlgorithmIdentifierSafe(contents: Buffer): AlgorithmIdentifier | undefined {
  try {
    return parseAlgorithmIdentifier(contents);
  } catch {
    return undefined;
  }
}

// ---- names ------------------------------------------------------------------------------------

const COMMON_NAME = '2.5.4.3';
const ORGANIZATION = '2.5.4.10';

/** parseName: every attribute value must be a string type Go knows, well formed. */
function parseName(contents: Buffer): { commonName: string; organization: string[] } {
  const sequence = new DerReader(contents);
  let commonName = '';
  const organization: string[] = [];
  while (!sequence.empty) {
    const set = new DerReader((sequence.read(TAG.set) ?? fail('x509: invalid RDNSequence')).contents);
    while (!set.empty) {
      const attribute = new DerReader((set.read(TAG.sequence) ?? fail('x509: invalid RDNSequence: invalid attribute')).contents);
      const type = readOid(attribute) ?? fail('x509: invalid RDNSequence: invalid attribute type');
      const value = attribute.readAny() ?? fail('x509: invalid RDNSequence: invalid attribute value');
      const text = asn1String(value.tag, value.contents);
      if (typeof text !== 'string') fail(`x509: invalid RDNSequence: invalid attribute value: ${text.error}`);
      // pkix.Name.FillFromRDNSequence keeps the last CN
      if (type === COMMON_NAME) commonName = text as string;
      if (type === ORGANIZATION) organization.push(text as string);
    }
  }
  return { commonName, organization };
}

function asn1String(tag: number, value: Buffer): string | { error: string } {
  switch (tag) {
    case TAG.t61String:
      return value.toString('latin1');
    case TAG.printableString:
      return [...value].every(isPrintable) ? value.toString('latin1') : { error: 'invalid PrintableString' };
    case TAG.utf8String: {
      const text = new TextDecoder('utf-8', { fatal: false }).decode(value);
      return Buffer.from(text, 'utf8').equals(value) ? text : { error: 'invalid UTF-8 string' };
    }
    case TAG.bmpString:
      return value.length % 2 === 0 ? bmpString(value) : { error: 'invalid BMPString' };
    case TAG.ia5String:
      return isIa5(value.toString('latin1')) ? value.toString('latin1') : { error: 'invalid IA5String' };
    case TAG.numericString:
      return [...value].every((b) => (b >= 0x30 && b <= 0x39) || b === 0x20) ? value.toString('latin1') : { error: 'invalid NumericString' };
  }
  return { error: `unsupported string type: ${tag}` };
}

function isPrintable(b: number): boolean {
  const c = String.fromCharCode(b);
  return /[a-zA-Z0-9'()+,\-./ :=?*&]/.test(c);
}

function bmpString(value: Buffer): string {
  const end = value.length >= 2 && value[value.length - 1] === 0 && value[value.length - 2] === 0 ? value.length - 2 : value.length;
  return value.subarray(0, end).swap16().toString('utf16le');
}

// ---- public key -------------------------------------------------------------------------------

const PUBLIC_KEY_ALGORITHMS: Record<string, GoPublicKeyAlgorithm> = {
  '1.2.840.113549.1.1.1': 'RSA',
  '1.2.840.10040.4.1': 'DSA',
  '1.2.840.10045.2.1': 'ECDSA',
  '1.3.101.112': 'Ed25519',
};
const SUPPORTED_CURVES = new Set(['1.2.840.10045.3.1.7', '1.3.132.0.34', '1.3.132.0.35', '1.3.132.0.33']);

function parseSpki(spki: Element): { publicKeyAlgorithm: GoPublicKeyAlgorithm; publicKey: KeyObject | undefined } {
  const reader = new DerReader(spki.contents);
  const algorithmElement = reader.read(TAG.sequence) ?? fail('x509: malformed public key algorithm identifier');
  const algorithm = parseAlgorithmIdentifier(algorithmElement.contents);
  const publicKeyAlgorithm = PUBLIC_KEY_ALGORITHMS[algorithm.oid] ?? 'unknown';
  const keyBits = readBitString(reader) ?? fail('x509: malformed subjectPublicKey');
  if (publicKeyAlgorithm === 'unknown') return { publicKeyAlgorithm, publicKey: undefined };
  checkPublicKey(publicKeyAlgorithm, algorithm, keyBits.bytes);
  return { publicKeyAlgorithm, publicKey: keyObject(spki.full, publicKeyAlgorithm) };
}

/** parsePublicKey's refusals, before OpenSSL is handed the key. */
function checkPublicKey(algorithm: GoPublicKeyAlgorithm, ai: AlgorithmIdentifier, key: Buffer): void {
  const reader = new DerReader(key);
  if (algorithm === 'RSA') {
    if (!ai.parameters?.full.equals(NULL_PARAMETERS)) fail('x509: RSA key missing NULL parameters');
    const inner = new DerReader((reader.read(TAG.sequence) ?? fail('x509: invalid RSA public key')).contents);
    const modulus = readBigInteger(inner) ?? fail('x509: invalid RSA modulus');
    const exponent = readBigInteger(inner) ?? fail('x509: invalid RSA public exponent');
    if (exponent > 0x7fffffffffffffffn) fail('x509: invalid RSA public exponent');
    if (modulus <= 0n) fail('x509: RSA modulus is not a positive number');
    if (exponent <= 0n) fail('x509: RSA public exponent is not a positive number');
  } else if (algorithm === 'ECDSA') {
    const curve = ai.parameters?.tag === TAG.oid ? decodeOid(ai.parameters.contents) : undefined;
    if (!curve) fail('x509: invalid ECDSA parameters');
    if (!SUPPORTED_CURVES.has(curve!)) fail('x509: unsupported elliptic curve');
    if (key[0] !== 0x04) fail('x509: failed to unmarshal elliptic curve point');
  } else if (algorithm === 'Ed25519') {
    if (ai.parameters) fail('x509: Ed25519 key encoded with illegal parameters');
    if (key.length !== 32) fail('x509: wrong Ed25519 public key size');
  } else if (algorithm === 'DSA') {
    const y = readBigInteger(reader) ?? fail('x509: invalid DSA public key');
    const parameters = ai.parameters?.tag === TAG.sequence ? new DerReader(ai.parameters.contents) : undefined;
    const [p, q, g] = parameters ? [readBigInteger(parameters), readBigInteger(parameters), readBigInteger(parameters)] : [];
    if (p === undefined || q === undefined || g === undefined) fail('x509: invalid DSA parameters');
    if (y <= 0n || p! <= 0n || q! <= 0n || g! <= 0n) fail('x509: zero or negative DSA parameter');
  }
}

/** OpenSSL's key object: what signatures are checked with. A point off the curve fails here, as in Go. */
function keyObject(spkiDer: Buffer, algorithm: GoPublicKeyAlgorithm): KeyObject | undefined {
  try {
    return createPublicKey({ key: spkiDer, format: 'der', type: 'spki' });
  } catch {
    if (algorithm === 'ECDSA') fail('x509: failed to unmarshal elliptic curve point');
    if (algorithm === 'RSA') fail('x509: invalid RSA public key');
    // Go keeps DSA keys OpenSSL will not load; it cannot check signatures with them either
    return undefined;
  }
}

// ---- extensions -------------------------------------------------------------------------------

function readExtensions(tbs: DerReader, version: number): GoCertificate['extensions'] {
  if (tbs.peekTag(contextTag(1)) && !tbs.readAny()) fail('x509: malformed issuerUniqueID');
  if (tbs.peekTag(contextTag(2)) && !tbs.readAny()) fail('x509: malformed subjectUniqueID');
  if (version !== 3) return [];
  const wrapper = tbs.readOptional(contextTag(3, true));
  if (wrapper === undefined) fail('x509: malformed extensions');
  if (!wrapper) return [];
  const outer = new DerReader(wrapper.contents);
  const list = new DerReader((outer.read(TAG.sequence) ?? fail('x509: malformed extensions')).contents);
  const extensions: GoCertificate['extensions'] = [];
  const seen = new Set<string>();
  while (!list.empty) {
    const extension = new DerReader((list.read(TAG.sequence) ?? fail('x509: malformed extension')).contents);
    const oid = readOid(extension) ?? fail('x509: malformed extension OID field');
    let critical = false;
    if (extension.peekTag(TAG.boolean)) critical = readBoolean(extension) ?? fail('x509: malformed extension critical field');
    const value = extension.read(TAG.octetString) ?? fail('x509: malformed extension value field');
    if (seen.has(oid)) fail(`x509: certificate contains duplicate extension with OID "${oid}"`);
    seen.add(oid);
    extensions.push({ oid, critical, value: value.contents });
  }
  return extensions;
}

const AUTHORITY_INFO_ACCESS = '1.3.6.1.5.5.7.1.1';

/** processExtensions: decode what Verify reads; record critical extensions Go does not handle. */
function processExtension(c: GoCertificate, extension: GoCertificate['extensions'][number]): void {
  const { oid, critical, value } = extension;
  let unhandled = false;
  if (oid.startsWith('2.5.29.') && oid.split('.').length === 4) {
    unhandled = processStandardExtension(c, Number(oid.split('.')[3]), critical, value);
  } else if (oid === AUTHORITY_INFO_ACCESS) {
    if (critical) fail('x509: authority info access incorrectly marked critical');
    checkAuthorityInfoAccess(value);
  } else {
    unhandled = true;
  }
  if (critical && unhandled) c.unhandledCriticalExtensions.push(oid);
}

function processStandardExtension(c: GoCertificate, id: number, critical: boolean, value: Buffer): boolean {
  switch (id) {
    case 15:
      c.keyUsage = parseKeyUsage(value);
      return false;
    case 19:
      [c.isCA, c.maxPathLen] = parseBasicConstraints(value);
      c.basicConstraintsValid = true;
      return false;
    case 17:
      parseSubjectAltNames(c, value);
      // an empty SAN extension is checked for criticality like an unknown one
      return c.dnsNames.length + c.emailAddresses.length + c.ipAddresses.length + c.uris.length === 0;
    case 30:
      return parseNameConstraints(c, value);
    case 31:
      checkCrlDistributionPoints(value);
      return false;
    case 35:
      if (critical) fail('x509: authority key identifier incorrectly marked critical');
      c.authorityKeyId = parseAuthorityKeyId(value);
      return false;
    case 37:
      [c.extKeyUsage, c.unknownExtKeyUsage] = parseExtKeyUsage(value);
      return false;
    case 14: {
      if (critical) fail('x509: subject key identifier incorrectly marked critical');
      c.subjectKeyId = (new DerReader(value).read(TAG.octetString) ?? fail('x509: invalid subject key identifier')).contents;
      return false;
    }
    case 32:
      checkPolicies(value);
      return false;
    default:
      return true;
  }
}

function parseKeyUsage(value: Buffer): number {
  const bits = readBitString(new DerReader(value)) ?? fail('x509: invalid key usage');
  let usage = 0;
  for (let i = 0; i < 9; i++) if (bitAt(bits, i)) usage |= 1 << i;
  return usage;
}

function parseBasicConstraints(value: Buffer): [boolean, number] {
  const reader = new DerReader((new DerReader(value).read(TAG.sequence) ?? fail('x509: invalid basic constraints')).contents);
  let isCA = false;
  let maxPathLen = -1;
  if (reader.peekTag(TAG.boolean)) isCA = readBoolean(reader) ?? fail('x509: invalid basic constraints');
  if (reader.peekTag(TAG.integer)) maxPathLen = readSmallInteger(reader) ?? fail('x509: invalid basic constraints');
  return [isCA, maxPathLen];
}

/** forEachSAN: every GeneralName in the extension, with its context tag number. */
export function forEachSan(value: Buffer, visit: (tag: number, data: Buffer) => void): void {
  const reader = new DerReader((new DerReader(value).read(TAG.sequence) ?? fail('x509: invalid subject alternative names')).contents);
  while (!reader.empty) {
    const name = reader.readAny() ?? fail('x509: invalid subject alternative name');
    visit(name.tag ^ 0x80, name.contents);
  }
}

function parseSubjectAltNames(c: GoCertificate, value: Buffer): void {
  forEachSan(value, (tag, data) => {
    const text = data.toString('latin1');
    if (tag === 1) {
      if (!isIa5(text)) fail('x509: SAN rfc822Name is malformed');
      c.emailAddresses.push(text);
    } else if (tag === 2) {
      if (!isIa5(text)) fail('x509: SAN dNSName is malformed');
      c.dnsNames.push(text);
    } else if (tag === 6) {
      if (!isIa5(text)) fail('x509: SAN uniformResourceIdentifier is malformed');
      const uri = parseGoUri(text);
      if (typeof uri === 'string') fail(`x509: cannot parse URI ${goQuote(text)}: ${uri}`);
      else if (uri.host.length > 0 && !domainToReverseLabels(uri.host)) fail(`x509: cannot parse URI ${goQuote(text)}: invalid domain`);
      c.uris.push(text);
    } else if (tag === 7) {
      if (data.length !== 4 && data.length !== 16) fail(`x509: cannot parse IP address of length ${data.length}`);
      c.ipAddresses.push(Buffer.from(data));
    }
  });
}

function parseAuthorityKeyId(value: Buffer): Buffer | undefined {
  const reader = new DerReader((new DerReader(value).read(TAG.sequence) ?? fail('x509: invalid authority key identifier')).contents);
  if (!reader.peekTag(contextTag(0))) return undefined;
  return (reader.read(contextTag(0)) ?? fail('x509: invalid authority key identifier')).contents;
}

const EXT_KEY_USAGE_OIDS: Record<string, string> = {
  '2.5.29.37.0': 'any',
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.5': 'ipsecEndSystem',
  '1.3.6.1.5.5.7.3.6': 'ipsecTunnel',
  '1.3.6.1.5.5.7.3.7': 'ipsecUser',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '1.3.6.1.4.1.311.10.3.3': 'microsoftServerGatedCrypto',
  '2.16.840.1.113730.4.1': 'netscapeServerGatedCrypto',
  '1.3.6.1.4.1.311.2.1.22': 'microsoftCommercialCodeSigning',
  '1.3.6.1.4.1.311.61.1.1': 'microsoftKernelCodeSigning',
};

function parseExtKeyUsage(value: Buffer): [string[], string[]] {
  const reader = new DerReader((new DerReader(value).read(TAG.sequence) ?? fail('x509: invalid extended key usages')).contents);
  const known: string[] = [];
  const unknown: string[] = [];
  while (!reader.empty) {
    const oid = readOid(reader) ?? fail('x509: invalid extended key usages');
    const name = EXT_KEY_USAGE_OIDS[oid];
    if (name) known.push(name);
    else unknown.push(oid);
  }
  return [known, unknown];
}

function checkPolicies(value: Buffer): void {
  const reader = new DerReader((new DerReader(value).read(TAG.sequence) ?? fail('x509: invalid certificate policies')).contents);
  while (!reader.empty) {
    const policy = new DerReader((reader.read(TAG.sequence) ?? fail('x509: invalid certificate policies')).contents);
    const oid = policy.read(TAG.oid) ?? fail('x509: invalid certificate policies');
    if (oid.contents.length === 0 || (oid.contents[oid.contents.length - 1]! & 0x80) !== 0) fail('x509: invalid certificate policies');
  }
}

function checkCrlDistributionPoints(value: Buffer): void {
  const points = new DerReader((new DerReader(value).read(TAG.sequence) ?? fail('x509: invalid CRL distribution points')).contents);
  while (!points.empty) {
    const point = new DerReader((points.read(TAG.sequence) ?? fail('x509: invalid CRL distribution point')).contents);
    const name = point.readOptional(contextTag(0, true));
    if (name === undefined) fail('x509: invalid CRL distribution point');
    if (!name) continue;
    const fullName = new DerReader(name.contents).read(contextTag(0, true)) ?? fail('x509: invalid CRL distribution point');
    const uris = new DerReader(fullName.contents);
    while (uris.peekTag(contextTag(6))) if (!uris.read(contextTag(6))) fail('x509: invalid CRL distribution point');
  }
}

function checkAuthorityInfoAccess(value: Buffer): void {
  const entries = new DerReader((new DerReader(value).read(TAG.sequence) ?? fail('x509: invalid authority info access')).contents);
  while (!entries.empty) {
    const entry = new DerReader((entries.read(TAG.sequence) ?? fail('x509: invalid authority info access')).contents);
    readOid(entry) ?? fail('x509: invalid authority info access');
    if (entry.peekTag(contextTag(6)) && !entry.read(contextTag(6))) fail('x509: invalid authority info access');
  }
}

// ---- name constraints -------------------------------------------------------------------------

function parseNameConstraints(c: GoCertificate, value: Buffer): boolean {
  const outer = new DerReader(value);
  const top = outer.read(TAG.sequence);
  const invalid = () => fail('x509: invalid NameConstraints extension');
  if (!top || !outer.empty) invalid();
  const reader = new DerReader(top!.contents);
  const permitted = reader.readOptional(contextTag(0, true));
  const excluded = reader.readOptional(contextTag(1, true));
  if (permitted === undefined || excluded === undefined || !reader.empty) invalid();
  if ((!permitted && !excluded) || ((permitted?.contents.length ?? 0) === 0 && (excluded?.contents.length ?? 0) === 0)) {
    fail('x509: empty name constraints extension');
  }
  const allowed = subtreesOf(permitted?.contents ?? Buffer.alloc(0));
  const denied = subtreesOf(excluded?.contents ?? Buffer.alloc(0));
  c.nameConstraints = {
    permittedDns: allowed.dns, excludedDns: denied.dns,
    permittedIp: allowed.ip, excludedIp: denied.ip,
    permittedEmail: allowed.email, excludedEmail: denied.email,
    permittedUri: allowed.uri, excludedUri: denied.uri,
  };
  return allowed.unhandled || denied.unhandled;
}

interface Subtrees {
  dns: string[];
  ip: IpNet[];
  email: string[];
  uri: string[];
  unhandled: boolean;
}

function subtreesOf(contents: Buffer): Subtrees {
  const result: Subtrees = { dns: [], ip: [], email: [], uri: [], unhandled: false };
  const reader = new DerReader(contents);
  while (!reader.empty) {
    const subtree = reader.read(TAG.sequence);
    const base = subtree && new DerReader(subtree.contents).readAny();
    if (!base) fail('x509: invalid NameConstraints extension');
    addConstraint(result, base!);
  }
  return result;
}

function addConstraint(result: Subtrees, base: Element): void {
  const text = base.contents.toString('latin1');
  const ia5 = () => {
    if (!isIa5(text)) fail(`x509: invalid constraint value: x509: ${goQuote(text)} cannot be encoded as an IA5String`);
  };
  const withoutDot = text.startsWith('.') ? text.slice(1) : text;
  switch (base.tag) {
    case contextTag(2):
      ia5();
      if (!domainToReverseLabels(withoutDot)) fail(`x509: failed to parse dnsName constraint ${goQuote(text)}`);
      result.dns.push(text);
      return;
    case contextTag(7):
      result.ip.push(ipConstraint(base.contents));
      return;
    case contextTag(1):
      ia5();
      if (text.includes('@') ? !parseRfc2821Mailbox(text) : !domainToReverseLabels(withoutDot)) {
        fail(`x509: failed to parse rfc822Name constraint ${goQuote(text)}`);
      }
      result.email.push(text);
      return;
    case contextTag(6):
      ia5();
      if (isGoIp(text)) fail(`x509: failed to parse URI constraint ${goQuote(text)}: cannot be IP address`);
      if (!domainToReverseLabels(withoutDot)) fail(`x509: failed to parse URI constraint ${goQuote(text)}`);
      result.uri.push(text);
      return;
    default:
      result.unhandled = true;
  }
}

function ipConstraint(value: Buffer): IpNet {
  if (value.length !== 8 && value.length !== 32) fail(`x509: IP constraint contained value of length ${value.length}`);
  const half = value.length / 2;
  const mask = value.subarray(half);
  if (!isValidMask(mask)) fail(`x509: IP constraint contained invalid mask ${mask.toString('hex')}`);
  return { ip: value.subarray(0, half), mask };
}

function isValidMask(mask: Buffer): boolean {
  let seenZero = false;
  for (const b of mask) {
    if (seenZero) {
      if (b !== 0) return false;
    } else if ([0x00, 0x80, 0xc0, 0xe0, 0xf0, 0xf8, 0xfc, 0xfe].includes(b)) {
      seenZero = true;
    } else if (b !== 0xff) {
      return false;
    }
  }
  return true;
}
