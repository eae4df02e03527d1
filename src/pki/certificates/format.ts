import { BASE_LANGUAGE, translate, type Language } from '../../locale/catalogue.js';
import { createHash, type KeyObject } from 'node:crypto';
import { escapeControlCharacters } from '../../control-characters.js';
import { colonHex } from './der.js';
import { describeKeyType } from './keys.js';
import { formatName, type DistinguishedName } from './name.js';
import { CURVES, type Extension, type ParsedCertificate, type ParsedCertificateRequest, type PublicKeyInfo } from './x509.js';
import type { InspectedItem } from './inspect.js';

/**
 * Text in the shape of `openssl x509 -text -noout` (and `openssl req -text -noout`), field names and
 * all, so what a learner reads here is what they will read in the exam terminal.
 */

const KEY_USAGE_LABELS: Record<string, string> = {
  digitalSignature: 'Digital Signature',
  nonRepudiation: 'Non Repudiation',
  keyEncipherment: 'Key Encipherment',
  dataEncipherment: 'Data Encipherment',
  keyAgreement: 'Key Agreement',
  keyCertSign: 'Certificate Sign',
  cRLSign: 'CRL Sign',
  encipherOnly: 'Encipher Only',
  decipherOnly: 'Decipher Only',
};

const EXT_KEY_USAGE_LABELS: Record<string, string> = {
  serverAuth: 'TLS Web Server Authentication',
  clientAuth: 'TLS Web Client Authentication',
  codeSigning: 'Code Signing',
  emailProtection: 'E-mail Protection',
  timeStamping: 'Time Stamping',
  OCSPSigning: 'OCSP Signing',
  anyExtendedKeyUsage: 'Any Extended Key Usage',
};

const EXTENSION_LABELS: Record<string, string> = {
  keyUsage: 'X509v3 Key Usage',
  extKeyUsage: 'X509v3 Extended Key Usage',
  basicConstraints: 'X509v3 Basic Constraints',
  subjectAltName: 'X509v3 Subject Alternative Name',
  subjectKeyIdentifier: 'X509v3 Subject Key Identifier',
  authorityKeyIdentifier: 'X509v3 Authority Key Identifier',
  cRLDistributionPoints: 'X509v3 CRL Distribution Points',
  authorityInfoAccess: 'Authority Information Access',
  certificatePolicies: 'X509v3 Certificate Policies',
  nameConstraints: 'X509v3 Name Constraints',
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Nov  9 01:58:47 2026 GMT`, as openssl prints ASN.1 times. */
export function formatOpensslDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[date.getUTCMonth()]} ${String(date.getUTCDate()).padStart(2, ' ')} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${date.getUTCFullYear()} GMT`;
}

function hexBlock(bytes: Buffer, perLine: number, indent: string): string[] {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += perLine) {
    const chunk = colonHex(bytes.subarray(i, i + perLine));
    lines.push(`${indent}${chunk}${i + perLine < bytes.length ? ':' : ''}`);
  }
  return lines;
}

export function formatCertificateText(certificate: ParsedCertificate): string {
  const lines = [
    'Certificate:',
    '    Data:',
    `        Version: ${certificate.version} (0x${(certificate.version - 1).toString(16)})`,
    ...serialLines(certificate.serialNumber),
    `        Signature Algorithm: ${certificate.signatureAlgorithm.name}`,
    `        Issuer: ${formatName(certificate.issuer)}`,
    '        Validity',
    `            Not Before: ${formatOpensslDate(certificate.notBefore)}`,
    `            Not After : ${formatOpensslDate(certificate.notAfter)}`,
    `        Subject: ${formatName(certificate.subject)}`,
    ...publicKeyLines(certificate.publicKey),
  ];
  if (certificate.extensions.length > 0) {
    lines.push('        X509v3 extensions:');
    for (const extension of certificate.extensions) lines.push(...extensionLines(extension, certificate));
  }
  lines.push(...signatureLines(certificate.signatureAlgorithm.name, certificate.signature));
  return `${lines.join('\n')}\n`;
}

export function formatRequestText(request: ParsedCertificateRequest): string {
  const lines = [
    'Certificate Request:',
    '    Data:',
    `        Version: ${request.version} (0x${(request.version - 1).toString(16)})`,
    `        Subject: ${formatName(request.subject)}`,
    ...publicKeyLines(request.publicKey),
    '        Attributes:',
  ];
  if (request.extensions.length === 0) lines.push('            (none)');
  lines.push('            Requested Extensions:');
  for (const extension of request.extensions) lines.push(...extensionLines(extension, request).map((l) => `    ${l}`));
  lines.push(...signatureLines(request.signatureAlgorithm.name, request.signature));
  return `${lines.join('\n')}\n`;
}

