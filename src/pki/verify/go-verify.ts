import { constants, verify as verifySignature } from 'node:crypto';
import {
  forEachSan, GoParseError, KEY_USAGE_CERT_SIGN, parseGoCertificate, type GoCertificate, type GoSignatureAlgorithm,
} from './go-certificate.js';
import {
  domainToReverseLabels, goIpString, goQuote, matchDomainConstraint, matchEmailConstraint, matchExactly, matchHostnames,
  matchIpConstraint, matchUriConstraint, parseGoIp, parseRfc2821Mailbox, toLowerAscii, validHostname, type MatchResult,
} from './go-names.js';

/**
 * Certificate.Verify from Go's crypto/x509 (Go 1.23 verify.go), the verifier inside kube-apiserver,
 * the kubelet, etcd, the controller-manager and kubectl: the same path building through untrusted
 * intermediates, the same checks in the same order, and Go's own error text, so that what kubetls
 * says about a chain is what a cluster would say. Signatures are checked by OpenSSL (node:crypto).
 */

export type GoKeyUsage = 'serverAuth' | 'clientAuth' | 'any';

export interface GoVerifyOptions {
  /** Trusted roots (DER). */
  roots: Buffer[];
  /** Untrusted intermediates (DER) that a path may go through. */
  intermediates?: Buffer[];
  at: Date;
  /** A host name or IP, like VerifyOptions.DNSName. */
  dnsName?: string;
  /** Acceptable extended key usages; none means Go's default, serverAuth. */
  keyUsages?: GoKeyUsage[];
}

export interface GoVerdict {
  ok: boolean;
  /** Go's err.Error(). */
  error: string | undefined;
  /** Every chain Go accepts, leaf first, as DER. */
  chains: Buffer[][];
}

/** What kind of refusal, for kubetls' explanation beside Go's words. */
export type GoFailure =
  | 'parse' | 'unknown-authority' | 'expired' | 'hostname' | 'incompatible-usage' | 'not-authorized-to-sign'
  | 'path-length' | 'name-constraints' | 'critical-extension' | 'name-mismatch' | 'signature' | 'too-much-work';

export interface GoError {
  kind: GoFailure;
  message: string;
  /** The certificate the error is about, where Go names one. */
  certificate?: GoCertificate;
  /** Whether that certificate is the one being verified or a CA above it. */
  role?: CertificateRole;
  /** For an unknown authority: the candidate issuer that was tried and why it was refused. */
  hint?: { error: GoError; candidate: GoCertificate };
}

export interface GoChainResult {
  chains: GoCertificate[][];
  error: GoError | undefined;
}

export function goVerify(leafDer: Buffer, options: GoVerifyOptions): GoVerdict {
  let leaf: GoCertificate;
  let roots: GoCertificate[];
  let intermediates: GoCertificate[];
  try {
    leaf = parseGoCertificate(leafDer);
    roots = options.roots.map(parseGoCertificate);
    intermediates = (options.intermediates ?? []).map(parseGoCertificate);
  } catch (error) {
    if (error instanceof GoParseError) return { ok: false, error: error.message, chains: [] };
    throw error;
  }
  const result = verifyGoChain(leaf, { ...options, roots, intermediates });
  return { ok: !result.error, error: result.error?.message, chains: result.chains.map((chain) => chain.map((c) => c.raw)) };
}

export interface GoChainOptions {
  roots: GoCertificate[];
  intermediates: GoCertificate[];
  at: Date;
  dnsName?: string;
  keyUsages?: GoKeyUsage[];
}

/** Certificate.Verify on parsed certificates. */
export function verifyGoChain(leaf: GoCertificate, options: GoChainOptions): GoChainResult {
  const context: Context = { at: options.at, roots: makePool(options.roots), intermediates: makePool(options.intermediates), signatureChecks: 0 };
  const invalid = isValid(leaf, 'leaf', [], context);
  if (invalid) return { chains: [], error: invalid };
  if (options.dnsName) {
    const mismatch = verifyHostname(leaf, options.dnsName);
    if (mismatch) return { chains: [], error: mismatch };
  }
  let candidates: GoCertificate[][];
  if (context.roots.fingerprints.has(leaf.fingerprint)) {
    candidates = [[leaf]];
  } else {
    const built = buildChains(leaf, [leaf], context);
    if (built.error) return { chains: [], error: built.error };
    candidates = built.chains;
  }
  const usages: GoKeyUsage[] = options.keyUsages?.length ? options.keyUsages : ['serverAuth'];
  if (usages.includes('any')) return { chains: candidates, error: undefined };
  const chains = candidates.filter((chain) => chainAllowsKeyUsage(chain, usages));
  if (chains.length === 0) return { chains, error: { kind: 'incompatible-usage', message: 'x509: certificate specifies an incompatible key usage', certificate: leaf } };
  return { chains, error: undefined };
}

