import type { Widgets } from 'blessed';
import blessed from '../blessed.cjs';
import { cpSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { View } from '../app.js';
import type { AppContext } from '../context.js';
import type { Binding } from '../keymap.js';
import type { ModelEntry } from '../../pki/index.js';
import type { SandboxAction } from '../../lessons/catalog.js';
import { choose, confirm, input, progress, showText, textColumns } from '../dialogs.js';
import { translate, type Params } from '../../locale/catalogue.js';
import { errorLine, guardedAction } from '../error-line.js';
import { verifyLines } from '../verify-lines.js';
import { escapeTags, paint } from '../theme.js';
import { scrollText, selectList, type ScrollText, type SelectList } from '../widgets.js';
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

export function sandboxView(context: AppContext, options: SandboxOptions = {}): View {
  const { shell } = context;
  const dir = context.session.sandboxDir;
  let pki: Pki | undefined;
  let tree: SelectList | undefined;
  let detail: ScrollText | undefined;
  let empty: Widgets.BoxElement | undefined;
  let rows: TreeRow[] = [];
  let selectedName: string | undefined;
  let focus: 'tree' | 'detail' = 'tree';
  let parent: Widgets.BoxElement | undefined;
  let pendingActions = options.actions ?? [];
  // this machine's own cluster, offered read-only when there is one
  let hostDir: string | undefined;

  const load = async (): Promise<Pki> => (pki ??= await import('../../pki/index.js'));
  const language = () => shell.preferences().language;
  /** The screen's own words beyond the app's menus (sandbox.yaml), in the learner's language. */
  const say = (key: string, params?: Params) => translate(language(), `sandbox.${key}`, params);
  const guarded = (run: () => unknown) => guardedAction(shell, run);
  const exists = () => existsSync(join(dir, 'kubetls-sandbox.json'));
  const mark = (ok: boolean | undefined) =>
    ok === undefined ? (shell.unicode ? '•' : '*') : ok ? paint(shell.theme(), 'ok', shell.unicode ? '✓' : '+') : paint(shell.theme(), 'bad', shell.unicode ? '✗' : 'x');

  const buildRows = (p: Pki): TreeRow[] => {
    // the sandbox's own table: its profile's certificates (kube-proxy in the hard way), its nodes, its users
    const model = p.readSandboxModel(dir);
    // read-only (an exam or practice task): no verdict at all; the learner verifies, as on a node
    const health = (entry: ModelEntry | undefined): boolean | undefined => (options.inspectOnly || !entry ? undefined : entry.status === 'ok');
    const result: TreeRow[] = [];
    const branch = shell.unicode ? '├─ ' : '|- ';
    const last = shell.unicode ? '└─ ' : '`- ';
    for (const { ca, children } of model.groups) {
      result.push({ name: ca?.spec.name, label: ca ? `${mark(health(ca))} {bold}${escapeTags(ca.spec.name)}{/bold}` : `  ${paint(shell.theme(), 'muted', shell.t('sandboxSelfSignedGroup'))}` });
      const rows = children.map((child) => ({ name: child.spec.name, entry: child as ModelEntry | undefined }));
      if (ca?.spec.name === 'ca') rows.push(...model.users.map((user) => ({ name: `users/${user}`, entry: undefined })));
      rows.forEach(({ name, entry }, i) => {
        const fault = options.inspectOnly ? undefined : entry?.fault;
        const note = fault ? ` ${paint(shell.theme(), 'bad', fault.fault)}` : '';
        result.push({ name, label: `${i === rows.length - 1 ? last : branch}${mark(health(entry))} ${escapeTags(name)}${note}` });
      });
    }
    if (model.serviceAccountKey) result.push({ name: undefined, label: `  ${paint(shell.theme(), 'muted', 'sa.key / sa.pub')}` });
    if (p.hasManifests(dir)) result.push({ name: MANIFESTS_ROW, label: `${mark(options.inspectOnly ? undefined : p.checkManifests(dir).ok)} manifests/` });
    return result;
  };

  const users = (p: Pki): string[] => p.sandboxUsers(dir);

  const describeSelected = async () => {
    if (!detail) return;
    const p = await load();
    const row = rows[tree?.selected() ?? 0];
    selectedName = row?.name;
    if (row?.name === MANIFESTS_ROW) {
      // the static Pod manifests: every file flag, and whether it names the right file (pki check-manifests)
      const report = p.checkManifests(dir, { language: language() });
      // what is wrong first
      const flags = [...report.flags.filter((flag) => !flag.ok), ...report.flags.filter((flag) => flag.ok)];
      const lines = flags.map((flag) => `${mark(flag.ok)} ${escapeTags(`${flag.component} ${flag.flag}=${flag.value ?? say('flag-missing')}`)}${flag.ok ? '' : `\n    ${paint(shell.theme(), 'bad', escapeTags(flag.message))}`}`);
      const problems = report.manifests.filter((m) => m.status !== 'ok').map((m) => paint(shell.theme(), 'bad', escapeTags(m.problem ?? `${m.shownFile}: ${m.status}`)));
      detail.element.setContent([paint(shell.theme(), 'muted', `$ kubetls pki check-manifests --dir ${dir}`), '', ...problems, ...lines].join('\n'));
      detail.top();
      shell.render();
      return;
    }
    if (!row?.name) {
      detail.element.setContent(escapeTags(say('sa')));
      shell.render();
      return;
    }
    const identity = p.loadIdentity(dir, row.name);
    const spec = identity.spec;
    const theme = shell.theme();
    const header = [
      paint(theme, 'accent', `${spec.name}  (${relative(identity.file)})`),
      escapeTags(p.purposeOf(spec, language())),
      ...spec.usedBy.map((use) => `  ${paint(theme, 'muted', use.component)} ${escapeTags(use.flag)} ${paint(theme, 'muted', `(.${use.file})`)}`),
      '',
    ];
    detail.element.setContent([...header, escapeTags(p.formatCertificateText(identity.certificate))].join('\n'));
    detail.top();
    shell.render();
  };

  /** `$ command` as a dialog shows it: muted, wrapped with ` \\` like lesson code. */
  const shownCommand = async (command: string) => {
    const { wrapShellCommand } = await import('../../lessons/render.js');
    return wrapShellCommand(`$ ${command}`, textColumns(shell.dialogs)).map((line) => paint(shell.theme(), 'muted', line));
  };

  const relative = (file: string) => (file.startsWith(dir) ? file.slice(dir.length + 1) : file);

  const reload = async () => {
    if (!parent) return;
    if (!exists()) {
      showEmpty();
      return;
    }
    empty?.destroy();
    empty = undefined;
    const p = await load();
    rows = buildRows(p);
    tree?.setItems(rows.map((r) => ({ label: r.label, markup: true })));
    const index = selectedName === undefined ? 0 : Math.max(0, rows.findIndex((r) => r.name === selectedName));
    tree?.select(index);
    await describeSelected();
  };

  const showEmpty = () => {
    if (!parent || empty) return;
    empty = blessed.box({ parent, top: 'center', left: 'center', width: '80%', height: 5, tags: true, border: { type: 'line' }, align: 'center', valign: 'middle', content: escapeTags(shell.t('sandboxEmpty', { dir })) });
    shell.render();
  };

  const requireCertificate = (): string | undefined => {
    const name = rows[tree?.selected() ?? 0]?.name;
    if (!name || name === MANIFESTS_ROW || !exists()) return undefined;
    return name;
  };

  const leafOnly = async (): Promise<string | undefined> => {
    const name = requireCertificate();
    if (!name) return undefined;
    const p = await load();
    if (p.resolveSpec(name).kind === 'ca') {
      shell.notify(shell.t('sandboxNotCa'), 'bad');
      return undefined;
    }
    return name;
  };

  // ---- actions ---------------------------------------------------------------------------

  const generate = async () => {
    const p = await load();
    const keyTypes = [...p.KEY_TYPES];
    const choice = await choose(shell.dialogs, shell.t('sandboxKeyType'), keyTypes, 0);
    if (choice === undefined) return;
    if (exists() && !(await confirm(shell.dialogs, shell.t('sandboxReplace', { dir })))) return;
    const keyType = keyTypes[choice]!;
    const bar = progress(shell.dialogs, shell.t('sandboxGenerating', { keyType }), shell.unicode);
    const started = performance.now();
    let result: Awaited<ReturnType<typeof p.initSandbox>>;
    try {
      result = await p.initSandbox({ dir, force: true, cluster: { keyType }, language: language(), onProgress: (step) => bar.update(step.done, step.total, step.step) });
    } finally {
      bar.close();
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    // the new tree first, then the message about it
    await reload();
    shell.notify(shell.t('sandboxGenerated', { count: result.material.size, seconds }), 'ok');
  };

  const verify = async (name = requireCertificate()) => {
    if (!name) return;
    const { lines, command } = await shell.working(shell.t('workingVerify', { cert: name }), () => verifyReport(name));
    await showText(shell.dialogs, shell.t('verifyTitle', { cert: name }), lines.join('\n'), { copy: command((file) => join(dir, file)) });
  };

  /** What `kubetls verify` says about a certificate of the sandbox, and the command that says it. */
  const verifyReport = async (name: string) => {
    const p = await load();
    const identity = p.loadIdentity(dir, name);
    const spec = identity.spec;
    const signer = spec.signer === 'self' ? spec.name : spec.signer;
    const ca = p.loadIdentity(dir, signer).certificate;
    const cluster = p.clusterOf(p.readState(dir));
    const purpose = spec.usages.includes('serverAuth') ? 'server' : spec.usages.includes('clientAuth') ? 'client' : undefined;
    const host = spec.server?.dialedHost(cluster);
    const report = p.verifyCertificate(identity.certificate, { cas: [ca], purpose, host, keyPair: identity.keyPair, language: language() });
    const command = (path: (file: string) => string) => `kubetls verify ${path(relative(identity.file))} --ca ${path(`pki/${signer}.crt`)}${purpose ? ` --purpose ${purpose}` : ''}${host ? ` --host ${host}` : ''}`;
    const lines = [
      ...(await shownCommand(command((file) => file))),
      '',
      ...verifyLines(p, report, language(), mark),
      '',
      report.ok ? paint(shell.theme(), 'ok', say('verify-ok')) : paint(shell.theme(), 'bad', escapeTags(translate(language(), 'verify.failed-short', { reason: report.reason ?? '' }))),
    ];
    return { lines, command };
  };

  const handshake = async (server?: string, client?: string) => {
    const p = await load();
    if (!exists()) return;
    if (!server) {
      // the sandbox's own servers and clients: its profile's (the hard way's kube-proxy) and its nodes' kubelets
      const servers = p.handshakeNames(dir).servers;
      const index = await choose(shell.dialogs, shell.t('sandboxChooseServer'), servers);
      if (index === undefined) return;
      server = servers[index]!;
    }
    if (!client) {
      // people and components with kubeconfigs first: the usual clients of the apiserver
      const byKubeconfig = [...p.handshakeNames(dir).clients].sort((a, b) => Number(p.resolveSandboxSpec(dir, b).kind === 'kubeconfig') - Number(p.resolveSandboxSpec(dir, a).kind === 'kubeconfig'));
      const clients = [...byKubeconfig, ...users(p).map((u) => `users/${u}`)];
      const index = await choose(shell.dialogs, shell.t('sandboxChooseClient', { server }), clients);
      if (index === undefined) return;
      client = clients[index]!;
    }
    const report = await shell.working(shell.t('workingHandshake', { client, server }), () => p.runHandshake({ dir, server, client, language: language() }));
    const symbol = (status: string) => (status === 'ok' ? mark(true) : status === 'failed' ? mark(false) : status === 'skipped' ? '·' : '•');
    const lines = [...(await shownCommand(`kubetls handshake --server ${server} --client ${client}`)), ''];
    const title = shell.t('handshakeTitle', { client, server });
    const outcome = report.ok
      ? paint(shell.theme(), 'ok', shell.t('handshakeOk'))
      : `${paint(shell.theme(), 'bad', escapeTags(shell.t('handshakeFailed', { side: translate(language(), `handshake.side.${report.failure!.side}`), message: report.failure!.message })))}${report.failure!.explanation ? `\n${escapeTags(report.failure!.explanation)}` : ''}`;
    // the steps appear one by one, as the handshake goes
    const box = blessed.box({ parent: shell.screen, top: 'center', left: 'center', width: '90%', height: Math.min(report.steps.length + 8, (shell.screen.height as number) - 2), tags: true, border: { type: 'line' }, label: ` ${escapeTags(title)} `, style: { border: { fg: shell.theme().accent } } });
    for (const step of report.steps) {
      const { side, text } = p.stepLine(step, language());
      lines.push(`${symbol(step.status)} ${paint(shell.theme(), 'muted', side)} ${escapeTags(text)}`);
      box.setContent(lines.join('\n'));
      shell.render();
      await new Promise((r) => setTimeout(r, 120));
    }
    box.destroy();
    await showText(shell.dialogs, title, [...lines, '', outcome].join('\n'), { copy: `kubetls handshake --dir ${dir} --server ${server} --client ${client}` });
  };

  const breakSelected = async (name?: string, fault?: string) => {
    name ??= await leafOnly();
    if (!name) return;
    const p = await load();
    if (!fault) {
      const faults = p.FAULTS.map((f) => `${f.padEnd(14)} ${p.faultSummary(f, language())}`);
      const index = await choose(shell.dialogs, shell.t('sandboxChooseFault', { cert: name }), faults);
      if (index === undefined) return;
      fault = p.FAULTS[index]!;
    }
    const broken = fault;
    const record = await shell.working(shell.t('workingBreak', { cert: name }), () => p.breakCertificate({ dir, certificate: name, fault: broken }));
    shell.notify(shell.t('sandboxBroken', { cert: name, detail: p.faultDetail(record, language()) }), 'bad');
    selectedName = name;
    await reload();
  };

  const renew = async (name?: string) => {
    name ??= await leafOnly();
    if (!name) return;
    const p = await load();
    const [result] = await shell.working(shell.t('workingRenew', { cert: name }), () => p.renewCertificates({ dir, certificate: name }));
    if (result?.stillBroken) shell.notify(shell.t('sandboxRenewKept', { cert: name, fault: result.stillBroken }), 'bad');
    else shell.notify(shell.t('sandboxRenewed', { cert: name, until: result?.notAfter.toISOString().slice(0, 10) ?? '' }), 'ok');
    await reload();
  };

  const fix = async () => {
    const name = await leafOnly();
    if (!name) return;
    const p = await load();
    const [fixed] = await shell.working(shell.t('workingFix', { cert: name }), () => p.fixCertificates({ dir, certificate: name }));
    const misnamed = fixed?.misnamedFlags ?? [];
    if (misnamed.length > 0) shell.notify(shell.t('sandboxFixedManifestWrong', { cert: name, flags: misnamed.join('; ') }), 'bad');
    else shell.notify(shell.t('sandboxFixed', { cert: name }), 'ok');
    await reload();
  };

  const csrFlow = async () => {
    if (!exists()) return;
    const user = await input(shell.dialogs, shell.t('sandboxCsrUser'), 'jane');
    if (!user) return;
    const p = await load();
    p.validateUser(user);
    const replace = existsSync(p.csrPaths(dir, user).manifest);
    if (replace && !(await confirm(shell.dialogs, shell.t('sandboxCsrReplace', { user })))) return;
    const group = await input(shell.dialogs, shell.t('sandboxCsrGroup'), 'developers');
    if (group === undefined) return;
    const created = await shell.working(shell.t('workingCsr', { user }), () => p.createCsr({ dir, user, groups: group ? [group] : [], replace }));
    await showText(shell.dialogs, `${created.paths.manifest}`, escapeTags(created.manifest));
    const approved = await shell.working(shell.t('workingCsr', { user }), () => p.approveCsr({ dir, user }));
    selectedName = `users/${user}`;
    await reload();
    shell.notify(shell.t('sandboxCsrDone', { user, path: relative(approved.paths.kubeconfig) }), 'ok');
  };

  const exportSandbox = async () => {
    if (!exists()) return;
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
      shell.notify(errorLine(error, language()), 'bad');
      return;
    }
    shell.notify(shell.t('sandboxExported', { dir: destination }), 'ok');
  };

  const expiration = async () => {
    if (!exists()) return;
    const p = await load();
    // a table: nearly the whole width; its text area is that less the border, margin and scroll bar
    const share = 0.98;
    const room = Math.floor((shell.screen.width as number) * share) - 6;
    const report = await shell.working(shell.t('workingExpiration'), () => p.formatExpirationReport(p.checkExpiration(dir), room));
    await showText(shell.dialogs, shell.t('expirationTitle'), escapeTags(report), { wrap: false, share });
  };

  const runAction = async (action: SandboxAction) => {
    if (action.verb === 'pki-init') return generate();
    if (!exists()) {
      showEmpty();
      return;
    }
    const select = (name: string) => {
      selectedName = name;
      const index = rows.findIndex((r) => r.name === name);
      if (index >= 0) tree?.select(index);
      return describeSelected();
    };
    switch (action.verb) {
      case 'inspect':
        return select(action.cert);
      case 'verify':
        await select(action.cert);
        return verify(action.cert);
      case 'renew':
        await select(action.cert);
        return renew(action.cert);
      case 'handshake':
        return handshake(action.server, action.client);
      case 'break':
        await select(action.cert);
        return breakSelected(action.cert, action.fault);
      case 'csr':
        return csrFlow();
      case 'check-expiration':
        return expiration();
    }
  };

  const offerActions = async () => {
    const actions = pendingActions;
    pendingActions = [];
    if (actions.length === 0) return;
    const { sandboxActionCommand } = await import('../../lessons/catalog.js');
    const index = actions.length === 1 ? 0 : await choose(shell.dialogs, shell.t('keyTryIt'), actions.map((action) => `$ ${sandboxActionCommand(action)}`));
    if (index === undefined) return;
    await runAction(actions[index]!);
  };

  /** The selected certificate's inspect view over the whole screen (the pane is narrow at 80 columns). */
  const zoom = async () => {
    const name = requireCertificate();
    if (!name || !detail) return;
    // the pane's text as it was before the pane wrapped it, wrapped again at the dialog's width
    await showText(shell.dialogs, name, detail.text(), { share: 1 });
  };

  const treeMove = (delta: number) => {
    if (focus === 'detail') {
      detail?.scroll(delta);
      return;
    }
    tree?.move(delta);
    void guarded(describeSelected)();
  };

  const view: View = {
    title: () => shell.t('sandboxTitle'),
    bindings(): Binding[] {
      return [
        { keys: ['up', 'k'], display: '↑↓', ascii: 'Up/Down', label: 'keyMove', status: true, run: () => treeMove(-1) },
        { keys: ['down', 'j'], display: '↓/j', label: 'keyMove', run: () => treeMove(1) },
        { keys: ['pageup'], display: 'PgUp', label: 'keyPage', run: () => (focus === 'detail' ? detail?.page(-1) : treeMove(-5)) },
        { keys: ['pagedown'], display: 'PgDn', label: 'keyPage', run: () => (focus === 'detail' ? detail?.page(1) : treeMove(5)) },
        { keys: ['g', 'home'], display: 'g', label: 'keyTop', run: () => treeMove(-rows.length) },
        { keys: ['S-g', 'end'], display: 'G', label: 'keyBottom', run: () => treeMove(rows.length) },
        { keys: ['tab'], display: 'Tab', label: 'keyPane', run: () => { focus = focus === 'tree' ? 'detail' : 'tree'; } },
        { keys: ['enter', 'z'], display: '⏎', ascii: 'Enter', label: 'keyOpen', status: true, run: guarded(zoom) },
        ...(options.inspectOnly ? [] : [{ keys: ['i'], display: 'i', label: 'keyGenerate', status: true, run: guarded(generate) } satisfies Binding]),
        { keys: ['v'], display: 'v', label: 'keyVerify', status: true, run: guarded(() => verify()) },
        { keys: ['h'], display: 'h', label: 'keyHandshake', status: true, run: guarded(() => handshake()) },
        ...(options.inspectOnly
          ? []
          : ([
              { keys: ['b'], display: 'b', label: 'keyBreak', status: true, run: guarded(() => breakSelected()) },
              { keys: ['r'], display: 'r', label: 'keyRenew', status: true, run: guarded(() => renew()) },
              { keys: ['f'], display: 'f', label: 'keyFix', run: guarded(fix) },
              { keys: ['c'], display: 'c', label: 'keyCsr', run: guarded(csrFlow) },
              { keys: ['e'], display: 'e', label: 'keyExport', run: guarded(exportSandbox) },
            ] satisfies Binding[])),
        { keys: ['x'], display: 'x', label: 'keyExpiration', run: guarded(expiration) },
        ...(hostDir && !options.inspectOnly ? [{ keys: ['o'], display: 'o', label: 'keyHostCluster', run: () => shell.open(hostClusterView(context, hostDir!)) } satisfies Binding] : []),
      ];
    },
    mount(body) {
      parent = body;
      tree = selectList(body, shell.theme(), { top: 0, left: 0, width: TREE_WIDTH, height: '100%', items: [], border: true, label: shell.t('sandboxTitle') });
      detail = scrollText(body, shell.theme(), { top: 0, left: TREE_WIDTH, width: `100%-${TREE_WIDTH}`, height: '100%', content: '', border: true, wrap: true });
      const ready = reload();
      // the lesson's "Try it" steps are offered once the tree is up (a dialog of their own, not loading)
      void ready.then(() => offerActions()).catch((error: unknown) => shell.notify(errorLine(error, language()), 'bad'));
      void load().then((p) => {
        const candidate = p.hostKubernetesDir();
        hostDir = existsSync(candidate) && resolve(candidate) !== resolve(dir) && !options.inspectOnly ? candidate : undefined;
        if (hostDir && parent) shell.notify(shell.t('sandboxHostClusterOffer'), 'info');
      });
      // what fails while loading is said just above, in the learner's language
      return ready.catch(() => undefined);
    },
    unmount() {
      tree?.element.destroy();
      detail?.element.destroy();
      empty?.destroy();
      tree = undefined;
      detail = undefined;
      empty = undefined;
    },
  };
  return view;
}
