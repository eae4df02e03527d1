import { relative } from 'node:path';
import { KubetlsError } from '../errors.js';
import { BASE_LANGUAGE, translate, type Language } from '../locale/catalogue.js';
import type { Diagnostic } from '../lessons/diagnostic.js';
import {
  breakCertificate, chooseManifestUse, checkManifests, fixCertificates, setManifestFlag, clusterOf, handshakeShowing, hasManifests, loadCertificateOnly, loadIdentity, readState, readWiring,
  resolveSandboxSpec, runHandshake, specsOfDir, timeWhenValid, verifyCertificate, wiredCas, wiredIdentity, writeManifests,
  type BreakResult, type CaName, type CertificateSpec, type FileUse, type FlagCheck, type Identity, type ParsedCertificate, type Purpose, type StaticPodComponent,
} from '../pki/index.js';
import { componentOf, manifestOptionsOf, purposesOf } from '../pki/manifests/static-pods.js';
import { assertSandbox } from '../pki/node/node-dir.js';
import { fixItQuestion, loadFixItTasks, type FixItDefinition } from './fixit.js';
import { counted } from './words.js';
import type { QuestionSource } from './source.js';
import type { FixItQuestion, TaskCheck, TaskGrade } from './types.js';

/**
 * Fix-it tasks on a real sandbox: `prepareTask` breaks it (after making sure that part works), the
 * learner repairs it with the real tools in another terminal, and `gradeTask` runs the real checks -
 * verify against the right CA with purpose, host and key, the SANs kubeadm puts there, the manifest
 * flags involved, and the handshake the fault broke. Nothing typed is ever compared.
 */

export interface TaskOptions {
  /** "Now" for validity checks and the fault (default: the current time). */
  now?: Date;
  /** The checks' own words (what the real tools print stays as printed); default English. */
  language?: Language;
}

/** What the TUI and the CLI need from a sandbox to run fix-it tasks; tests can hand in the real one. */
export interface TaskSandbox {
  dir: string;
  /** `checked`: the task's part was just graded working (an exam checks its repairs first), so it is not graded again. */
  prepare(task: FixItQuestion, options?: { checked?: TaskGrade }): Promise<PreparedTask>;
  grade(task: FixItQuestion): Promise<TaskGrade>;
  /** Undo what `prepare` broke (after the learner gave up), so the next task starts from a working sandbox. */
  restore(prepared: PreparedTask): Promise<string>;
}

export interface PreparedTask {
  task: FixItQuestion;
  fault: BreakResult;
  /** The grade right after the break: what fails now. */
  grade: TaskGrade;
}

export function sandboxTasks(dir: string, options: TaskOptions = {}): TaskSandbox {
  return { dir, prepare: (task, checked) => prepareTask(dir, task, { ...options, ...checked }), grade: (task) => gradeTask(dir, task, options), restore: (prepared) => restoreTask(dir, prepared, options) };
}

/** The course's fix-it tasks as questions for this sandbox (its node name, address and directory in the prompts). */
export function fixItQuestions(dir: string, options: { definitions?: FixItDefinition[] } = {}): { questions: FixItQuestion[]; diagnostics: Diagnostic[] } {
  let state: ReturnType<typeof readState>;
  try {
    state = readState(dir);
  } catch (error) {
    return { questions: [], diagnostics: [{ file: dir, line: 0, severity: 'error', message: `no fix-it tasks: ${(error as Error).message}` }] };
  }
  if ((state.profile ?? 'kubeadm') !== 'kubeadm') {
    return { questions: [], diagnostics: [{ file: dir, line: 0, severity: 'error', message: `no fix-it tasks: the sandbox has the ${state.profile} profile; the tasks are written for kubeadm's control plane` }] };
  }
  const loaded = options.definitions ? { tasks: options.definitions, diagnostics: [] } : loadFixItTasks();
  const cluster = clusterOf(state);
  const values = { ip: cluster.advertiseAddress, node: cluster.nodeName, svc: cluster.apiServerServiceIp, dir };
  return { questions: loaded.tasks.map((definition) => fixItQuestion(definition, values, `sandbox ${dir}`)), diagnostics: loaded.diagnostics };
}