function serialLines(serial: Buffer): string[] {
  const value = serial.length > 1 && serial[0] === 0 ? serial.subarray(1) : serial;
  const negative = ((serial[0] ?? 0) & 0x80) !== 0;
  // openssl prints serials that fit in a signed 64-bit integer as decimal (hex)
  if (!negative && value.length <= 8) {
    const number = BigInt(`0x${value.toString('hex') || '0'}`);
    if (number < 2n ** 63n) return [`        Serial Number: ${number} (0x${number.toString(16)})`];
  }
  return ['        Serial Number:', `            ${negative ? '(Negative)' : ''}${colonHex(serial)}`];
}

function publicKeyLines(key: PublicKeyInfo): string[] {
  const lines = ['        Subject Public Key Info:', `            Public Key Algorithm: ${key.algorithm.name}`];
  const indent = '                    ';
  if (key.type === 'rsa' && key.modulus) {
    const modulus = (key.modulus[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), key.modulus]) : key.modulus;
    lines.push(`                Public-Key: (${key.bits} bit)`, '                Modulus:', ...hexBlock(modulus, 15, indent));
    lines.push(`                Exponent: ${key.exponent} (0x${(key.exponent ?? 0).toString(16)})`);
  } else if (key.type === 'ec' && key.point) {
    const curve = Object.values(CURVES).find(([, nist]) => nist === key.curve);
    lines.push(`                Public-Key: (${key.bits} bit)`, '                pub:', ...hexBlock(key.point, 15, indent));
    if (curve) lines.push(`                ASN1 OID: ${curve[0]}`, `                NIST CURVE: ${curve[1]}`);
  } else if (key.type === 'ed25519' && key.point) {
    lines.push('                ED25519 Public-Key:', '                pub:', ...hexBlock(key.point, 15, indent));
  }
  return lines;
}

function signatureLines(algorithm: string, signature: Buffer): string[] {
  return [`    Signature Algorithm: ${algorithm}`, '    Signature Value:', ...hexBlock(signature, 18, '        ')];
}

type WithExtensions = Pick<ParsedCertificate, 'keyUsage' | 'extKeyUsage' | 'subjectAltNames'> &
  Partial<Pick<ParsedCertificate, 'basicConstraints' | 'subjectKeyId' | 'authorityKeyId'>>;

function extensionLines(extension: Extension, parsed: WithExtensions): string[] {
  const label = EXTENSION_LABELS[extension.name] ?? extension.oid;
  const header = `            ${label}: ${extension.critical ? 'critical' : ''}`;
  const body = (text: string) => [header, `                ${text}`];
  switch (extension.name) {
    case 'keyUsage':
      return body((parsed.keyUsage ?? []).map((u) => KEY_USAGE_LABELS[u] ?? u).join(', '));
    case 'extKeyUsage':
      return body((parsed.extKeyUsage ?? []).map((u) => EXT_KEY_USAGE_LABELS[u] ?? u).join(', '));
    case 'basicConstraints': {
      const constraints = parsed.basicConstraints;
      const path = constraints?.pathLength === undefined ? '' : `, pathlen:${constraints.pathLength}`;
      return body(`CA:${constraints?.isCA ? 'TRUE' : 'FALSE'}${path}`);
    }
    case 'subjectAltName':
      return body(formatAltNames(parsed.subjectAltNames));
    case 'subjectKeyIdentifier':
      return body(colonHex(parsed.subjectKeyId ?? Buffer.alloc(0), true));
    case 'authorityKeyIdentifier':
      return body(colonHex(parsed.authorityKeyId ?? Buffer.alloc(0), true));
    default:
      return [header, ...hexBlock(extension.value, 18, '                ')];
  }
}

/** `DNS:node1, IP Address:10.0.0.1, IP Address:0:0:0:0:0:0:0:1` (openssl writes IPv6 uncompressed). */
function formatAltNames(names: ParsedCertificate['subjectAltNames']): string {
  return [
    ...names.email.map((e) => `email:${e}`),
    ...names.dns.map((d) => `DNS:${d}`),
    ...names.uri.map((u) => `URI:${u}`),
    ...names.ip.map((ip) => `IP Address:${expandIpv6(ip)}`),
  ].join(', ');
}

function expandIpv6(ip: string): string {
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const fill = ip.includes('::') ? Array<string>(8 - headGroups.length - tailGroups.length).fill('0') : [];
  return [...headGroups, ...fill, ...tailGroups].map((g) => g.replace(/^0+(?=.)/, '').toUpperCase()).join(':');
}

// ---- JSON ---------------------------------------------------------------------------------

export interface NameJson {
  CN: string | null;
  O: string[];
  text: string;
}

export interface CertificateJson {
  source: string;
  type: 'certificate';
  subject: NameJson;
  issuer: NameJson;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  sans: { dns: string[]; ip: string[] };
  keyUsage: string[];
  extKeyUsage: string[];
  isCA: boolean;
  publicKey: PublicKeyJson;
  signatureAlgorithm: string;
  sha256: string;
}