// ---- pools ------------------------------------------------------------------------------------

interface Pool {
  byName: Map<string, GoCertificate[]>;
  fingerprints: Set<string>;
}

interface Context {
  at: Date;
  roots: Pool;
  intermediates: Pool;
  signatureChecks: number;
}

function makePool(certificates: GoCertificate[]): Pool {
  const pool: Pool = { byName: new Map(), fingerprints: new Set() };
  for (const certificate of certificates) {
    if (pool.fingerprints.has(certificate.fingerprint)) continue;
    pool.fingerprints.add(certificate.fingerprint);
    const name = certificate.rawSubject.toString('latin1');
    pool.byName.set(name, [...(pool.byName.get(name) ?? []), certificate]);
  }
  return pool;
}

/** Same subject, ordered by how well the key identifiers agree (cert_pool.go findPotentialParents). */
function findPotentialParents(pool: Pool, certificate: GoCertificate): GoCertificate[] {
  const matching: GoCertificate[] = [];
  const oneKeyId: GoCertificate[] = [];
  const mismatching: GoCertificate[] = [];
  for (const candidate of pool.byName.get(certificate.rawIssuer.toString('latin1')) ?? []) {
    const ski = candidate.subjectKeyId ?? Buffer.alloc(0);
    const aki = certificate.authorityKeyId ?? Buffer.alloc(0);
    if (ski.equals(aki)) matching.push(candidate);
    else if ((ski.length === 0) !== (aki.length === 0)) oneKeyId.push(candidate);
    else mismatching.push(candidate);
  }
  return [...matching, ...oneKeyId, ...mismatching];
}

// ---- path building ----------------------------------------------------------------------------

/** Go's bound on the work one Verify may do (maxChainSignatureChecks). */
const MAX_SIGNATURE_CHECKS = 100;

export type CertificateRole = 'leaf' | 'intermediate' | 'root';

/**
 * buildChains: every root, then every intermediate, that could have signed `certificate`; recursing
 * through intermediates. Like Go, the error returned when no chain is found is the last one a
 * candidate's validity check or sub-search produced, else "unknown authority" with the first
 * refused candidate as a hint.
 */
function buildChains(certificate: GoCertificate, chain: GoCertificate[], context: Context): GoChainResult {
  const chains: GoCertificate[][] = [];
  let error: GoError | undefined;
  let hint: { error: GoError; candidate: GoCertificate } | undefined;
  const consider = (role: 'root' | 'intermediate', candidate: GoCertificate) => {
    if (!candidate.publicKey || alreadyInChain(candidate, chain)) return;
    context.signatureChecks++;
    if (context.signatureChecks > MAX_SIGNATURE_CHECKS) {
      error = { kind: 'too-much-work', message: 'x509: signature check attempts limit reached while verifying certificate chain' };
      return;
    }
    const signatureError = checkSignatureFrom(certificate, candidate);
    if (signatureError) {
      hint ??= { error: signatureError, candidate };
      return;
    }
    error = isValid(candidate, role, chain, context);
    if (error) {
      hint ??= { error, candidate };
      return;
    }
    const extended = [...chain, candidate];
    if (role === 'root') {
      chains.push(extended);
    } else {
      const deeper = buildChains(candidate, extended, context);
      chains.push(...deeper.chains);
      error = deeper.error;
    }
  };
  for (const root of findPotentialParents(context.roots, certificate)) consider('root', root);
  for (const intermediate of findPotentialParents(context.intermediates, certificate)) consider('intermediate', intermediate);
  if (chains.length > 0) return { chains, error: undefined };
  return { chains, error: error ?? unknownAuthority(certificate, hint) };
}

function unknownAuthority(certificate: GoCertificate, hint: { error: GoError; candidate: GoCertificate } | undefined): GoError {
  let message = 'x509: certificate signed by unknown authority';
  if (hint) {
    const candidate = hint.candidate;
    const name = candidate.commonName || candidate.organization[0] || `serial:${candidate.serial.toString()}`;
    message += ` (possibly because of ${goQuote(hint.error.message)} while trying to verify candidate authority certificate ${goQuote(name)})`;
  }
  return { kind: 'unknown-authority', message, certificate, hint };
}

