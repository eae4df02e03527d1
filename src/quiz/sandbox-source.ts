import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  CA_NAMES, certificatePath, checkExpiration, clusterOf, inspectFile, loadIdentity, readClusterState, sandboxSpecs, type CertificateSpec, type ParsedCertificate,
} from '../pki/index.js';
import type { Diagnostic } from '../lessons/diagnostic.js';
import type { QuestionSource } from './source.js';
import type { Choice, LocalizedText, Question, QuizTopic } from './types.js';
import { withParticle } from '../locale/particles.js';

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
  const literal = (text: string): Choice => ({ text: { en: text, ko: text }, literal: true });

  for (const { spec, shownPath, certificate } of loaded.values()) {
    if (spec.kind === 'ca') continue;
    const name = spec.name.replace('/', '-');
    // the CN, as issued
    const cn = certificate.subject.commonName;
    if (cn) {
      questions.push({
        ...base(`cn.${name}`, 'inspecting', 1, {
          en: `In your sandbox, what is the Common Name of ${shownPath}?`,
          ko: `여러분의 샌드박스에서 ${shownPath}의 Common Name은 무엇입니까?`,
        }, {
          en: `Read it with \`kubetls inspect ${join(dir, shownPath)}\` (or \`openssl x509 -noout -subject\`): CN = ${cn}.`,
          ko: `\`kubetls inspect ${join(dir, shownPath)}\`(또는 \`openssl x509 -noout -subject\`)로 읽으면 CN = ${cn}입니다.`,
        }),
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
        ...base(`issuer.${name}`, 'cluster-ca', differs ? 3 : 2, {
          en: `In your sandbox, which CA signed ${shownPath}?`,
          ko: `여러분의 샌드박스에서 ${shownPath}에는 어느 CA가 서명했습니까?`,
        }, {
          en: `Its issuer is ${signer.certificate.subject.commonName ?? '?'}, the subject of ${signer.shownPath}.${differs ? ` kubeadm signs it with ${expected}: this one was signed by the wrong CA, so its peers refuse it.` : ''}`,
          ko: `발급자가 ${signer.certificate.subject.commonName ?? '?'}, 곧 ${signer.shownPath}의 주체입니다.${differs ? ` kubeadm은 ${expected}로 서명합니다. 이 인증서는 잘못된 CA가 서명해서 상대방이 거부합니다.` : ''}`,
        }),
        type: 'single',
        choices: cas.map((ca) => literal(ca.shownPath)),
        answer: cas.indexOf(signer),
      });
    }
    // how long it really lives
    const days = Math.round((certificate.notAfter.getTime() - certificate.notBefore.getTime()) / DAY_MS);
    if (spec.name === 'apiserver' || spec.name === 'admin') {
      questions.push({
        ...base(`validity.${name}`, 'renewal', 1, {
          en: `In your sandbox, for how long (from notBefore to notAfter) is ${shownPath} valid?`,
          ko: `여러분의 샌드박스에서 ${shownPath}는 얼마 동안(notBefore부터 notAfter까지) 유효합니까?`,
        }, {
          en: `notBefore ${certificate.notBefore.toISOString()}, notAfter ${certificate.notAfter.toISOString()}: ${days} days.`,
          ko: `notBefore ${certificate.notBefore.toISOString()}, notAfter ${certificate.notAfter.toISOString()}: ${days}일입니다.`,
        }),
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
      ...base('validity.ca', 'cluster-ca', 1, {
        en: `In your sandbox, for how long (from notBefore to notAfter) is ${caCertificate.shownPath} valid?`,
        ko: `여러분의 샌드박스에서 ${caCertificate.shownPath}는 얼마 동안(notBefore부터 notAfter까지) 유효합니까?`,
      }, {
        en: `The CA's notAfter is ${days} days after its notBefore.`,
        ko: `이 CA의 notAfter는 notBefore로부터 ${days}일 뒤입니다.`,
      }),
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
        ...base(`missing-san.${name.replace('/', '-')}`, 'troubleshooting', 3, {
          en: `Clients of ${entry.shownPath} in your sandbox fail the name check. Which SAN that kubeadm would put there is missing?${missing.length > 1 ? ' (give all of them)' : ''}`,
          ko: `여러분의 샌드박스에서 ${entry.shownPath}의 클라이언트가 이름 검사에 실패합니다. kubeadm이라면 넣었을 SAN 중 무엇이 빠졌습니까?${missing.length > 1 ? ' (모두 쓰세요)' : ''}`,
        }, {
          en: `Its SANs are ${actual.join(', ')}; kubeadm would add ${missing.join(', ')} as well. Renewing copies the SANs, so re-create it (kubetls pki fix, like kubeadm init phase certs).`,
          ko: `SAN은 ${actual.join(', ')}이고, kubeadm이라면 ${missing.join(', ')}도 넣었을 것입니다. 갱신은 SAN을 그대로 복사하므로 새로 만드세요(kubeadm init phase certs처럼 kubetls pki fix).`,
        }),
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
        ...base('not-a-san.apiserver', 'server-certs', 2, {
          en: `Which of these is not a SAN of ${apiserver.shownPath} in your sandbox?`,
          ko: `다음 중 여러분의 샌드박스에 있는 ${apiserver.shownPath}의 SAN이 아닌 것은 무엇입니까?`,
        }, {
          en: `Its SANs are ${actual.join(', ')}.`,
          ko: `SAN은 ${actual.join(', ')}입니다.`,
        }),
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
        ...base('expires-first', 'renewal', 2, {
          en: 'Run `kubetls check-expiration` on your sandbox. Which of these certificates expires first?',
          ko: '샌드박스에서 `kubetls check-expiration`을 실행해 보세요. 다음 중 가장 먼저 만료되는 인증서는 무엇입니까?',
        }, {
          en: `${first.name} expires on ${first.notAfter.toISOString()}, before every other certificate in the table.`,
          ko: `${withParticle(first.name, '은')} ${first.notAfter.toISOString()}에 만료되어, 표의 다른 어떤 인증서보다 먼저 만료됩니다.`,
        }),
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

function firstCertificate(file: string): ParsedCertificate | undefined {
  const item = inspectFile(file).find((candidate) => candidate.kind === 'certificate');
  return item?.kind === 'certificate' ? item.certificate : undefined;
}
