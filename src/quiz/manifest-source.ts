import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  KUBERNETES_DIR, checkManifests, clusterOf, expectedFlags, hasManifests, manifestOptionsOf, manifestsReadable, readClusterState, specsOfDir, staticPodComponentsOf,
  type ExpectedFlag, type FileUse, type StaticPodComponent,
} from '../pki/index.js';
import type { Diagnostic } from '../lessons/diagnostic.js';
import type { QuestionSource } from './source.js';
import { availableLanguages, translate } from '../locale/catalogue.js';
import { joinedInEvery, saidInEvery, sameInEvery, type Choice, type LocalizedText, type Question } from './types.js';

/**
 * "Which file should this flag point to?", asked about the learner's own static Pod manifests: the
 * answer comes from the certificate table when the quiz starts, the choices are files that exist in
 * the sandbox (the one the manifest names now among them, when a wrong-path fault changed it). When a
 * flag names the wrong file, "which flag is wrong?" is asked too, answered by the manifest check.
 */

export interface ManifestSourceOptions {
  dir: string;
  now?: Date;
}

const CHOICES = 4;

export function manifestSource(options: ManifestSourceOptions): QuestionSource {
  return { name: `manifests of ${options.dir}`, questions: async () => generateManifestQuestions(options) };
}

export function generateManifestQuestions(options: ManifestSourceOptions): { questions: Question[]; diagnostics: Diagnostic[] } {
  const { dir } = options;
  const none = (message: string) => ({ questions: [], diagnostics: [{ file: dir, line: 0, severity: 'warning' as const, message }] });
  let state: ReturnType<typeof readClusterState>;
  try {
    state = readClusterState(dir);
  } catch (error) {
    return { questions: [], diagnostics: [{ file: dir, line: 0, severity: 'error', message: `no manifest questions: ${(error as Error).message}` }] };
  }
  if ((state.profile ?? 'kubeadm') !== 'kubeadm') return none(`no manifest questions: the ${state.profile} profile has no static Pod manifests`);
  if (!hasManifests(dir)) return none(`no manifest questions: ${dir} has no manifests/ (re-create it with \`kubetls pki init --dir ${dir} --force\`)`);
  if (!manifestsReadable(dir)) return none(`no manifest questions: ${dir}/manifests is root's to read`);
  const cluster = clusterOf(state, options.now);
  const specs = specsOfDir(dir);
  const report = checkManifests(dir, { now: options.now });
  const files = sandboxFiles(dir);
  const source = `sandbox ${dir}`;
  const questions: Question[] = [];
  const literal = (text: string): Choice => ({ text: sameInEvery(text), literal: true });

  for (const component of staticPodComponentsOf(state)) {
    const manifest = report.manifests.find((m) => m.component === component);
    if (manifest?.status !== 'ok') continue;
    const flags = expectedFlags(component, cluster, specs, manifestOptionsOf(dir)).filter((flag): flag is ExpectedFlag & { use: NonNullable<ExpectedFlag['use']> } => flag.use !== undefined && flag.value !== '');
    for (const flag of flags) {
      const now = report.flags.find((check) => check.component === component && check.flag === flag.flag);
      const current = now?.value;
      const pool = candidatesFor(flag.use.use.file, flag.use.spec.kind === 'ca', files).filter((path) => path !== flag.value);
      // the file the manifest names now is the trap worth offering; then the files most like the answer
      const distractors = unique([...(current && current !== flag.value ? [current] : []), ...byLikeness(pool, flag.value)]).slice(0, CHOICES - 1);
      if (distractors.length < 2) continue;
      const choices = [flag.value, ...distractors].map(literal);
      const wrongNow = current !== undefined && current !== flag.value;
      questions.push({
        id: `manifest.${component}.${flag.flag.replace(/^--/, '')}`,
        topic: 'wiring',
        difficulty: flag.use.spec.kind === 'ca' ? 2 : 1,
        lesson: 'wiring',
        weight: flag.use.spec.kind === 'ca' ? 2 : 1,
        origin: { kind: 'generated', source },
        prompt: saidInEvery('questions.manifest.flagFile.prompt', { component, flag: flag.flag }),
        explanation: explain(component, flag, wrongNow ? current : undefined),
        type: 'single',
        choices,
        answer: 0,
      });
    }
    const fileChecks = report.flags.filter((check) => check.component === component && check.kind === 'file');
    const wrong = fileChecks.filter((check) => !check.ok);
    if (wrong.length > 0) {
      const right = fileChecks.filter((check) => check.ok).slice(0, Math.max(2, CHOICES - wrong.length));
      const options = [...wrong, ...right];
      const answer = wrong.map((_, index) => index);
      questions.push({
        id: `manifest.wrong-flag.${component}`,
        topic: 'troubleshooting',
        difficulty: 3,
        lesson: 'troubleshooting',
        weight: 3,
        origin: { kind: 'generated', source },
        prompt: saidInEvery(wrong.length > 1 ? 'questions.manifest.wrongFlag.promptMany' : 'questions.manifest.wrongFlag.prompt', { component }),
        explanation: joinedInEvery(
          wrong.map((check) => saidInEvery('questions.manifest.wrongFlag.explanation', { flag: check.flag, value: check.value ?? '', message: check.message, expected: check.expected ?? '' })),
          ' ',
        ),
        ...(wrong.length > 1 ? { type: 'multiple' as const, answer } : { type: 'single' as const, answer: 0 }),
        choices: options.map((check) => literal(`${check.flag}=${check.value ?? ''}`)),
      });
    }
  }
  return { questions, diagnostics: [] };
}