/** Loops through cross-signatures are cut by subject + key + SAN, not by exact bytes. */
function alreadyInChain(candidate: GoCertificate, chain: GoCertificate[]): boolean {
  const sanOf = (c: GoCertificate) => c.extensions.find((e) => e.oid === SUBJECT_ALT_NAME)?.value;
  const candidateSan = sanOf(candidate);
  return chain.some((member) => {
    if (!member.rawSubject.equals(candidate.rawSubject) || !member.rawSpki.equals(candidate.rawSpki)) return false;
    const memberSan = sanOf(member);
    if (!candidateSan && !memberSan) return true;
    return !!candidateSan && !!memberSan && candidateSan.equals(memberSan);
  });
}

const SUBJECT_ALT_NAME = '2.5.29.17';

// ---- isValid ----------------------------------------------------------------------------------

/** RFC 3339 as Go's time.Format prints a UTC time: no fractional seconds. */
export function goTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function isValid(c: GoCertificate, role: CertificateRole, chain: GoCertificate[], context: Context): GoError | undefined {
  const problem = validityProblem(c, role, chain, context);
  return problem && { ...problem, role };
}

function validityProblem(c: GoCertificate, role: CertificateRole, chain: GoCertificate[], context: Context): GoError | undefined {
  if (c.unhandledCriticalExtensions.length > 0) return { kind: 'critical-extension', message: 'x509: unhandled critical extension', certificate: c };
  const child = chain[chain.length - 1];
  if (child && !child.rawIssuer.equals(c.rawSubject)) {
    return { kind: 'name-mismatch', message: 'x509: issuer name does not match subject from issuing certificate', certificate: c };
  }
  const expiry = checkValidity(c, context.at);
  if (expiry) return expiry;
  if (role !== 'leaf' && c.extensions.some((e) => e.oid === NAME_CONSTRAINTS)) {
    const violation = checkNameConstraints(c, chain);
    if (violation) return violation;
  }
  if (role === 'intermediate' && (!c.basicConstraintsValid || !c.isCA)) {
    return { kind: 'not-authorized-to-sign', message: 'x509: certificate is not authorized to sign other certificates', certificate: c };
  }
  if (c.basicConstraintsValid && c.maxPathLen >= 0 && chain.length - 1 > c.maxPathLen) {
    return { kind: 'path-length', message: 'x509: too many intermediates for path length constraint', certificate: c };
  }
  return undefined;
}

function checkValidity(c: GoCertificate, at: Date): GoError | undefined {
  const prefix = 'x509: certificate has expired or is not yet valid: ';
  if (at < c.notBefore) return { kind: 'expired', message: `${prefix}current time ${goTime(at)} is before ${goTime(c.notBefore)}`, certificate: c };
  if (at > c.notAfter) return { kind: 'expired', message: `${prefix}current time ${goTime(at)} is after ${goTime(c.notAfter)}`, certificate: c };
  return undefined;
}

const NAME_CONSTRAINTS = '2.5.29.30';
const MAX_CONSTRAINT_COMPARISONS = 250000;

/** Every name in every certificate below `ca` that has a SAN extension, against ca's constraints. */
function checkNameConstraints(ca: GoCertificate, chain: GoCertificate[]): GoError | undefined {
  const counter = { count: 0 };
  for (const member of chain) {
    const san = member.extensions.find((e) => e.oid === SUBJECT_ALT_NAME);
    if (!san) continue;
    let violation: GoError | undefined;
    forEachSan(san.value, (tag, data) => {
      violation ??= checkOneName(ca, tag, data, counter);
    });
    if (violation) return violation;
  }
  return undefined;
}

