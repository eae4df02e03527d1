import type { KeyObject } from 'node:crypto';
import type { KeyPair } from '../certificates/keys.js';
import type { ParsedCertificate } from '../certificates/x509.js';
import { GoParseError, parseGoCertificate, type GoCertificate } from './go-certificate.js';
import { goTime, verifyGoChain, type GoError, type GoFailure, type GoKeyUsage } from './go-verify.js';
import { BASE_LANGUAGE, translate, translatorFor } from '../../locale/catalogue.js';

/**
 * `kubetls verify`: the verdict Go's crypto/x509 gives (every Kubernetes component verifies with it),
 * in Go's words, and kubetls' explanation beside it. One verifier: src/pki/verify/go-verify.ts; the
 * tests hold it against Go itself and against openssl.
 */

export type Purpose = 'server' | 'client';
export const CHECK_NAMES = ['chain', 'validity', 'purpose', 'host', 'key'] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

/** A check's name as the first column shows it, in `language`. */
export function checkName(check: CheckName, language: string = BASE_LANGUAGE): string {
  return translate(language, `verify.check-name.${check}`);
}

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
  /** The language of the explanation (a catalogue in locales/); Go's words stay as Go prints them. */
  language?: string;
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
  /** kubetls' plain explanation of the failure, in options.language. */
  explanation: string | undefined;
}

/** crypto/tls's words when a certificate and a key do not belong together (tls.X509KeyPair). */
export const KEY_MISMATCH_MESSAGE = 'tls: private key does not match public key';

export function verifyCertificate(certificate: ParsedCertificate, options: VerifyOptions): VerifyReport {
  const at = options.at ?? new Date();
  const keyCheck = options.keyPair ? checkKey(certificate, options.keyPair.publicKey, options.language) : undefined;
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
    explanation: verdict.error ? explainFailure(verdict.error, options) : failure === 'key-mismatch' ? translate(options.language ?? BASE_LANGUAGE, 'verify.explain.key-mismatch') : undefined,
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

/**
 * Go's view of a certificate, kept per DER buffer: a look at a sandbox verifies a dozen leaves against
 * the same three CAs, and parsing those again for each was a third of the manifests check.
 */
const parsedByDer = new WeakMap<Buffer, GoCertificate>();

function parsedForGo(der: Buffer): GoCertificate {
  let parsed = parsedByDer.get(der);
  if (!parsed) parsedByDer.set(der, (parsed = parseGoCertificate(der)));
  return parsed;
}

/** Go parses every certificate before it verifies; one it cannot parse is an error of its own. */
function parseAll(certificate: ParsedCertificate, options: VerifyOptions): { leaf: GoCertificate; roots: GoCertificate[]; intermediates: GoCertificate[] } | { error: GoError } {
  const parse = (c: ParsedCertificate, role: string): GoCertificate | GoError => {
    try {
      return parsedForGo(c.der);
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
  const t = translatorFor(options.language ?? BASE_LANGUAGE);
  const names = chain.map((c) => c.subject.commonName ?? '?').join(' -> ');
  const checks: CheckResult[] = [
    { check: 'chain', ok: true, message: t(chain.length > 1 ? 'verify.check.chain' : 'verify.check.chain-self', { names }) },
    { check: 'validity', ok: true, message: t('verify.check.validity', { at: goTime(at), from: goTime(certificate.notBefore), to: goTime(certificate.notAfter) }) },
  ];
  if (options.purpose) {
    const usage = options.purpose === 'server' ? 'serverAuth' : 'clientAuth';
    const have = certificate.extKeyUsage?.join(', ') ?? t('verify.check.any-usage');
    checks.push({ check: 'purpose', ok: true, message: t(`verify.check.purpose-${options.purpose}`, { usage, have }) });
  }
  if (options.host) checks.push({ check: 'host', ok: true, message: t('verify.check.host', { host: options.host }) });
  return checks;
}

function checkKey(certificate: ParsedCertificate, publicKey: KeyObject, language = BASE_LANGUAGE): CheckResult {
  const spki = Buffer.from(publicKey.export({ type: 'spki', format: 'der' }));
  const ok = spki.equals(certificate.publicKey.spkiDer);
  return { check: 'key', ok, message: ok ? translate(language, 'verify.check.key') : KEY_MISMATCH_MESSAGE };
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

/** kubetls' explanation of a Go failure in the learner's language, with the details that make it concrete. */
export function explainFailure(error: GoError, options: Pick<VerifyOptions, 'host' | 'language'> = {}): string {
  const t = translatorFor(options.language ?? BASE_LANGUAGE);
  if (error.kind === 'unknown-authority' && error.hint) {
    return t('verify.explain.unknown-authority-hint', { general: t('verify.explain.unknown-authority'), reason: error.hint.error.message });
  }
  if (error.kind === 'hostname' && /legacy Common Name/.test(error.message)) return t('verify.explain.hostname-cn', { host: options.host ?? '?' });
  if (error.kind === 'expired' && error.role && error.role !== 'leaf') return t('verify.explain.expired-ca', { ca: error.certificate?.commonName || '?' });
  return t(`verify.explain.${error.kind}`);
}