function explain(component: StaticPodComponent, flag: ExpectedFlag & { use: NonNullable<ExpectedFlag['use']> }, current: string | undefined): LocalizedText {
  const { spec, use } = flag.use;
  // the half (certificate, key) is a word of each language, so each language fills in its own
  const explained = Object.fromEntries(availableLanguages().map((language) => [
    language,
    translate(language, 'questions.manifest.flagFile.explanation', { component, flag: flag.flag, value: flag.value, name: spec.name, half: translate(language, `questions.manifest.half.${use.file}`) }),
  ])) as LocalizedText;
  const texts = current ? [explained, saidInEvery('questions.manifest.flagFile.trap', { current })] : [explained];
  return joinedInEvery(texts, '');
}

/** Every certificate, key and kubeconfig of the sandbox, as the host path a flag would name. */
function sandboxFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (relative: string) => {
    const absolute = join(dir, relative);
    if (!existsSync(absolute)) return;
    for (const name of readdirSync(absolute).sort()) {
      const path = relative ? `${relative}/${name}` : name;
      if (statSync(join(dir, path)).isDirectory()) {
        if (path === 'pki' || path === 'pki/etcd') walk(path);
      } else if (/\.(crt|key|pub|conf)$/.test(name)) {
        found.push(`${KUBERNETES_DIR}/${path}`);
      }
    }
  };
  walk('');
  walk('pki');
  return unique(found);
}

function candidatesFor(half: FileUse['file'], isCa: boolean, files: readonly string[]): string[] {
  const caFile = (path: string) => /\/(ca|front-proxy-ca)\.crt$/.test(path);
  switch (half) {
    case 'crt':
      return files.filter((path) => path.endsWith('.crt') && caFile(path) === isCa);
    case 'key':
      return files.filter((path) => path.endsWith('.key'));
    case 'pub':
      return files.filter((path) => path.endsWith('.pub') || path.endsWith('.key') || path.endsWith('/ca.crt'));
    case 'conf':
      return files.filter((path) => path.endsWith('.conf'));
  }
}

/** Files that look most like the answer first: the same directory, then the longest shared name. */
function byLikeness(pool: readonly string[], answer: string): string[] {
  const directory = (path: string) => path.slice(0, path.lastIndexOf('/'));
  const shared = (path: string) => {
    let length = 0;
    while (length < path.length && path[length] === answer[length]) length += 1;
    return length;
  };
  return [...pool].sort((a, b) => Number(directory(b) === directory(answer)) - Number(directory(a) === directory(answer)) || shared(b) - shared(a) || a.localeCompare(b));
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
