import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  CA_NAMES, certificatePath, checkExpiration, clusterOf, inspectFile, loadIdentity, readClusterState, sandboxSpecs, type CertificateSpec, type ParsedCertificate,
} from '../pki/index.js';
import type { Diagnostic } from '../lessons/diagnostic.js';
import type { QuestionSource } from './source.js';
import { saidInEvery, sameInEvery, type Choice, type LocalizedText, type Question, type QuizTopic } from './types.js';

/**
 * Questions whose answers are read from the learner's own sandbox PKI when the quiz starts: the
 * CN of a certificate, the CA that really signed it, how long it really lives, which SAN a broken
 * certificate lacks, which certificate expires first. A node name, an address, a validity chosen
 * at `pki init` or a fault injected with `pki break` changes the answers, so none can be memorised.
 */

export interface SandboxSourceOptions {
  /** The sandbox directory (`kubetls pki init --dir`). */
  dir: string;
  /** "Now" for expiry questions; default: the current time. */
  now?: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Two expiry dates closer than this are a tie: "which expires first" would have no single answer. */
const EXPIRY_TIE_MS = 60 * 60 * 1000;
/** Names that kubeadm never puts in an apiserver certificate: distractors for "which is not a SAN". */
const NEVER_APISERVER_SANS = ['127.0.0.1', 'localhost', 'kube-apiserver', 'kubernetes.svc'];

export function sandboxSource(options: SandboxSourceOptions): QuestionSource {
  return {
    name: `sandbox ${options.dir}`,
    async questions() {
      return generateSandboxQuestions(options);
    },
  };
}

interface Loaded {
  spec: CertificateSpec;
  /** As the learner sees it: relative to the sandbox directory (`pki/apiserver.crt`, `admin.conf`). */
  shownPath: string;
  certificate: ParsedCertificate;
}

export function generateSandboxQuestions(options: SandboxSourceOptions): { questions: Question[]; diagnostics: Diagnostic[] } {
  const { dir } = options;
  const diagnostics: Diagnostic[] = [];
  const problem = (message: string): { questions: Question[]; diagnostics: Diagnostic[] } => ({
    questions: [],
    diagnostics: [{ file: dir, line: 0, severity: 'error', message }],
  });
  let state: ReturnType<typeof readClusterState>;
  try {
    state = readClusterState(dir);
  } catch (error) {
    return problem(`no sandbox questions: ${(error as Error).message}`);
  }
  if (state.profile !== undefined && state.profile !== 'kubeadm') return problem(`no sandbox questions: the sandbox has the ${state.profile} profile; they are written for kubeadm's`);
  const cluster = clusterOf(state, options.now);

  const loaded = new Map<string, Loaded>();
  // kubeadm's rows (without the etcd ones when etcd is external), not the kubelets': the questions are about the control plane
  for (const spec of sandboxSpecs({ ...state, nodes: [], workers: [] })) {
    if (spec.kind === 'service-account-key') continue;
    const file = spec.kind === 'kubeconfig' ? join(dir, spec.path) : certificatePath(dir, spec);
    if (!existsSync(file)) continue;
    try {
      // a kubeconfig holds the CA too: its client certificate is the identity's
      const certificate = spec.kind === 'kubeconfig' ? loadIdentity(dir, spec.name).certificate : firstCertificate(file);
      if (certificate) loaded.set(spec.name, { spec, shownPath: relative(dir, file), certificate });
    } catch (error) {
      diagnostics.push({ file, line: 0, severity: 'warning', message: `left out of the sandbox questions: ${(error as Error).message}` });
    }
  }
  const cas = CA_NAMES.map((name) => loaded.get(name)).filter((ca): ca is Loaded => ca !== undefined);
  const source = `sandbox ${dir}`;
  const questions: Question[] = [];
  const base = (id: string, topic: QuizTopic, difficulty: 1 | 2 | 3, prompt: LocalizedText, explanation: LocalizedText) => ({
    id: `sandbox.${id}`,
    topic,
    difficulty,
    lesson: topic,
    prompt,
    explanation,
    weight: difficulty,
    origin: { kind: 'generated' as const, source },
  });
  const literal = (text: string): Choice => ({ text: sameInEvery(text), literal: true });

  for (const { spec, shownPath, certificate } of loaded.values()) {
    if (spec.kind === 'ca') continue;
    const name = spec.name.replace('/', '-');
    // the CN, as issued
    const cn = certificate.subject.commonName;
    if (cn) {
      questions.push({
        ...base(`cn.${name}`, 'inspecting', 1, saidInEvery('questions.sandbox.cn.prompt', { path: shownPath }), saidInEvery('questions.sandbox.cn.explanation', { file: join(dir, shownPath), cn })),
        type: 'text',
        normalize: 'name',
        list: false,
        accepted: [[cn]],
      });
    }
    // the CA that really signed it: the one whose subject is this certificate's issuer
    const signer = cas.find((ca) => ca.certificate.subjectDer.equals(certificate.issuerDer));
    if (signer && cas.length >= 2) {
      const expected = spec.signer === 'self' ? undefined : spec.signer;
      const differs = expected !== undefined && expected !== signer.spec.name;
      questions.push({
        ...base(`issuer.${name}`, 'cluster-ca', differs ? 3 : 2, saidInEvery('questions.sandbox.issuer.prompt', { path: shownPath }), issuerExplanation(signer, differs ? expected : undefined)),
        type: 'single',
        choices: cas.map((ca) => literal(ca.shownPath)),
        answer: cas.indexOf(signer),
      });
    }
    // how long it really lives
    const days = Math.round((certificate.notAfter.getTime() - certificate.notBefore.getTime()) / DAY_MS);
    if (spec.name === 'apiserver' || spec.name === 'admin') {
      questions.push({
        ...base(`validity.${name}`, 'renewal', 1, saidInEvery('questions.sandbox.validity.prompt', { path: shownPath }), saidInEvery('questions.sandbox.validity.explanation', {
          notBefore: certificate.notBefore.toISOString(), notAfter: certificate.notAfter.toISOString(), days,
        })),
        type: 'text',
        normalize: 'duration',
        list: false,
        accepted: [[`${days} days`]],
      });
    }
  }
  const caCertificate = loaded.get('ca');
  if (caCertificate) {
    const days = Math.round((caCertificate.certificate.notAfter.getTime() - caCertificate.certificate.notBefore.getTime()) / DAY_MS);
    questions.push({
      ...base('validity.ca', 'cluster-ca', 1, saidInEvery('questions.sandbox.validity.prompt', { path: caCertificate.shownPath }), saidInEvery('questions.sandbox.validity.caExplanation', { days })),
      type: 'text',
      normalize: 'duration',
      list: false,
      accepted: [[`${days} days`]],
    });
  }

  // SANs: which one a client would miss, and which name is not there at all
  for (const name of ['apiserver', 'etcd/server'] as const) {
    const entry = loaded.get(name);
    const expected = entry?.spec.altNames?.(cluster);
    if (!entry || !expected) continue;
    const actual = [...entry.certificate.subjectAltNames.dns, ...entry.certificate.subjectAltNames.ip];
    const missing = [...expected.dns, ...expected.ip].filter((san) => !actual.includes(san));
    if (missing.length > 0) {
      questions.push({
        ...base(
          `missing-san.${name.replace('/', '-')}`, 'troubleshooting', 3,
          saidInEvery(missing.length > 1 ? 'questions.sandbox.missingSan.promptMany' : 'questions.sandbox.missingSan.prompt', { path: entry.shownPath }),
          saidInEvery('questions.sandbox.missingSan.explanation', { actual: actual.join(', '), missing: missing.join(', ') }),
        ),
        type: 'text',
        normalize: 'text',
        list: missing.length > 1,
        accepted: missing.length > 1 ? [missing] : [[missing[0] ?? '']],
      });
    }
  }
  const apiserver = loaded.get('apiserver');
  if (apiserver) {
    const actual = [...apiserver.certificate.subjectAltNames.dns, ...apiserver.certificate.subjectAltNames.ip];
    const outsider = NEVER_APISERVER_SANS.find((candidate) => !actual.includes(candidate));
    // the learner's own node name and address, and the Service names every cluster has
    const insiders = [cluster.nodeName, cluster.advertiseAddress, `kubernetes.default.svc.${cluster.dnsDomain}`].filter((san) => actual.includes(san));
    if (outsider && insiders.length >= 2) {
      const choices = [...insiders, outsider].map(literal);
      questions.push({
        ...base('not-a-san.apiserver', 'server-certs', 2, saidInEvery('questions.sandbox.notSan.prompt', { path: apiserver.shownPath }), saidInEvery('questions.sandbox.notSan.explanation', { actual: actual.join(', ') })),
        type: 'single',
        choices,
        answer: choices.length - 1,
      });
    }
  }

  // which certificate expires first (asked only when one clearly does)
  try {
    const rows = checkExpiration(dir, options.now).certificates.filter((row) => row.notAfter !== undefined);
    const sorted = [...rows].sort((a, b) => (a.notAfter?.getTime() ?? 0) - (b.notAfter?.getTime() ?? 0));
    const [first, second] = sorted;
    if (first?.notAfter && second?.notAfter && second.notAfter.getTime() - first.notAfter.getTime() > EXPIRY_TIE_MS) {
      const others = sorted.slice(1).filter((_, index, all) => index % Math.max(1, Math.floor(all.length / 3)) === 0).slice(0, 3);
      const choices = [first, ...others].sort((a, b) => a.name.localeCompare(b.name));
      questions.push({
        ...base('expires-first', 'renewal', 2, saidInEvery('questions.sandbox.expiresFirst.prompt'), saidInEvery('questions.sandbox.expiresFirst.explanation', { name: first.name, notAfter: first.notAfter.toISOString() })),
        type: 'single',
        choices: choices.map((row) => literal(row.name)),
        answer: choices.indexOf(first),
      });
    }
  } catch (error) {
    diagnostics.push({ file: dir, line: 0, severity: 'warning', message: `no expiry question: ${(error as Error).message}` });
  }
  return { questions, diagnostics };
}

/** Who signed it, and, when kubeadm would have used another CA, why its peers refuse it. */
function issuerExplanation(signer: Loaded, expected: string | undefined): LocalizedText {
  const params = { issuer: signer.certificate.subject.commonName ?? '?', caPath: signer.shownPath, expected: expected ?? '' };
  const said = saidInEvery('questions.sandbox.issuer.explanation', params);
  if (expected === undefined) return said;
  const wrong = saidInEvery('questions.sandbox.issuer.wrongCa', params);
  return Object.fromEntries(Object.entries(said).map(([language, text]) => [language, `${text}${wrong[language] ?? ''}`])) as LocalizedText;
}

function firstCertificate(file: string): ParsedCertificate | undefined {
  const item = inspectFile(file).find((candidate) => candidate.kind === 'certificate');
  return item?.kind === 'certificate' ? item.certificate : undefined;
}
