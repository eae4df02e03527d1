import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  CA_NAMES, certificatePath, checkExpiration, clusterOf, inspectFile, loadIdentity, readClusterState, sandboxSpecs,
  type CertificateSpec, type ClusterValues, type ParsedCertificate, type SandboxState,
} from '../pki/index.js';
import type { Diagnostic } from '../lessons/diagnostic.js';
import type { QuestionSource } from './source.js';
import {
  saidInEvery, sameInEvery, type Choice, type Difficulty, type LocalizedText, type Question, type QuizTopic, type SingleChoiceQuestion, type TextQuestion,
} from './types.js';

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

/** The sandbox as the question builders read it. */
interface SandboxPki {
  dir: string;
  /** The questions' origin: `sandbox <dir>`. */
  source: string;
  cluster: ClusterValues;
  /** The control plane's certificates that could be read, by spec name, in kubeadm's order. */
  loaded: Map<string, Loaded>;
  /** The CAs among them, in `CA_NAMES` order. */
  cas: Loaded[];
}

interface GeneratedQuestions {
  questions: Question[];
  diagnostics: Diagnostic[];
}

export function generateSandboxQuestions(options: SandboxSourceOptions): GeneratedQuestions {
  const read = readSandboxPki(options);
  if ('problem' in read) return { questions: [], diagnostics: [{ file: options.dir, line: 0, severity: 'error', message: `no sandbox questions: ${read.problem}` }] };
  const { pki, diagnostics } = read;
  const questions: Question[] = [
    ...[...pki.loaded.values()].filter((entry) => entry.spec.kind !== 'ca').flatMap((entry) => certificateQuestions(pki, entry)),
    ...caValidityQuestions(pki),
    ...missingSanQuestions(pki),
    ...notASanQuestions(pki),
  ];
  try {
    questions.push(...expiresFirstQuestions(pki, options.now));
  } catch (error) {
    diagnostics.push({ file: pki.dir, line: 0, severity: 'warning', message: `no expiry question: ${(error as Error).message}` });
  }
  return { questions, diagnostics };
}

/** The sandbox's record and control-plane certificates, or why there are no questions from it. */
function readSandboxPki(options: SandboxSourceOptions): { pki: SandboxPki; diagnostics: Diagnostic[] } | { problem: string } {
  const { dir } = options;
  let state: SandboxState;
  try {
    state = readClusterState(dir);
  } catch (error) {
    return { problem: (error as Error).message };
  }
  if (state.profile !== undefined && state.profile !== 'kubeadm') return { problem: `the sandbox has the ${state.profile} profile; they are written for kubeadm's` };
  const cluster = clusterOf(state, options.now);
  const diagnostics: Diagnostic[] = [];
  const loaded = loadControlPlane(dir, state, diagnostics);
  const cas = CA_NAMES.map((name) => loaded.get(name)).filter((ca): ca is Loaded => ca !== undefined);
  return { pki: { dir, source: `sandbox ${dir}`, cluster, loaded, cas }, diagnostics };
}

/** Certificates that cannot be read are left out, each with a warning in `diagnostics`. */
function loadControlPlane(dir: string, state: SandboxState, diagnostics: Diagnostic[]): Map<string, Loaded> {
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
  return loaded;
}

/** What every generated question has; `id` without its `sandbox.` prefix. */
interface QuestionHead {
  id: string;
  topic: QuizTopic;
  difficulty: Difficulty;
  prompt: LocalizedText;
  explanation: LocalizedText;
}

function generated(pki: SandboxPki, head: QuestionHead) {
  const { topic, difficulty } = head;
  return {
    id: `sandbox.${head.id}`,
    topic,
    difficulty,
    lesson: topic,
    prompt: head.prompt,
    explanation: head.explanation,
    weight: difficulty,
    origin: { kind: 'generated' as const, source: pki.source },
  };
}

function literal(text: string): Choice {
  return { text: sameInEvery(text), literal: true };
}

