import type { KeyObject } from 'node:crypto';
import type { KeyPair } from './keys.js';
import type { ParsedCertificate } from './x509.js';
import { GoParseError, parseGoCertificate, type GoCertificate } from './verify/go-certificate.js';
import { goTime, verifyGoChain, type GoError, type GoFailure, type GoKeyUsage } from './verify/go-verify.js';

/**
 * `kubetls verify`: the verdict Go's crypto/x509 gives (every Kubernetes component verifies with it),
 * in Go's words, and kubetls' explanation beside it. One verifier: src/pki/verify/go-verify.ts; the
 * tests hold it against Go itself and against openssl.
 */

export type Purpose = 'server' | 'client';
export type CheckName = 'chain' | 'validity' | 'purpose' | 'host' | 'key';

export interface VerifyOptions {
  /** Trusted CA certificates: the roots a path must end in (Go's VerifyOptions.Roots). */
  cas: ParsedCertificate[];
  /** Untrusted intermediates a path may go through (a server's chain after its leaf). */
  intermediates?: ParsedCertificate[];
  at?: Date;
  /** serverAuth or clientAuth through the whole chain; without it any extended key usage is accepted. */
  purpose?: Purpose;
  host?: string;
  keyPair?: KeyPair;
}

export interface CheckResult {
  check: CheckName;
  ok: boolean;
  /** Go's error text when it fails, a short statement when it passes. */
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  checks: CheckResult[];
  /** The chain Go built, leaf first, when it built one. */
  chain: ParsedCertificate[];
  /** The first failure, in Go's words. */
  reason: string | undefined;
  /** What kind of failure, for explanations and the quiz. */
  failure: GoFailure | 'key-mismatch' | undefined;
  /** kubetls' plain explanation of the failure (English; see explainFailure for the learner's language). */
  explanation: string | undefined;
}

/** crypto/tls's words when a certificate and a key do not belong together (tls.X509KeyPair). */
export const KEY_MISMATCH_MESSAGE = 'tls: private key does not match public key';

export function verifyCertificate(certificate: ParsedCertificate, options: VerifyOptions): VerifyReport {
  const at = options.at ?? new Date();
  const keyCheck = options.keyPair ? checkKey(certificate, options.keyPair.publicKey) : undefined;
  const verdict = goVerdict(certificate, options, at);
  const checks = verdict.error ? [failedCheck(verdict.error)] : passedChecks(certificate, verdict.chain, options, at);
  if (keyCheck) checks.push(keyCheck);
  const failed = checks.find((c) => !c.ok);
  const failure = verdict.error?.kind ?? (keyCheck && !keyCheck.ok ? 'key-mismatch' : undefined);
  return {
    ok: !failed,
    checks,
    chain: verdict.chain,
    reason: failed?.message,
    failure,
    explanation: verdict.error ? explainFailure(verdict.error, options) : failure === 'key-mismatch' ? EXPLANATIONS['key-mismatch'] : undefined,
  };
}

interface Verdict {
  chain: ParsedCertificate[];
  error: GoError | undefined;
}

function goVerdict(certificate: ParsedCertificate, options: VerifyOptions, at: Date): Verdict {
  const parsed = parseAll(certificate, options);
  if ('error' in parsed) return { chain: [], error: parsed.error };
  const keyUsages: GoKeyUsage[] = options.purpose === 'server' ? ['serverAuth'] : options.purpose === 'client' ? ['clientAuth'] : ['any'];
  const result = verifyGoChain(parsed.leaf, { roots: parsed.roots, intermediates: parsed.intermediates, at, dnsName: options.host, keyUsages });
  const known = [certificate, ...options.cas, ...(options.intermediates ?? [])];
  const chain = (result.chains[0] ?? []).map((member) => known.find((c) => c.der.equals(member.raw))!);
  return { chain, error: result.error };
}

/** Go parses every certificate before it verifies; one it cannot parse is an error of its own. */
function parseAll(certificate: ParsedCertificate, options: VerifyOptions): { leaf: GoCertificate; roots: GoCertificate[]; intermediates: GoCertificate[] } | { error: GoError } {
  const parse = (c: ParsedCertificate, role: string): GoCertificate | GoError => {
    try {
      return parseGoCertificate(c.der);
    } catch (error) {
      if (!(error instanceof GoParseError)) throw error;
      const prefix = role === 'leaf' ? '' : `${role} ${c.subject.commonName ?? '?'}: `;
      return { kind: 'parse', message: `${prefix}${error.message}` };
    }
  };
  const leaf = parse(certificate, 'leaf');
  if ('kind' in leaf) return { error: leaf };
  const roots: GoCertificate[] = [];
  for (const ca of options.cas) {
    const parsed = parse(ca, 'CA');
    if ('kind' in parsed) return { error: parsed };
    roots.push(parsed);
  }
  const intermediates: GoCertificate[] = [];
  for (const intermediate of options.intermediates ?? []) {
    const parsed = parse(intermediate, 'intermediate');
    if ('kind' in parsed) return { error: parsed };
    intermediates.push(parsed);
  }
  return { leaf, roots, intermediates };
}

