import { relative } from 'node:path';
import { KubetlsError } from '../errors.js';
import type { Diagnostic } from '../lessons/diagnostic.js';
import {
  breakCertificate, chooseManifestUse, checkManifests, fixCertificates, setManifestFlag, clusterOf, handshakeShowing, hasManifests, loadCertificateOnly, loadIdentity, readState, readWiring,
  resolveSandboxSpec, runHandshake, specsOfDir, timeWhenValid, verifyCertificate, wiredCas, wiredIdentity, writeManifests,
  type BreakResult, type CaName, type CertificateSpec, type FileUse, type FlagCheck, type Identity, type ParsedCertificate, type Purpose, type StaticPodComponent,
} from '../pki/index.js';
import { componentOf, manifestOptionsOf, purposesOf } from '../pki/manifests.js';
import { assertSandbox } from '../pki/node-dir.js';
import { fixItQuestion, loadFixItTasks, type FixItDefinition } from './fixit.js';
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
  if ((state.profile ?? 'kubeadm') !== 'kubeadm') throw new KubetlsError(`fix-it tasks need a kubeadm sandbox; ${dir} has the ${state.profile} profile`, { hint: `make one with \`kubetls pki init --dir DIR\`` });
  if (!hasManifests(dir)) writeManifests(dir, clusterOf(state, options.now), specsOfDir(dir), manifestOptionsOf(dir));
  const before = options.checked ?? (await gradeTask(dir, task, options));
  const failing = before.checks.find((check) => !check.ok);
  if (failing) {
    throw new KubetlsError(`the sandbox is already broken where task ${task.id} works (${failing.name}: ${failing.message})`, {
      hint: `repair it first, or start afresh with \`kubetls pki init --dir ${dir} --force\``,
    });
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

/** The real checks for one task, each with the message the real tool gives. Passed only when every one passes. */
export async function gradeTask(dir: string, task: FixItQuestion, options: TaskOptions = {}): Promise<TaskGrade> {
  const state = readState(dir);
  const now = options.now ?? new Date();
  const cluster = clusterOf(state, now);
  const spec = resolveSandboxSpec(dir, task.task.certificate);
  const use = task.task.fault === 'wrong-path' ? chooseManifestUse(spec, task.task.flag) : undefined;
  const pair = handshakeShowing(spec, use);
  const wiring = readWiring(dir, now);
  const checks: TaskCheck[] = [];

  // 1. verify: the certificate against the CA kubeadm signs it with; for a CA flag, the peer's certificate against the CA file the flag names
  if (spec.kind === 'ca' && use && pair) checks.push(verifyThroughCaFlag(dir, spec, use, pair, wiring, cluster.now, cluster));
  else if (spec.kind === 'leaf' || spec.kind === 'kubeconfig') checks.push(verifyAgainstSigner(dir, spec, wiring, cluster.now, cluster));

  // 2. the SANs kubeadm puts there, one `verify --host` each
  if (spec.altNames && spec.kind === 'leaf') checks.push(sanCheck(dir, spec, wiring, cluster));

  // 3. the manifest flags the task involves
  if (wiring) checks.push(manifestCheck(dir, spec, pair, now));

  // 4. the handshake the fault broke
  if (pair) {
    const report = await runHandshake({ dir, server: pair.server, client: pair.client, now: options.now });
    checks.push({
      name: `handshake ${pair.client} -> ${pair.server}`,
      ok: report.ok,
      message: report.ok
        ? `${report.protocol ?? 'TLS'}, ${report.identity ? `the server sees user "${report.identity.user}"` : 'accepted'}`
        : `fails on the ${report.failure?.side} side: ${report.failure?.message ?? 'unknown error'}`,
    });
  }
  return { passed: checks.every((check) => check.ok), checks };
}

/** The identity as the component loads it (from the manifest), else from the table's path. */
function identityOf(dir: string, spec: CertificateSpec, wiring: ReturnType<typeof readWiring>): { identity: Identity } | { problem: string } {
  const wired = wiring ? wiredIdentity(wiring, spec) : undefined;
  if (wired && 'failure' in wired) return { problem: `${wired.component} is not running: ${wired.failure.message}` };
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

function verifyAgainstSigner(dir: string, spec: CertificateSpec, wiring: ReturnType<typeof readWiring>, at: Date, cluster: ReturnType<typeof clusterOf>): TaskCheck {
  const loaded = identityOf(dir, spec, wiring);
  const shown = 'identity' in loaded ? relative(dir, loaded.identity.file) : certificateFileOf(spec);
  const signer = spec.signer as CaName;
  const name = `verify ${shown} (CA ${signer})`;
  if (!('identity' in loaded)) return { name, ok: false, message: loaded.problem };
  const ca = loadCertificateOnly(dir, signer).certificate;
  const host = spec.server?.dialedHost(cluster);
  for (const purpose of purposesOf(spec)) {
    const report = verifyCertificate(loaded.identity.certificate, { cas: [ca], at, purpose, host: purpose === 'server' ? host : undefined, keyPair: loaded.identity.keyPair });
    if (!report.ok) return { name, ok: false, message: report.reason ?? 'verification failed' };
  }
  const certificate = loaded.identity.certificate;
  return { name, ok: true, message: `chain to ${signer}, ${certificate.extKeyUsage?.join(', ') ?? 'any usage'}${host ? `, ${host} in the SANs` : ''}, valid until ${certificate.notAfter.toISOString().slice(0, 10)}, the key matches` };
}

/** For a CA flag: the certificate on the other side, verified against the CA file the flag names (what the component really does). */
function verifyThroughCaFlag(
  dir: string,
  spec: CertificateSpec,
  use: FileUse,
  pair: { server: string; client: string },
  wiring: ReturnType<typeof readWiring>,
  at: Date,
  cluster: ReturnType<typeof clusterOf>,
): TaskCheck {
  const checksServers = use.verifies === 'servers';
  const peer = resolveSandboxSpec(dir, checksServers ? pair.server : pair.client);
  const loaded = identityOf(dir, peer, wiring);
  const name = `verify ${peer.name} against ${use.flag}`;
  if (!('identity' in loaded)) return { name, ok: false, message: loaded.problem };
  const runtime = wiring?.components.get(use.component as StaticPodComponent);
  if (runtime?.failure) return { name, ok: false, message: `${use.component} is not running: ${runtime.failure.message}` };
  const cas = wiring ? wiredCas(wiring, use.component as StaticPodComponent, use.verifies!, spec.name as CaName)?.filter((ca) => ca.flag === use.flag) : undefined;
  const certificates: ParsedCertificate[] = cas?.[0]?.certificates ?? [loadCertificateOnly(dir, spec.name).certificate];
  const purpose: Purpose = checksServers ? 'server' : 'client';
  const host = checksServers ? peer.server?.dialedHost(cluster) : undefined;
  const report = verifyCertificate(loaded.identity.certificate, { cas: certificates, at, purpose, host });
  const shownCa = cas?.[0] ? relative(dir, cas[0].file) : `${spec.path}.crt`;
  return report.ok
    ? { name, ok: true, message: `${relative(dir, loaded.identity.file)} chains to ${shownCa}` }
    : { name, ok: false, message: `${relative(dir, loaded.identity.file)} against ${shownCa}: ${report.reason ?? 'verification failed'}` };
}

function sanCheck(dir: string, spec: CertificateSpec, wiring: ReturnType<typeof readWiring>, cluster: ReturnType<typeof clusterOf>): TaskCheck {
  const loaded = identityOf(dir, spec, wiring);
  const expected = spec.altNames!(cluster);
  const wanted = [...expected.dns, ...expected.ip];
  const name = `SANs of ${'identity' in loaded ? relative(dir, loaded.identity.file) : certificateFileOf(spec)}`;
  if (!('identity' in loaded)) return { name, ok: false, message: loaded.problem };
  const ca = loadCertificateOnly(dir, spec.signer as CaName).certificate;
  const missing = wanted.filter((host) => {
    const report = verifyCertificate(loaded.identity.certificate, { cas: [ca], at: timeWhenValid([loaded.identity.certificate, ca], cluster.now), host });
    return !report.checks.find((check) => check.check === 'host')?.ok;
  });
  return missing.length === 0
    ? { name, ok: true, message: `all ${wanted.length} names kubeadm puts there: ${wanted.join(', ')}` }
    : { name, ok: false, message: `missing ${missing.join(', ')} (kubeadm puts ${wanted.join(', ')})` };
}

/** The flags that name the task's certificate, and those the handshake's two components use for it. */
function manifestCheck(dir: string, spec: CertificateSpec, pair: { server: string; client: string } | undefined, now: Date): TaskCheck {
  const report = checkManifests(dir, { now });
  const involved = new Set([spec.name, ...(pair ? [pair.server, pair.client] : [])]);
  const serverSpec = pair ? resolveSandboxSpec(dir, pair.server) : undefined;
  const clientSpec = pair ? resolveSandboxSpec(dir, pair.client) : undefined;
  const serverComponent = serverSpec ? componentOf(serverSpec) : undefined;
  const clientComponent = clientSpec ? componentOf(clientSpec) : undefined;
  const relevant = (flag: FlagCheck): boolean => {
    const use = flag.use;
    if (!use) return false;
    if (involved.has(use.spec.name)) return true;
    // the CA flags the handshake's server checks clients with, and the client checks the server with
    if (flag.component === serverComponent && (use.use.verifies === 'clients' || use.use.verifies === 'peers')) return true;
    return flag.component === clientComponent && (use.use.verifies === 'servers' || use.use.verifies === 'peers') && use.spec.name === clientSpec?.trustsServersSignedBy;
  };
  const components = new Set([serverComponent, clientComponent, componentOf(spec), ...report.flags.filter(relevant).map((f) => f.component)]);
  const broken = report.manifests.filter((m) => components.has(m.component) && m.status !== 'ok');
  const flags = report.flags.filter(relevant);
  const wrong = flags.filter((flag) => !flag.ok);
  const name = 'manifest flags';
  if (broken.length > 0) return { name, ok: false, message: broken.map((m) => m.problem ?? m.status).join('; ') };
  if (wrong.length > 0) return { name, ok: false, message: wrong.map((flag) => `${flag.component} ${flag.flag}=${flag.value ?? '(not set)'}: ${flag.message}`).join('; ') };
  return { name, ok: true, message: `${flags.length} flag${flags.length === 1 ? '' : 's'} (${[...new Set(flags.map((f) => f.component))].join(', ')}) name the right files` };
}