function validityDays(certificate: ParsedCertificate): number {
  return Math.round((certificate.notAfter.getTime() - certificate.notBefore.getTime()) / DAY_MS);
}

function validityQuestion(pki: SandboxPki, head: QuestionHead, days: number): TextQuestion {
  return { ...generated(pki, head), type: 'text', normalize: 'duration', list: false, accepted: [[`${days} days`]] };
}

/** About one leaf certificate: its CN, the CA that signed it, and (apiserver, admin) how long it lives. */
function certificateQuestions(pki: SandboxPki, entry: Loaded): Question[] {
  return [cnQuestion(pki, entry), issuerQuestion(pki, entry), leafValidityQuestion(pki, entry)].filter((question) => question !== undefined);
}

/** The CN, as issued. */
function cnQuestion(pki: SandboxPki, { spec, shownPath, certificate }: Loaded): TextQuestion | undefined {
  const cn = certificate.subject.commonName;
  if (!cn) return undefined;
  return {
    ...generated(pki, {
      id: `cn.${idPart(spec.name)}`, topic: 'inspecting', difficulty: 1,
      prompt: saidInEvery('questions.sandbox.cn.prompt', { path: shownPath }),
      explanation: saidInEvery('questions.sandbox.cn.explanation', { file: join(pki.dir, shownPath), cn }),
    }),
    type: 'text',
    normalize: 'name',
    list: false,
    accepted: [[cn]],
  };
}

/** The CA that really signed it: the one whose subject is this certificate's issuer. */
function issuerQuestion(pki: SandboxPki, { spec, shownPath, certificate }: Loaded): SingleChoiceQuestion | undefined {
  const { cas } = pki;
  const signer = cas.find((ca) => ca.certificate.subjectDer.equals(certificate.issuerDer));
  if (!signer || cas.length < 2) return undefined;
  const expected = spec.signer === 'self' ? undefined : spec.signer;
  const differs = expected !== undefined && expected !== signer.spec.name;
  return {
    ...generated(pki, {
      id: `issuer.${idPart(spec.name)}`, topic: 'cluster-ca', difficulty: differs ? 3 : 2,
      prompt: saidInEvery('questions.sandbox.issuer.prompt', { path: shownPath }),
      explanation: issuerExplanation(signer, differs ? expected : undefined),
    }),
    type: 'single',
    choices: cas.map((ca) => literal(ca.shownPath)),
    answer: cas.indexOf(signer),
  };
}

/** How long it really lives. */
function leafValidityQuestion(pki: SandboxPki, { spec, shownPath, certificate }: Loaded): TextQuestion | undefined {
  if (spec.name !== 'apiserver' && spec.name !== 'admin') return undefined;
  const days = validityDays(certificate);
  const explanation = saidInEvery('questions.sandbox.validity.explanation', { notBefore: certificate.notBefore.toISOString(), notAfter: certificate.notAfter.toISOString(), days });
  const prompt = saidInEvery('questions.sandbox.validity.prompt', { path: shownPath });
  return validityQuestion(pki, { id: `validity.${idPart(spec.name)}`, topic: 'renewal', difficulty: 1, prompt, explanation }, days);
}

function caValidityQuestions(pki: SandboxPki): TextQuestion[] {
  const ca = pki.loaded.get('ca');
  if (!ca) return [];
  const days = validityDays(ca.certificate);
  const prompt = saidInEvery('questions.sandbox.validity.prompt', { path: ca.shownPath });
  const explanation = saidInEvery('questions.sandbox.validity.caExplanation', { days });
  return [validityQuestion(pki, { id: 'validity.ca', topic: 'cluster-ca', difficulty: 1, prompt, explanation }, days)];
}

function subjectAltNamesOf(entry: Loaded): string[] {
  return [...entry.certificate.subjectAltNames.dns, ...entry.certificate.subjectAltNames.ip];
}