function failedCheck(error: GoError): CheckResult {
  const check: CheckName = error.kind === 'expired' ? 'validity' : error.kind === 'hostname' ? 'host' : error.kind === 'incompatible-usage' ? 'purpose' : 'chain';
  return { check, ok: false, message: error.message };
}

function passedChecks(certificate: ParsedCertificate, chain: ParsedCertificate[], options: VerifyOptions, at: Date): CheckResult[] {
  const names = chain.map((c) => c.subject.commonName ?? '?');
  const checks: CheckResult[] = [
    { check: 'chain', ok: true, message: `chain: ${names.join(' -> ')}${chain.length > 1 ? ' (trusted)' : ' (the certificate itself is trusted)'}` },
    { check: 'validity', ok: true, message: `valid at ${goTime(at)} (${goTime(certificate.notBefore)} to ${goTime(certificate.notAfter)}), and so is every CA above it` },
  ];
  if (options.purpose) {
    const usage = options.purpose === 'server' ? 'serverAuth' : 'clientAuth';
    const have = certificate.extKeyUsage?.join(', ') ?? 'no extended key usage: any';
    checks.push({ check: 'purpose', ok: true, message: `usable as a TLS ${options.purpose}: ${usage} allowed by the certificate (${have}) and every CA above it` });
  }
  if (options.host) checks.push({ check: 'host', ok: true, message: `${options.host} is in the certificate's SANs` });
  return checks;
}

function checkKey(certificate: ParsedCertificate, publicKey: KeyObject): CheckResult {
  const spki = Buffer.from(publicKey.export({ type: 'spki', format: 'der' }));
  const ok = spki.equals(certificate.publicKey.spkiDer);
  return { check: 'key', ok, message: ok ? 'the private key matches the certificate' : KEY_MISMATCH_MESSAGE };
}

/**
 * A moment when all these certificates are valid: `preferred` if they are then, else the start of the
 * window they share. For questions other than expiry ("is this the right file?"), since Go stops at
 * the first problem and an expired certificate would hide the rest.
 */
export function timeWhenValid(certificates: ParsedCertificate[], preferred: Date): Date {
  const valid = (at: Date) => certificates.every((c) => at >= c.notBefore && at <= c.notAfter);
  if (valid(preferred)) return preferred;
  const start = new Date(Math.max(...certificates.map((c) => c.notBefore.getTime())));
  return valid(start) ? start : preferred;
}

// ---- explanations ------------------------------------------------------------------------------

const EXPLANATIONS: Record<GoFailure | 'key-mismatch', string> = {
  'parse': 'Go refuses to read this certificate at all, so no Kubernetes component will load it: it breaks a rule of the X.509 format that Go enforces',
  'unknown-authority': 'no CA you trust signed this certificate (nor any chain of intermediates that ends in one): it was issued by another CA, or its intermediate is missing (give it with --untrusted or after the leaf in the file)',
  'expired': 'the certificate is outside its notBefore..notAfter window at the time checked: renew it, or check the clock',
  'hostname': 'the name or IP the client dials must be in the certificate\'s subjectAltName: Go never falls back to the subject CN and a wildcard covers exactly one leftmost label',
  'incompatible-usage': 'the extended key usage does not allow this role (serverAuth for servers, clientAuth for clients), in the certificate or in a CA above it: a CA that lists usages limits every certificate below it',
  'not-authorized-to-sign': 'a certificate that is not a CA (basicConstraints CA:FALSE, or none at all) signed another certificate: only CA certificates may issue',
  'path-length': 'a CA\'s pathLenConstraint allows fewer intermediate CAs below it than this chain has',
  'name-constraints': 'a CA above this certificate has name constraints, and a name in the certificate is outside what it may sign for',
  'critical-extension': 'the certificate has an extension marked critical that Go does not understand; a verifier must refuse what it cannot check',
  'name-mismatch': 'the issuer name in the certificate does not match the subject of the CA that signed it',
  'signature': 'the candidate CA may not sign certificates, or its signature does not verify',
  'too-much-work': 'the chain is so tangled that Go stops looking before it finds a path',
  'key-mismatch': 'the private key file does not belong to the certificate: the certificate and key were made separately, or one of them was replaced',
};

/** kubetls' explanation of a Go failure, with the details that make it concrete. */
export function explainFailure(error: GoError, options: Pick<VerifyOptions, 'host'> = {}): string {
  const general = EXPLANATIONS[error.kind];
  if (error.kind === 'unknown-authority' && error.hint) {
    return `${general}. A CA with the right name was tried and refused: ${error.hint.error.message}`;
  }
  if (error.kind === 'hostname' && /legacy Common Name/.test(error.message)) {
    return `the certificate has no SAN extension and ${options.host ?? 'the host'} is only its CN; since Go 1.15 the CN is ignored: reissue it with the name in subjectAltName`;
  }
  if (error.role && error.role !== 'leaf' && error.certificate) {
    const which = `the CA certificate "${error.certificate.commonName || '?'}" above it`;
    return `${general.replace(/^the certificate( \(or a CA above it\))?/, which)}`;
  }
  return general;
}