function checkOneName(ca: GoCertificate, tag: number, data: Buffer, counter: { count: number }): GoError | undefined {
  const constraints = ca.nameConstraints!;
  const name = data.toString('latin1');
  const plain = (message: string): GoError => ({ kind: 'name-constraints', message, certificate: ca });
  switch (tag) {
    case 1: {
      const mailbox = parseRfc2821Mailbox(name);
      if (!mailbox) return plain('x509: cannot parse rfc822Name {"" ""}');
      return checkConstraintList(ca, counter, 'email address', name, (constraint) => matchEmailConstraint(mailbox, constraint), constraints.permittedEmail, constraints.excludedEmail);
    }
    case 2:
      if (!domainToReverseLabels(name)) return plain(`x509: cannot parse dnsName ${goQuote(name)}`);
      return checkConstraintList(ca, counter, 'DNS name', name, (constraint) => matchDomainConstraint(name, constraint), constraints.permittedDns, constraints.excludedDns);
    case 6:
      return checkConstraintList(ca, counter, 'URI', name, (constraint) => matchUriConstraint(name, constraint), constraints.permittedUri, constraints.excludedUri);
    case 7:
      if (data.length !== 4 && data.length !== 16) return plain(`x509: internal error: IP SAN ${data.toString('hex')} failed to parse`);
      return checkConstraintList(ca, counter, 'IP address', goIpString(data), (constraint) => matchIpConstraint(data, constraint), constraints.permittedIp, constraints.excludedIp, formatIpNet);
    default:
      return undefined;
  }
}

function formatIpNet(net: { ip: Buffer; mask: Buffer }): string {
  const ones = [...net.mask].reduce((sum, byte) => sum + byte.toString(2).replace(/0/g, '').length, 0);
  const canonical = [...net.mask].every((b) => [0, 0x80, 0xc0, 0xe0, 0xf0, 0xf8, 0xfc, 0xfe, 0xff].includes(b));
  const masked = Buffer.from(net.ip.map((b, i) => b & net.mask[i]!));
  return `${goIpString(masked)}/${canonical ? ones : net.mask.toString('hex')}`;
}

/** checkNameConstraints: excluded first, then at least one permitted, counting comparisons. */
function checkConstraintList<T>(
  ca: GoCertificate, counter: { count: number }, nameType: string, name: string,
  match: (constraint: T) => MatchResult, permitted: T[], excluded: T[], show: (constraint: T) => string = String,
): GoError | undefined {
  const denied = (detail: string): GoError => ({
    kind: 'name-constraints',
    message: `x509: a root or intermediate certificate is not authorized to sign for this name: ${detail}`,
    certificate: ca,
  });
  const tooMany: GoError = { kind: 'too-much-work', message: 'x509: unknown error', certificate: ca };
  counter.count += excluded.length;
  if (counter.count > MAX_CONSTRAINT_COMPARISONS) return tooMany;
  for (const constraint of excluded) {
    const result = match(constraint);
    if (typeof result === 'object') return denied(result.error);
    if (result) return denied(`${nameType} ${goQuote(name)} is excluded by constraint ${goQuote(show(constraint))}`);
  }
  counter.count += permitted.length;
  if (counter.count > MAX_CONSTRAINT_COMPARISONS) return tooMany;
  let ok = true;
  for (const constraint of permitted) {
    const result = match(constraint);
    if (typeof result === 'object') return denied(result.error);
    ok = result;
    if (ok) break;
  }
  return ok ? undefined : denied(`${nameType} ${goQuote(name)} is not permitted by any constraint`);
}

// ---- signatures -------------------------------------------------------------------------------

const UNSUPPORTED = 'x509: cannot verify signature: algorithm unimplemented';
const KEY_TYPE_NAMES: Record<string, string> = { RSA: '*rsa.PublicKey', ECDSA: '*ecdsa.PublicKey', Ed25519: 'ed25519.PublicKey' };

/** CheckSignatureFrom: may the parent sign certificates at all, and did it sign this one. */
function checkSignatureFrom(child: GoCertificate, parent: GoCertificate): GoError | undefined {
  const signature = (message: string): GoError => ({ kind: 'signature', message, certificate: parent });
  if ((parent.version === 3 && !parent.basicConstraintsValid) || (parent.basicConstraintsValid && !parent.isCA)) {
    return signature('x509: invalid signature: parent certificate cannot sign this kind of certificate');
  }
  if (parent.keyUsage !== 0 && (parent.keyUsage & KEY_USAGE_CERT_SIGN) === 0) {
    return signature('x509: invalid signature: parent certificate cannot sign this kind of certificate');
  }
  if (parent.publicKeyAlgorithm === 'unknown') return signature(UNSUPPORTED);
  const failure = checkSignature(child.signatureAlgorithm, child.rawTbs, child.signature, parent);
  return failure ? signature(failure) : undefined;
}