/** Which SAN a client would miss, for the serving certificates that lack one kubeadm would have put in. */
function missingSanQuestions(pki: SandboxPki): TextQuestion[] {
  const questions: TextQuestion[] = [];
  for (const name of ['apiserver', 'etcd/server'] as const) {
    const entry = pki.loaded.get(name);
    const expected = entry?.spec.altNames?.(pki.cluster);
    if (!entry || !expected) continue;
    const actual = subjectAltNamesOf(entry);
    const missing = [...expected.dns, ...expected.ip].filter((san) => !actual.includes(san));
    if (missing.length === 0) continue;
    const many = missing.length > 1;
    questions.push({
      ...generated(pki, {
        id: `missing-san.${idPart(name)}`, topic: 'troubleshooting', difficulty: 3,
        prompt: saidInEvery(many ? 'questions.sandbox.missingSan.promptMany' : 'questions.sandbox.missingSan.prompt', { path: entry.shownPath }),
        explanation: saidInEvery('questions.sandbox.missingSan.explanation', { actual: actual.join(', '), missing: missing.join(', ') }),
      }),
      type: 'text',
      normalize: 'text',
      list: many,
      accepted: many ? [missing] : [[missing[0] ?? '']],
    });
  }
  return questions;
}

/** Which name is not in the apiserver certificate at all. */
function notASanQuestions(pki: SandboxPki): SingleChoiceQuestion[] {
  const { cluster } = pki;
  const apiserver = pki.loaded.get('apiserver');
  if (!apiserver) return [];
  const actual = subjectAltNamesOf(apiserver);
  const outsider = NEVER_APISERVER_SANS.find((candidate) => !actual.includes(candidate));
  // the learner's own node name and address, and the Service names every cluster has
  const insiders = [cluster.nodeName, cluster.advertiseAddress, `kubernetes.default.svc.${cluster.dnsDomain}`].filter((san) => actual.includes(san));
  if (!outsider || insiders.length < 2) return [];
  const choices = [...insiders, outsider].map(literal);
  return [{
    ...generated(pki, {
      id: 'not-a-san.apiserver', topic: 'server-certs', difficulty: 2,
      prompt: saidInEvery('questions.sandbox.notSan.prompt', { path: apiserver.shownPath }),
      explanation: saidInEvery('questions.sandbox.notSan.explanation', { actual: actual.join(', ') }),
    }),
    type: 'single',
    choices,
    answer: choices.length - 1,
  }];
}

/** Which certificate expires first, asked only when one clearly does. Throws when expiry cannot be checked. */
function expiresFirstQuestions(pki: SandboxPki, now: Date | undefined): SingleChoiceQuestion[] {
  const rows = checkExpiration(pki.dir, now).certificates.filter((row) => row.notAfter !== undefined);
  const sorted = [...rows].sort((a, b) => (a.notAfter?.getTime() ?? 0) - (b.notAfter?.getTime() ?? 0));
  const [first, second] = sorted;
  if (!first?.notAfter || !second?.notAfter || second.notAfter.getTime() - first.notAfter.getTime() <= EXPIRY_TIE_MS) return [];
  const others = sorted.slice(1).filter((_, index, all) => index % Math.max(1, Math.floor(all.length / 3)) === 0).slice(0, 3);
  const choices = [first, ...others].sort((a, b) => a.name.localeCompare(b.name));
  return [{
    ...generated(pki, {
      id: 'expires-first', topic: 'renewal', difficulty: 2,
      prompt: saidInEvery('questions.sandbox.expiresFirst.prompt'),
      explanation: saidInEvery('questions.sandbox.expiresFirst.explanation', { name: first.name, notAfter: first.notAfter.toISOString() }),
    }),
    type: 'single',
    choices: choices.map((row) => literal(row.name)),
    answer: choices.indexOf(first),
  }];
}

/** A spec name as part of a question id: `etcd/server` → `etcd-server`. */
function idPart(specName: string): string {
  return specName.replace('/', '-');
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