export function fixItSource(dir: string): QuestionSource {
  return { name: `fix-it tasks for ${dir}`, questions: async () => fixItQuestions(dir) };
}

/**
 * Breaks the sandbox for one task. The part it breaks must work first: a task that fails before it is
 * set would pass or fail for reasons of its own. A sandbox made before kubetls wrote manifests gets them.
 */
export async function prepareTask(dir: string, task: FixItQuestion, options: TaskOptions & { checked?: TaskGrade } = {}): Promise<PreparedTask> {
  assertSandbox(dir);
  const state = readState(dir);
  if ((state.profile ?? 'kubeadm') !== 'kubeadm') throw KubetlsError.said('quiz.errors.not-kubeadm', { dir, profile: state.profile ?? '' }, { key: 'quiz.errors.not-kubeadm-hint' });
  if (!hasManifests(dir)) writeManifests(dir, clusterOf(state, options.now), specsOfDir(dir), manifestOptionsOf(dir));
  const before = options.checked ?? (await gradeTask(dir, task, options));
  const failing = before.checks.find((check) => !check.ok);
  if (failing) {
    throw KubetlsError.said('quiz.errors.already-broken', { id: task.id, check: failing.name, message: failing.message }, { key: 'quiz.errors.already-broken-hint', params: { dir } });
  }
  const fault = await breakCertificate({ dir, certificate: task.task.certificate, fault: task.task.fault, san: task.task.san, flag: task.task.flag, to: task.task.to, now: options.now });
  const grade = await gradeTask(dir, task, options);
  if (grade.passed) throw new Error(`task ${task.id}: the fault (${fault.detail}) fails none of the task's checks`);
  return { task, fault, grade };
}

/**
 * Repairs what a task broke, the way the explanation tells the learner to: the manifest flag set back
 * to kubeadm's path, or the certificate issued again from the cluster's settings. Returns what it did.
 */
export async function restoreTask(dir: string, prepared: PreparedTask, options: TaskOptions = {}): Promise<string> {
  assertSandbox(dir);
  const { fault } = prepared;
  if (fault.manifest) {
    setManifestFlag(dir, fault.manifest.component, fault.manifest.flag, fault.manifest.expected);
    return `${relative(dir, fault.manifest.file)}: ${fault.manifest.flag}=${fault.manifest.expected}`;
  }
  await fixCertificates({ dir, certificate: fault.certificate, now: options.now });
  return `kubetls pki fix --dir ${dir} --cert ${fault.certificate}`;
}

type Translate = (key: string, params?: Record<string, string | number>) => string;
type Cluster = ReturnType<typeof clusterOf>;
type Wiring = ReturnType<typeof readWiring>;

/** The real checks for one task, each with the message the real tool gives. Passed only when every one passes. */
export async function gradeTask(dir: string, task: FixItQuestion, options: TaskOptions = {}): Promise<TaskGrade> {
  const state = readState(dir);
  const now = options.now ?? new Date();
  const cluster = clusterOf(state, now);
  const spec = resolveSandboxSpec(dir, task.task.certificate);
  const use = task.task.fault === 'wrong-path' ? chooseManifestUse(spec, task.task.flag) : undefined;
  const pair = handshakeShowing(spec, use);
  const wiring = readWiring(dir, now);
  const language = options.language ?? BASE_LANGUAGE;
  const t: Translate = (key, params) => translate(language, `quiz.check.${key}`, params);
  const checks: TaskCheck[] = [];

  // 1. verify: the certificate against the CA kubeadm signs it with; for a CA flag, the peer's certificate against the CA file the flag names
  if (spec.kind === 'ca' && use && pair) checks.push(verifyThroughCaFlag(dir, spec, use, pair, wiring, cluster, t));
  else if (spec.kind === 'leaf' || spec.kind === 'kubeconfig') checks.push(verifyAgainstSigner(dir, spec, wiring, cluster, t));

  // 2. the SANs kubeadm puts there, one `verify --host` each
  if (spec.altNames && spec.kind === 'leaf') checks.push(sanCheck(dir, spec, wiring, cluster, t, language));

  // 3. the manifest flags the task involves
  if (wiring) checks.push(manifestCheck(dir, spec, pair, now, t, language));

  // 4. the handshake the fault broke
  if (pair) checks.push(await handshakeCheck(dir, pair, options.now, t));
  return { passed: checks.every((check) => check.ok), checks };
}