function checkSignature(algorithm: GoSignatureAlgorithm, signed: Buffer, signatureBytes: Buffer, parent: GoCertificate): string | undefined {
  if (algorithm.hash === undefined && algorithm.publicKey !== 'Ed25519') return UNSUPPORTED;
  if (algorithm.hash === 'md5') return `x509: cannot verify signature: insecure algorithm ${algorithm.name}`;
  if (algorithm.hash === 'sha1') {
    const override = algorithm.name === 'SHA1-RSA' || algorithm.name === 'ECDSA-SHA1' ? ' (temporarily override with GODEBUG=x509sha1=1)' : '';
    return `x509: cannot verify signature: insecure algorithm ${algorithm.name}${override}`;
  }
  const keyType = parent.publicKeyAlgorithm;
  const typeName = KEY_TYPE_NAMES[keyType];
  if (!typeName || !parent.publicKey) return UNSUPPORTED;
  if (algorithm.publicKey !== keyType) {
    const expected = algorithm.publicKey === 'unknown' ? '0' : algorithm.publicKey;
    return `x509: signature algorithm specifies an ${expected} public key, but have public key of type ${typeName}`;
  }
  const key = parent.publicKey;
  const valid = (() => {
    try {
      if (keyType === 'RSA') {
        const padding = algorithm.pss
          ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
          : { key, padding: constants.RSA_PKCS1_PADDING };
        return signatureBytes.length === rsaModulusBytes(parent) && verifySignature(algorithm.hash!, signed, padding, signatureBytes);
      }
      return verifySignature(keyType === 'Ed25519' ? null : algorithm.hash!, signed, key, signatureBytes);
    } catch {
      return false;
    }
  })();
  if (valid) return undefined;
  return keyType === 'RSA' ? 'crypto/rsa: verification error' : `x509: ${keyType} verification failure`;
}

function rsaModulusBytes(certificate: GoCertificate): number {
  const bits = certificate.publicKey?.asymmetricKeyDetails?.modulusLength ?? 0;
  return Math.ceil(bits / 8);
}

// ---- host names -------------------------------------------------------------------------------

/** VerifyHostname: IPs only against IP SANs, names against DNS SANs; the CN is never used. */
function verifyHostname(c: GoCertificate, host: string): GoError | undefined {
  const candidateIp = host.length >= 3 && host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const ip = parseGoIp(candidateIp);
  if (ip) {
    const wanted = to16(ip);
    if (c.ipAddresses.some((candidate) => to16(candidate).equals(wanted))) return undefined;
    return hostnameError(c, candidateIp, true);
  }
  const name = toLowerAscii(host);
  const validName = validHostname(name, false);
  const matched = c.dnsNames.some((pattern) =>
    validName && validHostname(pattern, true) ? matchHostnames(pattern, name) : matchExactly(pattern, name));
  return matched ? undefined : hostnameError(c, host, false);
}

function to16(ip: Buffer): Buffer {
  return ip.length === 4 ? Buffer.concat([Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]), ip]) : ip;
}

function hostnameError(c: GoCertificate, host: string, isIp: boolean): GoError {
  const error = (message: string): GoError => ({ kind: 'hostname', message, certificate: c });
  const hasSan = c.extensions.some((e) => e.oid === SUBJECT_ALT_NAME);
  if (!hasSan && matchHostnames(c.commonName, host)) return error('x509: certificate relies on legacy Common Name field, use SANs instead');
  let valid: string;
  if (isIp) {
    if (c.ipAddresses.length === 0) return error(`x509: cannot validate certificate for ${host} because it doesn't contain any IP SANs`);
    valid = c.ipAddresses.map(goIpString).join(', ');
  } else {
    valid = c.dnsNames.join(', ');
  }
  if (valid.length === 0) return error(`x509: certificate is not valid for any names, but wanted to match ${host}`);
  return error(`x509: certificate is valid for ${valid}, not ${host}`);
}

// ---- extended key usage -----------------------------------------------------------------------

/** checkChainForKeyUsage: EKUs nest down the chain; a certificate without EKUs allows them all. */
function chainAllowsKeyUsage(chain: GoCertificate[], wanted: GoKeyUsage[]): boolean {
  const remaining = new Set(wanted);
  for (let i = chain.length - 1; i >= 0; i--) {
    const c = chain[i]!;
    if (c.extKeyUsage.length === 0 && c.unknownExtKeyUsage.length === 0) continue;
    if (c.extKeyUsage.includes('any')) continue;
    for (const usage of [...remaining]) {
      if (!c.extKeyUsage.includes(usage)) remaining.delete(usage);
    }
    if (remaining.size === 0) return false;
  }
  return true;
}
