import type { Widgets } from 'blessed';
import blessed from '../blessed.cjs';
import { cpSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { View } from '../app.js';
import type { AppContext } from '../context.js';
import type { Binding } from '../keymap.js';
import type { ModelEntry } from '../../pki/index.js';
import type { SandboxAction } from '../../lessons/catalog.js';
import { choose, confirm, input, progress, showText, textColumns, type DialogHost, type Modal } from '../dialogs.js';
import { translate, type Params } from '../../locale/catalogue.js';
import { errorLine, guardedAction } from '../error-line.js';
import { verifyLines } from '../verify-lines.js';
import { escapeTags, paint } from '../theme.js';
import { scrollText, selectList, type ScrollText, type SelectList } from '../widgets.js';
import { wrapTagged } from '../width.js';
import { hostClusterView } from './host-cluster.js';

/**
 * The learner's PKI as a tree of CAs and what they signed; the selected certificate's inspect view;
 * and the actions: generate, verify, handshake, break, renew, fix, CSR flow, export, check-expiration.
 */

type Pki = typeof import('../../pki/index.js');

interface TreeRow {
  name: string | undefined;
  label: string;
}

const TREE_WIDTH = 34;
const MANIFESTS_ROW = 'manifests/';

export interface SandboxOptions {
  /** Steps from a lesson's "Try it" to offer right away. */
  actions?: SandboxAction[];
  /**
   * Opened from an exam: look, verify, handshake and check expiration only. The faults kubetls recorded
   * are not named and nothing is repaired or remade from here; the learner diagnoses as on a real node.
   */
  inspectOnly?: boolean;
}

/** The screen's state: the sandbox's directory, the tree drawn from it, what is selected, and where it draws. */
interface Sandbox {
  context: AppContext;
  options: SandboxOptions;
  dir: string;
  pki?: Pki;
  tree?: SelectList;
  detail?: ScrollText;
  /** The "no sandbox yet" box, while there is none. */
  empty?: Widgets.BoxElement;
  rows: TreeRow[];
  selectedName?: string;
  focus: 'tree' | 'detail';
  parent?: Widgets.BoxElement;
  /** A lesson's "Try it" steps, offered once the tree is up. */
  pendingActions: SandboxAction[];
  /** This machine's own cluster, offered read-only when there is one. */
  hostDir?: string;
}

export function sandboxView(context: AppContext, options: SandboxOptions = {}): View {
  const sandbox: Sandbox = { context, options, dir: context.session.sandboxDir, rows: [], focus: 'tree', pendingActions: options.actions ?? [] };
  return {
    title: () => context.shell.t('sandboxTitle'),
    bindings: () => sandboxBindings(sandbox),
    mount: (body) => mountSandbox(sandbox, body),
    unmount: () => unmountSandbox(sandbox),
  };
}

function sandboxBindings(sandbox: Sandbox): Binding[] {
  const { context, options } = sandbox;
  const { shell } = context;
  const guarded = (run: () => unknown) => guardedAction(shell, run);
  const hostDir = sandbox.hostDir;
  return [
    { keys: ['up', 'k'], display: '↑↓', ascii: 'Up/Down', label: 'keyMove', status: true, run: () => treeMove(sandbox, -1) },
    { keys: ['down', 'j'], display: '↓/j', label: 'keyMove', run: () => treeMove(sandbox, 1) },
    { keys: ['pageup'], display: 'PgUp', label: 'keyPage', run: () => (sandbox.focus === 'detail' ? sandbox.detail?.page(-1) : treeMove(sandbox, -5)) },
    { keys: ['pagedown'], display: 'PgDn', label: 'keyPage', run: () => (sandbox.focus === 'detail' ? sandbox.detail?.page(1) : treeMove(sandbox, 5)) },
    { keys: ['g', 'home'], display: 'g', label: 'keyTop', run: () => treeMove(sandbox, -sandbox.rows.length) },
    { keys: ['S-g', 'end'], display: 'G', label: 'keyBottom', run: () => treeMove(sandbox, sandbox.rows.length) },
    { keys: ['tab'], display: 'Tab', label: 'keyPane', run: () => { sandbox.focus = sandbox.focus === 'tree' ? 'detail' : 'tree'; } },
    { keys: ['enter', 'z'], display: '⏎', ascii: 'Enter', label: 'keyOpen', status: true, run: guarded(() => zoom(sandbox)) },
    ...(options.inspectOnly ? [] : [{ keys: ['i'], display: 'i', label: 'keyGenerate', status: true, run: guarded(() => generate(sandbox)) } satisfies Binding]),
    { keys: ['v'], display: 'v', label: 'keyVerify', status: true, run: guarded(() => verify(sandbox)) },
    { keys: ['h'], display: 'h', label: 'keyHandshake', status: true, run: guarded(() => handshake(sandbox)) },
    ...(options.inspectOnly
      ? []
      : ([
          { keys: ['b'], display: 'b', label: 'keyBreak', status: true, run: guarded(() => breakSelected(sandbox)) },
          { keys: ['r'], display: 'r', label: 'keyRenew', status: true, run: guarded(() => renew(sandbox)) },
          { keys: ['f'], display: 'f', label: 'keyFix', run: guarded(() => fix(sandbox)) },
          { keys: ['c'], display: 'c', label: 'keyCsr', run: guarded(() => csrFlow(sandbox)) },
          { keys: ['e'], display: 'e', label: 'keyExport', run: guarded(() => exportSandbox(sandbox)) },
        ] satisfies Binding[])),
    { keys: ['x'], display: 'x', label: 'keyExpiration', run: guarded(() => expiration(sandbox)) },
    ...(hostDir && !options.inspectOnly ? [{ keys: ['o'], display: 'o', label: 'keyHostCluster', run: () => shell.open(hostClusterView(context, hostDir)) } satisfies Binding] : []),
  ];
}

function mountSandbox(sandbox: Sandbox, body: Widgets.BoxElement): Promise<void> {
  const { shell } = sandbox.context;
  sandbox.parent = body;
  sandbox.tree = selectList(body, shell.theme(), { top: 0, left: 0, width: TREE_WIDTH, height: '100%', items: [], border: true, label: shell.t('sandboxTitle') });
  sandbox.detail = scrollText(body, shell.theme(), { top: 0, left: TREE_WIDTH, width: `100%-${TREE_WIDTH}`, height: '100%', content: '', border: true, wrap: true });
  const ready = reload(sandbox);
  // the lesson's "Try it" steps are offered once the tree is up (a dialog of their own, not loading)
  void ready.then(() => offerActions(sandbox)).catch((error: unknown) => shell.notify(errorLine(error, language(sandbox)), 'bad'));
  void load(sandbox).then((p) => offerHostCluster(sandbox, p));
  // what fails while loading is said just above, in the learner's language
  return ready.catch(() => undefined);
}

/** This machine's own cluster, when there is one other than the sandbox (never from an exam). */
function offerHostCluster(sandbox: Sandbox, p: Pki): void {
  const { shell } = sandbox.context;
  const candidate = p.hostKubernetesDir();
  sandbox.hostDir = existsSync(candidate) && resolve(candidate) !== resolve(sandbox.dir) && !sandbox.options.inspectOnly ? candidate : undefined;
  if (sandbox.hostDir && sandbox.parent) shell.notify(shell.t('sandboxHostClusterOffer'), 'info');
}

function unmountSandbox(sandbox: Sandbox): void {
  sandbox.tree?.element.destroy();
  sandbox.detail?.element.destroy();
  sandbox.empty?.destroy();
  sandbox.tree = undefined;
  sandbox.detail = undefined;
  sandbox.empty = undefined;
}

const load = async (sandbox: Sandbox): Promise<Pki> => (sandbox.pki ??= await import('../../pki/index.js'));
const language = (sandbox: Sandbox) => sandbox.context.shell.preferences().language;
/** The screen's own words beyond the app's menus (sandbox.yaml), in the learner's language. */
const say = (sandbox: Sandbox, key: string, params?: Params) => translate(language(sandbox), `sandbox.${key}`, params);
const exists = (sandbox: Sandbox) => hasSandboxRecord(sandbox.dir);
const hasSandboxRecord = (dir: string) => existsSync(join(dir, 'kubetls-sandbox.json'));
const relative = (sandbox: Sandbox, file: string) => (file.startsWith(sandbox.dir) ? file.slice(sandbox.dir.length + 1) : file);

/** ✓ or ✗ for a verdict, a dot for none. */
function mark(sandbox: Sandbox, ok: boolean | undefined): string {
  const { shell } = sandbox.context;
  return ok === undefined ? (shell.unicode ? '•' : '*') : ok ? paint(shell.theme(), 'ok', shell.unicode ? '✓' : '+') : paint(shell.theme(), 'bad', shell.unicode ? '✗' : 'x');
}

/** The sandbox's own table: its profile's certificates (kube-proxy in the hard way), its nodes, its users, under their CAs. */
function buildRows(sandbox: Sandbox, p: Pki): TreeRow[] {
  const { dir, options } = sandbox;
  const { shell } = sandbox.context;
  const model = p.readSandboxModel(dir);
  // read-only (an exam or practice task): no verdict at all; the learner verifies, as on a node
  const health = (entry: ModelEntry | undefined): boolean | undefined => (options.inspectOnly || !entry ? undefined : entry.status === 'ok');
  const result: TreeRow[] = [];
  const branch = shell.unicode ? '├─ ' : '|- ';
  const last = shell.unicode ? '└─ ' : '`- ';
  for (const { ca, children } of model.groups) {
    result.push({ name: ca?.spec.name, label: ca ? `${mark(sandbox, health(ca))} {bold}${escapeTags(ca.spec.name)}{/bold}` : `  ${paint(shell.theme(), 'muted', shell.t('sandboxSelfSignedGroup'))}` });
    const rows = children.map((child) => ({ name: child.spec.name, entry: child as ModelEntry | undefined }));
    if (ca?.spec.name === 'ca') rows.push(...model.users.map((user) => ({ name: `users/${user}`, entry: undefined })));
    rows.forEach(({ name, entry }, i) => {
      const fault = options.inspectOnly ? undefined : entry?.fault;
      const note = fault ? ` ${paint(shell.theme(), 'bad', fault.fault)}` : '';
      result.push({ name, label: `${i === rows.length - 1 ? last : branch}${mark(sandbox, health(entry))} ${escapeTags(name)}${note}` });
    });
  }
  if (model.serviceAccountKey) result.push({ name: undefined, label: `  ${paint(shell.theme(), 'muted', 'sa.key / sa.pub')}` });
  // the manifests' verdict comes a frame later (manifestsVerdictLater): the tree is drawn first
  if (p.hasManifests(dir)) result.push({ name: MANIFESTS_ROW, label: manifestsLabel(sandbox, undefined) });
  return result;
}

function manifestsLabel(sandbox: Sandbox, ok: boolean | undefined): string {
  return `${ok === undefined && !sandbox.options.inspectOnly ? pendingMark(sandbox) : mark(sandbox, ok)} manifests/`;
}

function pendingMark(sandbox: Sandbox): string {
  return paint(sandbox.context.shell.theme(), 'muted', sandbox.context.shell.unicode ? '…' : '.');
}

/**
 * Checking every file flag of the manifests is the slowest part of a look at the sandbox (~50 ms): the
 * tree is drawn with the row pending and the verdict put in right after, unless the screen has gone.
 */
function manifestsVerdictLater(sandbox: Sandbox, p: Pki): void {
  if (sandbox.options.inspectOnly) return;
  const rows = sandbox.rows;
  setImmediate(() => {
    const index = rows.findIndex((row) => row.name === MANIFESTS_ROW);
    if (index === -1 || sandbox.rows !== rows || !sandbox.tree) return;
    const ok = p.checkManifests(sandbox.dir, { language: language(sandbox) }).ok;
    rows[index] = { ...rows[index]!, label: manifestsLabel(sandbox, ok) };
    showRows(sandbox, sandbox.tree.selected());
    sandbox.context.shell.render();
  });
}

/** The right-hand pane: the selected certificate, the manifests' flags, or what sa.key is. */
async function describeSelected(sandbox: Sandbox): Promise<void> {
  const { detail } = sandbox;
  const { shell } = sandbox.context;
  if (!detail) return;
  const p = await load(sandbox);
  const row = sandbox.rows[sandbox.tree?.selected() ?? 0];
  sandbox.selectedName = row?.name;
  if (row?.name === MANIFESTS_ROW) {
    detail.element.setContent(manifestsText(sandbox, p));
    detail.top();
    shell.render();
    return;
  }
  if (!row?.name) {
    detail.element.setContent(escapeTags(say(sandbox, 'sa')));
    shell.render();
    return;
  }
  detail.element.setContent(certificateText(sandbox, p, row.name, { narrow: true }));
  detail.top();
  shell.render();
}

/** The static Pod manifests: every file flag, and whether it names the right file (pki check-manifests). */
function manifestsText(sandbox: Sandbox, p: Pki): string {
  const { dir } = sandbox;
  const theme = sandbox.context.shell.theme();
  const report = p.checkManifests(dir, { language: language(sandbox) });
  // what is wrong first
  const flags = [...report.flags.filter((flag) => !flag.ok), ...report.flags.filter((flag) => flag.ok)];
  const lines = flags.map((flag) => `${mark(sandbox, flag.ok)} ${escapeTags(`${flag.component} ${flag.flag}=${flag.value ?? say(sandbox, 'flag-missing')}`)}${flag.ok ? '' : `\n    ${paint(theme, 'bad', escapeTags(flag.message))}`}`);
  const problems = report.manifests.filter((m) => m.status !== 'ok').map((m) => paint(theme, 'bad', escapeTags(m.problem ?? `${m.shownFile}: ${m.status}`)));
  return [paint(theme, 'muted', `$ kubetls pki check-manifests --dir ${dir}`), '', ...problems, ...lines].join('\n');
}

/**
 * A certificate: its file, what it is for, who uses it with which flag, then as `openssl x509 -text`
 * shows it. In the narrow pane beside the tree openssl's 4-space steps are 2, so a line such as
 * `Not Before: <date>` fits whole instead of wrapping inside its date; the full view (z) keeps 4.
 */
function certificateText(sandbox: Sandbox, p: Pki, name: string, { narrow }: { narrow: boolean }): string {
  const identity = p.loadIdentity(sandbox.dir, name);
  const spec = identity.spec;
  const theme = sandbox.context.shell.theme();
  const header = [
    paint(theme, 'accent', `${spec.name}  (${relative(sandbox, identity.file)})`),
    escapeTags(p.purposeOf(spec, language(sandbox))),
    ...spec.usedBy.map((use) => `  ${paint(theme, 'muted', use.component)} ${escapeTags(use.flag)} ${paint(theme, 'muted', `(.${use.file})`)}`),
    '',
  ];
  const dump = p.formatCertificateText(identity.certificate);
  return [...header, escapeTags(narrow ? dump.replace(/^ +/gm, (indent) => ' '.repeat(Math.ceil(indent.length / 2))) : dump)].join('\n');
}

/** `$ command` as a dialog shows it: muted, wrapped with ` \\` like lesson code. */
async function shownCommand(sandbox: Sandbox, command: string): Promise<string[]> {
  const { shell } = sandbox.context;
  const { wrapShellCommand } = await import('../../lessons/render.js');
  return wrapShellCommand(`$ ${command}`, textColumns(shell.dialogs)).map((line) => paint(shell.theme(), 'muted', line));
}

/** The tree drawn again from the sandbox, the same certificate selected; the empty box when there is none. */
async function reload(sandbox: Sandbox): Promise<void> {
  if (!sandbox.parent) return;
  if (!exists(sandbox)) {
    showEmpty(sandbox);
    return;
  }
  sandbox.empty?.destroy();
  sandbox.empty = undefined;
  const p = await load(sandbox);
  sandbox.rows = buildRows(sandbox, p);
  showRows(sandbox, sandbox.selectedName === undefined ? 0 : Math.max(0, sandbox.rows.findIndex((r) => r.name === sandbox.selectedName)));
  await describeSelected(sandbox);
  manifestsVerdictLater(sandbox, p);
}

/** The tree's rows as they are now, with row `selected` selected. */
function showRows(sandbox: Sandbox, selected: number): void {
  sandbox.tree?.setItems(sandbox.rows.map((r) => ({ label: r.label, markup: true })));
  sandbox.tree?.select(selected);
}

function showEmpty(sandbox: Sandbox): void {
  const { parent, dir } = sandbox;
  const { shell } = sandbox.context;
  if (!parent || sandbox.empty) return;
  // wrapped here, at spaces: blessed breaks a line with Hangul in it anywhere, a path included
  const width = Math.floor((parent.width as number) * 0.8);
  const content = wrapTagged(escapeTags(shell.t('sandboxEmpty', { dir })), width - 4);
  const height = Math.max(5, content.split('\n').length + 4);
  sandbox.empty = blessed.box({ parent, top: 'center', left: 'center', width, height, tags: true, border: { type: 'line' }, align: 'center', valign: 'middle', content });
  shell.render();
}

/** The selected row's certificate, when it is one and there is a sandbox. */
function requireCertificate(sandbox: Sandbox): string | undefined {
  const name = sandbox.rows[sandbox.tree?.selected() ?? 0]?.name;
  if (!name || name === MANIFESTS_ROW || !exists(sandbox)) return undefined;
  return name;
}

/** The selected certificate when it is not a CA (break, renew and fix leave CAs alone). */
async function leafOnly(sandbox: Sandbox): Promise<string | undefined> {
  const { shell } = sandbox.context;
  const name = requireCertificate(sandbox);
  if (!name) return undefined;
  const p = await load(sandbox);
  if (p.resolveSpec(name).kind === 'ca') {
    shell.notify(shell.t('sandboxNotCa'), 'bad');
    return undefined;
  }
  return name;
}

// ---- actions ---------------------------------------------------------------------------

function generate(sandbox: Sandbox): Promise<void> {
  return withEmptyBoxHidden(sandbox, () => generateAnew(sandbox));
}

/** The "no sandbox yet" box steps aside while a dialog is open, which would be drawn box on box over it. */
async function withEmptyBoxHidden<T>(sandbox: Sandbox, run: () => Promise<T>): Promise<T> {
  const empty = sandbox.empty;
  empty?.hide();
  try {
    return await run();
  } finally {
    // gone once there is a sandbox (reload took it down); back when the dialog was dismissed
    if (empty && sandbox.empty === empty) {
      empty.show();
      sandbox.context.shell.render();
    }
  }
}

async function generateAnew(sandbox: Sandbox): Promise<void> {
  const { dir } = sandbox;
  const { shell } = sandbox.context;
  const p = await load(sandbox);
  const keyTypes = [...p.KEY_TYPES];
  const choice = await choose(shell.dialogs, shell.t('sandboxKeyType'), keyTypes, 0);
  if (choice === undefined) return;
  if (exists(sandbox) && !(await confirm(shell.dialogs, shell.t('sandboxReplace', { dir })))) return;
  const keyType = keyTypes[choice]!;
  const bar = progress(shell.dialogs, shell.t('sandboxGenerating', { keyType }), shell.unicode);
  const started = performance.now();
  let result: Awaited<ReturnType<typeof p.initSandbox>>;
  try {
    result = await p.initSandbox({ dir, force: true, cluster: { keyType }, language: language(sandbox), onProgress: (step) => bar.update(step.done, step.total, step.step) });
  } finally {
    bar.close();
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  // the new tree first, then the message about it
  await reload(sandbox);
  shell.notify(shell.t('sandboxGenerated', { count: result.material.size, seconds }), 'ok');
}

async function verify(sandbox: Sandbox, name = requireCertificate(sandbox)): Promise<void> {
  const { shell } = sandbox.context;
  if (!name) return;
  const { lines, command } = await shell.working(shell.t('workingVerify', { cert: name }), () => verifyReport(sandbox, name));
  await showText(shell.dialogs, shell.t('verifyTitle', { cert: name }), lines.join('\n'), { copy: command((file) => join(sandbox.dir, file)) });
}

/** What `kubetls verify` says about a certificate of the sandbox, and the command that says it. */
async function verifyReport(sandbox: Sandbox, name: string) {
  const { dir } = sandbox;
  const theme = sandbox.context.shell.theme();
  const p = await load(sandbox);
  const identity = p.loadIdentity(dir, name);
  const spec = identity.spec;
  const signer = spec.signer === 'self' ? spec.name : spec.signer;
  const ca = p.loadIdentity(dir, signer).certificate;
  const cluster = p.clusterOf(p.readState(dir));
  const purpose = spec.usages.includes('serverAuth') ? 'server' : spec.usages.includes('clientAuth') ? 'client' : undefined;
  const host = spec.server?.dialedHost(cluster);
  const report = p.verifyCertificate(identity.certificate, { cas: [ca], purpose, host, keyPair: identity.keyPair, language: language(sandbox) });
  const command = (path: (file: string) => string) => `kubetls verify ${path(relative(sandbox, identity.file))} --ca ${path(`pki/${signer}.crt`)}${purpose ? ` --purpose ${purpose}` : ''}${host ? ` --host ${host}` : ''}`;
  const lines = [
    ...(await shownCommand(sandbox, command((file) => file))),
    '',
    ...verifyLines(p, report, language(sandbox), (ok) => mark(sandbox, ok)),
    '',
    report.ok ? paint(theme, 'ok', say(sandbox, 'verify-ok')) : paint(theme, 'bad', escapeTags(translate(language(sandbox), 'verify.failed-short', { reason: report.reason ?? '' }))),
  ];
  return { lines, command };
}

/** A real handshake between two of the sandbox's identities (chosen when not given), its steps shown as they go. */
async function handshake(sandbox: Sandbox, server?: string, client?: string): Promise<void> {
  const { shell } = sandbox.context;
  const p = await load(sandbox);
  if (!exists(sandbox)) return;
  if (!server) server = await chooseServer(sandbox, p);
  if (!server) return;
  if (!client) client = await chooseClient(sandbox, p, server);
  if (!client) return;
  // from the start to the result, a key pressed skips the steps' play; it never reaches the screen
  // underneath (Esc there left the Sandbox, and the result came up over home)
  const held = holdKeys(shell.dialogs);
  const title = shell.t('handshakeTitle', { client, server });
  let lines: string[];
  let report: HandshakeReport;
  try {
    lines = [...(await shownCommand(sandbox, `kubetls handshake --server ${server} --client ${client}`)), ''];
    report = await shell.working(shell.t('workingHandshake', { client, server }), () => p.runHandshake({ dir: sandbox.dir, server, client, language: language(sandbox) }));
    await playSteps(sandbox, p, { report, lines, title, skip: held.pressed });
  } finally {
    held.release();
  }
  await showText(shell.dialogs, title, [...lines, '', handshakeOutcome(sandbox, report)].join('\n'), { copy: `kubetls handshake --dir ${sandbox.dir} --server ${server} --client ${client}` });
}

/** The sandbox's own servers: its profile's (the hard way's kube-proxy) and its nodes' kubelets. */
async function chooseServer(sandbox: Sandbox, p: Pki): Promise<string | undefined> {
  const { shell } = sandbox.context;
  const servers = p.handshakeNames(sandbox.dir).servers;
  const index = await choose(shell.dialogs, shell.t('sandboxChooseServer'), servers);
  return index === undefined ? undefined : servers[index]!;
}

/** People and components with kubeconfigs first: the usual clients of the apiserver; then the CSR flow's users. */
async function chooseClient(sandbox: Sandbox, p: Pki, server: string): Promise<string | undefined> {
  const { dir } = sandbox;
  const { shell } = sandbox.context;
  const byKubeconfig = [...p.handshakeNames(dir).clients].sort((a, b) => Number(p.resolveSandboxSpec(dir, b).kind === 'kubeconfig') - Number(p.resolveSandboxSpec(dir, a).kind === 'kubeconfig'));
  const clients = [...byKubeconfig, ...p.sandboxUsers(dir).map((u) => `users/${u}`)];
  const index = await choose(shell.dialogs, shell.t('sandboxChooseClient', { server }), clients);
  return index === undefined ? undefined : clients[index]!;
}

type HandshakeReport = Awaited<ReturnType<Pki['runHandshake']>>;

/** Keys pressed from now until release() are only noted: what is under way runs on undisturbed. */
function holdKeys(dialogs: DialogHost): { pressed: () => boolean; release: () => void } {
  let pressed = false;
  const holding: Modal = { readsOwnInput: false, onKey: () => (pressed = true), close: () => (pressed = true) };
  dialogs.open(holding);
  return { pressed: () => pressed, release: () => dialogs.closed(holding) };
}

/** The steps appear one by one, as the handshake goes, in a box of their own (added to `lines`); skip() shows the rest at once. */
async function playSteps(sandbox: Sandbox, p: Pki, { report, lines, title, skip }: { report: HandshakeReport; lines: string[]; title: string; skip: () => boolean }): Promise<void> {
  const { shell } = sandbox.context;
  // as `kubetls handshake` prints them
  const symbol = (status: string) => (status === 'ok' ? mark(sandbox, true) : status === 'failed' ? mark(sandbox, false) : status === 'skipped' ? (shell.unicode ? '·' : '.') : shell.unicode ? '•' : '-');
  const box = blessed.box({ parent: shell.screen, top: 'center', left: 'center', width: '90%', height: Math.min(report.steps.length + 8, (shell.screen.height as number) - 2), tags: true, border: { type: 'line' }, label: ` ${escapeTags(title)} `, style: { border: { fg: shell.theme().accent } } });
  for (const step of report.steps) {
    const { side, text } = p.stepLine(step, language(sandbox));
    lines.push(`${symbol(step.status)} ${paint(shell.theme(), 'muted', side)} ${escapeTags(text)}`);
    if (skip()) continue;
    box.setContent(lines.join('\n'));
    shell.render();
    await new Promise((r) => setTimeout(r, 120));
  }
  box.destroy();
}

/** How it ended: agreed, or which side refused, in Node's words, with kubetls' explanation. */
function handshakeOutcome(sandbox: Sandbox, report: HandshakeReport): string {
  const { shell } = sandbox.context;
  if (report.ok) return paint(shell.theme(), 'ok', shell.t('handshakeOk'));
  const failure = report.failure!;
  const refused = paint(shell.theme(), 'bad', escapeTags(shell.t('handshakeFailed', { side: translate(language(sandbox), `handshake.side.${failure.side}`), message: failure.message })));
  return `${refused}${failure.explanation ? `\n${escapeTags(failure.explanation)}` : ''}`;
}

async function breakSelected(sandbox: Sandbox, name?: string, fault?: string): Promise<void> {
  const { dir } = sandbox;
  const { shell } = sandbox.context;
  name ??= await leafOnly(sandbox);
  if (!name) return;
  const p = await load(sandbox);
  if (!fault) {
    const faults = p.FAULTS.map((f) => `${f.padEnd(14)} ${p.faultSummary(f, language(sandbox))}`);
    const index = await choose(shell.dialogs, shell.t('sandboxChooseFault', { cert: name }), faults);
    if (index === undefined) return;
    fault = p.FAULTS[index]!;
  }
  const broken = fault;
  const record = await shell.working(shell.t('workingBreak', { cert: name }), () => p.breakCertificate({ dir, certificate: name, fault: broken }));
  shell.notify(shell.t('sandboxBroken', { cert: name, detail: p.faultDetail(record, language(sandbox)) }), 'bad');
  sandbox.selectedName = name;
  await reload(sandbox);
}

async function renew(sandbox: Sandbox, name?: string): Promise<void> {
  const { shell } = sandbox.context;
  name ??= await leafOnly(sandbox);
  if (!name) return;
  const p = await load(sandbox);
  const [result] = await shell.working(shell.t('workingRenew', { cert: name }), () => p.renewCertificates({ dir: sandbox.dir, certificate: name }));
  if (result?.stillBroken) shell.notify(shell.t('sandboxRenewKept', { cert: name, fault: result.stillBroken }), 'bad');
  else shell.notify(shell.t('sandboxRenewed', { cert: name, until: result?.notAfter.toISOString().slice(0, 10) ?? '' }), 'ok');
  await reload(sandbox);
}

async function fix(sandbox: Sandbox): Promise<void> {
  const { shell } = sandbox.context;
  const name = await leafOnly(sandbox);
  if (!name) return;
  const p = await load(sandbox);
  const [fixed] = await shell.working(shell.t('workingFix', { cert: name }), () => p.fixCertificates({ dir: sandbox.dir, certificate: name }));
  const misnamed = fixed?.misnamedFlags ?? [];
  if (misnamed.length > 0) shell.notify(shell.t('sandboxFixedManifestWrong', { cert: name, flags: misnamed.join('; ') }), 'bad');
  else shell.notify(shell.t('sandboxFixed', { cert: name }), 'ok');
  await reload(sandbox);
}

/** The Certificates API flow for a user: key and CSR, the manifest shown, approved, a kubeconfig. */
async function csrFlow(sandbox: Sandbox): Promise<void> {
  const { dir } = sandbox;
  const { shell } = sandbox.context;
  if (!exists(sandbox)) return;
  const user = await input(shell.dialogs, shell.t('sandboxCsrUser'), 'jane');
  if (!user) return;
  const p = await load(sandbox);
  p.validateUser(user);
  const replace = existsSync(p.csrPaths(dir, user).manifest);
  if (replace && !(await confirm(shell.dialogs, shell.t('sandboxCsrReplace', { user })))) return;
  const group = await input(shell.dialogs, shell.t('sandboxCsrGroup'), 'developers');
  if (group === undefined) return;
  const created = await shell.working(shell.t('workingCsr', { user }), () => p.createCsr({ dir, user, groups: group ? [group] : [], replace }));
  await showText(shell.dialogs, `${created.paths.manifest}`, escapeTags(created.manifest));
  const approved = await shell.working(shell.t('workingCsr', { user }), () => p.approveCsr({ dir, user }));
  sandbox.selectedName = `users/${user}`;
  await reload(sandbox);
  shell.notify(shell.t('sandboxCsrDone', { user, path: relative(sandbox, approved.paths.kubeconfig) }), 'ok');
}

async function exportSandbox(sandbox: Sandbox): Promise<void> {
  const { dir } = sandbox;
  const { shell } = sandbox.context;
  if (!exists(sandbox)) return;
  const target = await input(shell.dialogs, shell.t('sandboxExportPrompt'), `${dir}-export`);
  if (!target) return;
  const destination = resolve(target);
  // a copy goes to a new place: merged into an existing directory it would mix two PKIs
  if (existsSync(destination)) {
    shell.notify(shell.t('sandboxExportExists', { dir: destination }), 'bad');
    return;
  }
  try {
    await shell.working(shell.t('workingExport', { dir: destination }), () => cpSync(dir, destination, { recursive: true, errorOnExist: true, force: false, preserveTimestamps: true }));
  } catch (error) {
    shell.notify(errorLine(error, language(sandbox)), 'bad');
    return;
  }
  shell.notify(shell.t('sandboxExported', { dir: destination }), 'ok');
}

async function expiration(sandbox: Sandbox): Promise<void> {
  const { shell } = sandbox.context;
  if (!exists(sandbox)) return;
  const p = await load(sandbox);
  // a table: nearly the whole width; its text area is that less the border, margin and scroll bar
  const share = 0.98;
  const room = Math.floor((shell.screen.width as number) * share) - 6;
  const report = await shell.working(shell.t('workingExpiration'), () => p.formatExpirationReport(p.checkExpiration(sandbox.dir), room));
  await showText(shell.dialogs, shell.t('expirationTitle'), escapeTags(report), { wrap: false, share });
}

/** A lesson's "Try it" step, done here: the certificate it names selected first. */
async function runAction(sandbox: Sandbox, action: SandboxAction): Promise<void> {
  if (action.verb === 'pki-init') return generate(sandbox);
  if (!exists(sandbox)) {
    showEmpty(sandbox);
    return;
  }
  switch (action.verb) {
    case 'inspect':
      return select(sandbox, action.cert);
    case 'verify':
      await select(sandbox, action.cert);
      return verify(sandbox, action.cert);
    case 'renew':
      await select(sandbox, action.cert);
      return renew(sandbox, action.cert);
    case 'handshake':
      return handshake(sandbox, action.server, action.client);
    case 'break':
      await select(sandbox, action.cert);
      return breakSelected(sandbox, action.cert, action.fault);
    case 'csr':
      return csrFlow(sandbox);
    case 'check-expiration':
      return expiration(sandbox);
  }
}

function select(sandbox: Sandbox, name: string): Promise<void> {
  sandbox.selectedName = name;
  const index = sandbox.rows.findIndex((r) => r.name === name);
  if (index >= 0) sandbox.tree?.select(index);
  return describeSelected(sandbox);
}

/**
 * The lesson's steps, once: one is run at once, several are offered to choose from. They run on a
 * sandbox, so without one the learner is asked to generate it first; its own `pki init` step is then done.
 */
async function offerActions(sandbox: Sandbox): Promise<void> {
  const { shell } = sandbox.context;
  let actions = sandbox.pendingActions;
  sandbox.pendingActions = [];
  if (actions.length === 0) return;
  if (!exists(sandbox)) {
    if (!(await withEmptyBoxHidden(sandbox, () => confirm(shell.dialogs, shell.t('sandboxTryItNeedsOne'), { enter: true })))) return;
    await generate(sandbox);
    actions = actions.filter((action) => action.verb !== 'pki-init');
    if (!exists(sandbox) || actions.length === 0) return;
  }
  const { sandboxActionCommand } = await import('../../lessons/catalog.js');
  const index = actions.length === 1 ? 0 : await choose(shell.dialogs, shell.t('keyTryIt'), actions.map((action) => `$ ${sandboxActionCommand(action)}`));
  if (index === undefined) return;
  await runAction(sandbox, actions[index]!);
}

/** The selected certificate's inspect view over the whole screen (the pane is narrow at 80 columns). */
async function zoom(sandbox: Sandbox): Promise<void> {
  const name = requireCertificate(sandbox);
  if (!name) return;
  // wrapped at the dialog's width, with openssl's own indents
  await showText(sandbox.context.shell.dialogs, name, certificateText(sandbox, await load(sandbox), name, { narrow: false }), { share: 1 });
}

function treeMove(sandbox: Sandbox, delta: number): void {
  if (sandbox.focus === 'detail') {
    sandbox.detail?.scroll(delta);
    return;
  }
  sandbox.tree?.move(delta);
  void guardedAction(sandbox.context.shell, () => describeSelected(sandbox))();
}

/**
 * While the learner rests on "Sandbox" in the home menu: the screen's look at the sandbox (its model
 * and its manifests' checks), kept while the directory is unchanged, so opening it draws from it. Two
 * slices (~30 and ~45 ms the first time), each its own turn of the event loop, so a key pressed
 * during the first is answered before the second starts.
 */
export async function lookAtSandboxAhead(context: AppContext, p: Pki): Promise<void> {
  const dir = context.session.sandboxDir;
  if (!hasSandboxRecord(dir)) return;
  p.readSandboxModel(dir);
  if (!p.hasManifests(dir)) return;
  await new Promise((resolve) => setImmediate(resolve));
  p.checkManifests(dir, { language: context.shell.preferences().language });
}