async function handshakeCheck(dir: string, pair: { server: string; client: string }, now: Date | undefined, t: Translate): Promise<TaskCheck> {
  const report = await runHandshake({ dir, server: pair.server, client: pair.client, now });
  const name = t('handshake', { client: pair.client, server: pair.server });
  const protocol = report.protocol ?? 'TLS';
  if (report.ok) return { name, ok: true, message: report.identity ? t('handshake-user', { protocol, user: report.identity.user }) : t('handshake-accepted', { protocol }) };
  const side = report.failure?.side === 'client' ? t('side-client') : t('side-server');
  return { name, ok: false, message: t('handshake-fails', { side, message: report.failure?.message ?? t('unknown-error') }) };
}

/** The identity as the component loads it (from the manifest), else from the table's path. */
function identityOf(dir: string, spec: CertificateSpec, wiring: Wiring, t: Translate): { identity: Identity } | { problem: string } {
  const wired = wiring ? wiredIdentity(wiring, spec) : undefined;
  if (wired && 'failure' in wired) return { problem: t('not-running', { component: wired.component, message: wired.failure.message }) };
  if (wired) return { identity: wired.identity };
  try {
    return { identity: loadIdentity(dir, spec.name) };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}

function certificateFileOf(spec: CertificateSpec): string {
  return spec.kind === 'kubeconfig' || spec.pemBundle ? spec.path : `${spec.path}.crt`;
}

function verifyAgainstSigner(dir: string, spec: CertificateSpec, wiring: Wiring, cluster: Cluster, t: Translate): TaskCheck {
  const loaded = identityOf(dir, spec, wiring, t);
  const shown = 'identity' in loaded ? relative(dir, loaded.identity.file) : certificateFileOf(spec);
  const signer = spec.signer as CaName;
  const name = t('verify', { file: shown, ca: signer });
  if (!('identity' in loaded)) return { name, ok: false, message: loaded.problem };
  const ca = loadCertificateOnly(dir, signer).certificate;
  const host = spec.server?.dialedHost(cluster);
  for (const purpose of purposesOf(spec)) {
    const report = verifyCertificate(loaded.identity.certificate, { cas: [ca], at: cluster.now, purpose, host: purpose === 'server' ? host : undefined, keyPair: loaded.identity.keyPair });
    if (!report.ok) return { name, ok: false, message: report.reason ?? t('verification-failed') };
  }
  const certificate = loaded.identity.certificate;
  const values = { ca: signer, usages: certificate.extKeyUsage?.join(', ') ?? t('any-usage'), date: certificate.notAfter.toISOString().slice(0, 10) };
  return { name, ok: true, message: host ? t('verified-host', { ...values, host }) : t('verified', values) };
}

/** For a CA flag: the certificate on the other side, verified against the CA file the flag names (what the component really does). */
function verifyThroughCaFlag(dir: string, spec: CertificateSpec, use: FileUse, pair: { server: string; client: string }, wiring: Wiring, cluster: Cluster, t: Translate): TaskCheck {
  const checksServers = use.verifies === 'servers';
  const peer = resolveSandboxSpec(dir, checksServers ? pair.server : pair.client);
  const loaded = identityOf(dir, peer, wiring, t);
  const name = t('verify-through', { peer: peer.name, flag: use.flag });
  if (!('identity' in loaded)) return { name, ok: false, message: loaded.problem };
  const runtime = wiring?.components.get(use.component as StaticPodComponent);
  if (runtime?.failure) return { name, ok: false, message: t('not-running', { component: use.component, message: runtime.failure.message }) };
  const cas = wiring ? wiredCas(wiring, use.component as StaticPodComponent, use.verifies!, spec.name as CaName)?.filter((ca) => ca.flag === use.flag) : undefined;
  const certificates: ParsedCertificate[] = cas?.[0]?.certificates ?? [loadCertificateOnly(dir, spec.name).certificate];
  const purpose: Purpose = checksServers ? 'server' : 'client';
  const host = checksServers ? peer.server?.dialedHost(cluster) : undefined;
  const report = verifyCertificate(loaded.identity.certificate, { cas: certificates, at: cluster.now, purpose, host });
  const values = { file: relative(dir, loaded.identity.file), ca: cas?.[0] ? relative(dir, cas[0].file) : `${spec.path}.crt` };
  return report.ok ? { name, ok: true, message: t('chains', values) } : { name, ok: false, message: t('chain-fails', { ...values, reason: report.reason ?? t('verification-failed') }) };
}

function sanCheck(dir: string, spec: CertificateSpec, wiring: Wiring, cluster: Cluster, t: Translate, language: Language): TaskCheck {
  const loaded = identityOf(dir, spec, wiring, t);
  const expected = spec.altNames!(cluster);
  const wanted = [...expected.dns, ...expected.ip];
  const name = t('sans', { file: 'identity' in loaded ? relative(dir, loaded.identity.file) : certificateFileOf(spec) });
  if (!('identity' in loaded)) return { name, ok: false, message: loaded.problem };
  const ca = loadCertificateOnly(dir, spec.signer as CaName).certificate;
  const missing = wanted.filter((host) => {
    const report = verifyCertificate(loaded.identity.certificate, { cas: [ca], at: timeWhenValid([loaded.identity.certificate, ca], cluster.now), host });
    return !report.checks.find((check) => check.check === 'host')?.ok;
  });
  return missing.length === 0
    ? { name, ok: true, message: counted(language, 'quiz.check.sans-ok', wanted.length, { names: wanted.join(', ') }) }
    : { name, ok: false, message: t('sans-missing', { missing: missing.join(', '), names: wanted.join(', ') }) };
}

/** The flags that name the task's certificate, and those the handshake's two components use for it. */
function manifestCheck(dir: string, spec: CertificateSpec, pair: { server: string; client: string } | undefined, now: Date, t: Translate, language: Language): TaskCheck {
  const report = checkManifests(dir, { now });
  const relevant = relevantFlag(dir, spec, pair);
  const serverComponent = pair ? componentOf(resolveSandboxSpec(dir, pair.server)) : undefined;
  const clientComponent = pair ? componentOf(resolveSandboxSpec(dir, pair.client)) : undefined;
  const flags = report.flags.filter(relevant);
  const components = new Set([serverComponent, clientComponent, componentOf(spec), ...flags.map((f) => f.component)]);
  const broken = report.manifests.filter((m) => components.has(m.component) && m.status !== 'ok');
  const wrong = flags.filter((flag) => !flag.ok);
  const name = t('manifest');
  if (broken.length > 0) return { name, ok: false, message: broken.map((m) => m.problem ?? m.status).join('; ') };
  if (wrong.length > 0) return { name, ok: false, message: wrong.map((flag) => t('flag-wrong', { component: flag.component, flag: flag.flag, value: flag.value ?? t('not-set'), message: flag.message })).join('; ') };
  return { name, ok: true, message: counted(language, 'quiz.check.flags-ok', flags.length, { components: [...new Set(flags.map((f) => f.component))].join(', ') }) };
}

/** Whether a flag is the task's: it names one of the certificates involved, or is a CA flag the handshake's two sides check each other with. */
function relevantFlag(dir: string, spec: CertificateSpec, pair: { server: string; client: string } | undefined): (flag: FlagCheck) => boolean {
  const involved = new Set([spec.name, ...(pair ? [pair.server, pair.client] : [])]);
  const clientSpec = pair ? resolveSandboxSpec(dir, pair.client) : undefined;
  const serverComponent = pair ? componentOf(resolveSandboxSpec(dir, pair.server)) : undefined;
  const clientComponent = clientSpec ? componentOf(clientSpec) : undefined;
  return (flag) => {
    const use = flag.use;
    if (!use) return false;
    if (involved.has(use.spec.name)) return true;
    // the CA flags the handshake's server checks clients with, and the client checks the server with
    if (flag.component === serverComponent && (use.use.verifies === 'clients' || use.use.verifies === 'peers')) return true;
    return flag.component === clientComponent && (use.use.verifies === 'servers' || use.use.verifies === 'peers') && use.spec.name === clientSpec?.trustsServersSignedBy;
  };
}