export interface PublicKeyJson {
  type: 'rsa' | 'ec' | 'ed25519' | 'unknown';
  bits: number | null;
  curve: string | null;
}

function nameJson(name: DistinguishedName): NameJson {
  return { CN: name.commonName ?? null, O: name.organizations, text: formatName(name) };
}

export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Hex as `openssl x509 -serial` prints it: upper case, no sign-padding byte. */
export function serialHex(serial: Buffer): string {
  const value = serial.length > 1 && serial[0] === 0 && ((serial[1] ?? 0) & 0x80) !== 0 ? serial.subarray(1) : serial;
  return value.toString('hex').toUpperCase();
}

function publicKeyJson(key: PublicKeyInfo): PublicKeyJson {
  return { type: key.type, bits: key.bits ?? null, curve: key.curve ?? null };
}

export function certificateJson(certificate: ParsedCertificate, source: string): CertificateJson {
  return {
    source,
    type: 'certificate',
    subject: nameJson(certificate.subject),
    issuer: nameJson(certificate.issuer),
    serialNumber: serialHex(certificate.serialNumber),
    notBefore: isoSeconds(certificate.notBefore),
    notAfter: isoSeconds(certificate.notAfter),
    sans: { dns: certificate.subjectAltNames.dns, ip: certificate.subjectAltNames.ip },
    keyUsage: certificate.keyUsage ?? [],
    extKeyUsage: certificate.extKeyUsage ?? [],
    isCA: certificate.basicConstraints?.isCA ?? false,
    publicKey: publicKeyJson(certificate.publicKey),
    signatureAlgorithm: certificate.signatureAlgorithm.name,
    sha256: colonHex(certificate.sha256Fingerprint, true),
  };
}

function keyObjectJson(key: KeyObject): PublicKeyJson {
  const type = key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'ec' || key.asymmetricKeyType === 'ed25519' ? key.asymmetricKeyType : 'unknown';
  const details = key.asymmetricKeyDetails;
  const curve = details?.namedCurve ? (details.namedCurve === 'prime256v1' ? 'P-256' : details.namedCurve === 'secp384r1' ? 'P-384' : details.namedCurve) : null;
  const bits = type === 'rsa' ? (details?.modulusLength ?? null) : type === 'ec' ? (curve === 'P-256' ? 256 : curve === 'P-384' ? 384 : null) : type === 'ed25519' ? 256 : null;
  return { type, bits, curve };
}

function publicKeySha256(key: KeyObject): string {
  return colonHex(createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest(), true);
}

export function itemJson(item: InspectedItem): object {
  switch (item.kind) {
    case 'certificate':
      return certificateJson(item.certificate, item.source);
    case 'certificate-request':
      return {
        source: item.source,
        type: 'certificate-request',
        subject: nameJson(item.request.subject),
        sans: { dns: item.request.subjectAltNames.dns, ip: item.request.subjectAltNames.ip },
        extKeyUsage: item.request.extKeyUsage ?? [],
        publicKey: publicKeyJson(item.request.publicKey),
        signatureAlgorithm: item.request.signatureAlgorithm.name,
      };
    case 'private-key':
      return { source: item.source, type: 'private-key', publicKey: keyObjectJson(item.keyPair.publicKey), publicKeySha256: publicKeySha256(item.keyPair.publicKey), matches: item.matches };
    case 'public-key':
      return { source: item.source, type: 'public-key', publicKey: keyObjectJson(item.publicKey), publicKeySha256: publicKeySha256(item.publicKey), matches: item.matches };
  }
}

/** What `inspect` prints for one item; names from the file are shown with their control characters escaped, as openssl does. */
export function itemText(item: InspectedItem, withHeader: boolean, language: Language = BASE_LANGUAGE): string {
  return escapeControlCharacters(unescapedItemText(item, withHeader, language));
}

function unescapedItemText(item: InspectedItem, withHeader: boolean, language: Language): string {
  const header = withHeader ? `==> ${item.source} <==\n` : '';
  switch (item.kind) {
    case 'certificate':
      return header + formatCertificateText(item.certificate);
    case 'certificate-request':
      return header + formatRequestText(item.request);
    case 'private-key':
    case 'public-key': {
      const key = item.kind === 'private-key' ? item.keyPair.publicKey : item.publicKey;
      // kubetls' own lines below openssl's: which certificate the key belongs to
      const matches = item.matches.length > 0 ? item.matches.map((m) => `    ${translate(language, 'pki.inspect.matches', { source: m })}`) : [`    ${translate(language, 'pki.inspect.matches-none')}`];
      return `${header}${item.kind === 'private-key' ? 'Private Key' : 'Public Key'}: ${describeKeyType(key)}\n    Public key SHA-256: ${publicKeySha256(key)}\n${matches.join('\n')}\n`;
    }
  }
}
