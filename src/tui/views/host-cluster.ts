import type { View } from '../app.js';
import type { AppContext } from '../context.js';
import type { Binding } from '../keymap.js';
import { input, showText } from '../dialogs.js';
import { escapeTags, paint } from '../theme.js';
import { scrollText, selectList, type ScrollText, type SelectList } from '../widgets.js';
import type { ClusterOverview } from '../../pki/index.js';
import { translate, type Params } from '../../locale/catalogue.js';
import { guardedAction } from '../error-line.js';
import { verifyLines } from '../verify-lines.js';

/**
 * This machine's cluster (`/etc/kubernetes`, or `$KUBETLS_NODE_ROOT/etc/kubernetes`), read-only: its
 * certificates under the CAs that signed them, the selected one as `openssl x509 -text` shows it, and
 * verify, check-expiration, check-manifests and a copy to practise on. Nothing here writes to it.
 */

type Pki = typeof import('../../pki/index.js');

const TREE_WIDTH = 36;

export function hostClusterView(context: AppContext, dir: string): View {
  const { shell } = context;
  let pki: Pki | undefined;
  let overview: ClusterOverview | undefined;
  let tree: SelectList | undefined;
  let detail: ScrollText | undefined;
  let focus: 'tree' | 'detail' = 'tree';
  const load = async (): Promise<Pki> => (pki ??= await import('../../pki/index.js'));
  const language = () => shell.preferences().language;
  const say = (key: string, params?: Params) => translate(language(), `sandbox.host.${key}`, params);
  const guarded = (run: () => unknown) => guardedAction(shell, run);
  const mark = (ok: boolean) => (ok ? paint(shell.theme(), 'ok', shell.unicode ? '✓' : '+') : paint(shell.theme(), 'bad', shell.unicode ? '✗' : 'x'));

  /** CAs in the table's order, each followed by what it signed; the kubelet's own certificates last. */
  const ordered = () => {
    const rows = overview?.rows ?? [];
    const groups = [...rows.filter((row) => row.spec.kind === 'ca').map((row) => row.spec.name), 'self-signed'];
    return groups.flatMap((group) => rows.filter((row) => row.group === group).sort((a, b) => Number(b.spec.kind === 'ca') - Number(a.spec.kind === 'ca')));
  };

  const label = (row: ClusterOverview['rows'][number]) => {
    const status = row.status === 'ok' ? mark(true) : row.status === 'root-only' ? paint(shell.theme(), 'muted', '-') : mark(false);
    const name = row.spec.kind === 'ca' ? `{bold}${escapeTags(row.spec.name)}{/bold}` : `  ${escapeTags(row.spec.name)}`;
    return `${status} ${name}`;
  };

  const describe = () => {
    if (!detail || !overview) return;
    const row = ordered()[tree?.selected() ?? 0];
    const theme = shell.theme();
    const { cluster, node } = overview.state;
    const header = [
      paint(theme, 'accent', shell.t('hostClusterReadOnly')),
      escapeTags(dir),
      escapeTags(say('cluster-line', { node: cluster.nodeName, address: cluster.advertiseAddress, cidr: node?.serviceCidrKnown === false ? say('unknown') : cluster.serviceCidr, cluster: cluster.clusterName ?? 'kubernetes' })),
      ...(cluster.controlPlaneEndpoint ? [escapeTags(say('endpoint', { endpoint: cluster.controlPlaneEndpoint }))] : []),
      ...(cluster.externalEtcd ? [escapeTags(say('external-etcd', { endpoints: cluster.externalEtcd.endpoints.join(',') }))] : []),
      ...(node?.externalCa ? [escapeTags(say('external-ca'))] : []),
      ...(overview.notice ? [paint(theme, 'muted', escapeTags(overview.notice))] : []),
      '',
    ];
    if (!row) {
      detail.element.setContent(header.join('\n'));
    } else {
      const body = row.certificate
        ? escapeTags(pki!.formatCertificateText(row.certificate))
        : paint(theme, 'bad', say(row.status === 'root-only' ? 'root-only' : 'not-here'));
      detail.element.setContent([...header, paint(theme, 'accent', escapeTags(`${row.spec.name}  (${row.file})`)), escapeTags(pki!.purposeOf(row.spec, language())), '', body].join('\n'));
    }
    detail.top();
    shell.render();
  };

  const reload = async () => {
    const p = await load();
    overview = p.clusterOverview(dir, new Date(), language());
    tree?.setItems(ordered().map((row) => ({ label: label(row), markup: true })));
    describe();
  };

  const verify = async () => {
    const row = ordered()[tree?.selected() ?? 0];
    if (!row?.certificate || !overview) return;
    const p = await load();
    const signer = row.spec.signer === 'self' ? row.spec.name : row.spec.signer;
    const ca = overview.rows.find((candidate) => candidate.spec.name === signer)?.certificate;
    const cluster = p.clusterOf(overview.state);
    const purpose = row.spec.usages.includes('serverAuth') ? 'server' : row.spec.usages.includes('clientAuth') ? 'client' : undefined;
    const host = row.spec.server?.dialedHost(cluster);
    const cas = ca ? [ca] : row.spec.selfSignedByKubelet ? [row.certificate] : [];
    const report = p.verifyCertificate(row.certificate, { cas, purpose, host, language: language() });
    const lines = [
      paint(shell.theme(), 'muted', escapeTags(`$ kubetls verify ${row.file} --ca pki/${signer}.crt${purpose ? ` --purpose ${purpose}` : ''}${host ? ` --host ${host}` : ''}`)),
      '',
      ...verifyLines(p, report, language(), mark),
      '',
      report.ok ? paint(shell.theme(), 'ok', translate(language(), 'sandbox.verify-ok')) : paint(shell.theme(), 'bad', escapeTags(translate(language(), 'verify.failed-short', { reason: report.reason ?? '' }))),
    ];
    await showText(shell.dialogs, shell.t('verifyTitle', { cert: row.spec.name }), lines.join('\n'));
  };

  const expiration = async () => {
    const p = await load();
    const room = Math.floor((shell.screen.width as number) * 0.98) - 6;
    await showText(shell.dialogs, shell.t('expirationTitle'), escapeTags(p.formatExpirationReport(p.checkExpiration(dir), room)), { wrap: false, share: 0.98 });
  };

  const manifests = async () => {
    const p = await load();
    if (!p.manifestsReadable(dir)) {
      shell.notify(shell.t('hostClusterManifestsRootOnly'), 'bad');
      return;
    }
    const report = p.checkManifests(dir, { language: language() });
    const lines = [...report.flags.filter((flag) => !flag.ok), ...report.flags.filter((flag) => flag.ok)]
      .map((flag) => `${mark(flag.ok)} ${escapeTags(`${flag.component} ${flag.flag}=${flag.value ?? translate(language(), 'sandbox.flag-missing')}`)}${flag.ok ? '' : `\n    ${paint(shell.theme(), 'bad', escapeTags(flag.message))}`}`);
    await showText(shell.dialogs, `kubetls pki check-manifests --dir ${dir}`, lines.join('\n'), { wrap: false });
  };

  /** A copy to practise on: the only thing written, and written elsewhere. */
  const copy = async () => {
    const target = await input(shell.dialogs, shell.t('hostClusterCopyPrompt'), `${context.session.sandboxDir}-${overview?.state.cluster.nodeName ?? 'node'}`);
    if (!target) return;
    const p = await load();
    const result = p.copyNodeToSandbox({ from: dir, to: target });
    const left = result.skipped.filter((item) => item.why === 'root only').length;
    shell.notify(shell.t(left > 0 ? 'hostClusterCopiedWithout' : 'hostClusterCopied', { dir: result.dir, count: left }), left > 0 ? 'info' : 'ok');
  };

  const move = (delta: number) => {
    if (focus === 'detail') {
      detail?.scroll(delta);
      return;
    }
    tree?.move(delta);
    describe();
  };

  return {
    title: () => shell.t('hostClusterTitle'),
    bindings(): Binding[] {
      return [
        { keys: ['up', 'k'], display: '↑↓', ascii: 'Up/Down', label: 'keyMove', status: true, run: () => move(-1) },
        { keys: ['down', 'j'], display: '↓/j', label: 'keyMove', run: () => move(1) },
        { keys: ['pageup'], display: 'PgUp', label: 'keyPage', run: () => (focus === 'detail' ? detail?.page(-1) : move(-5)) },
        { keys: ['pagedown'], display: 'PgDn', label: 'keyPage', run: () => (focus === 'detail' ? detail?.page(1) : move(5)) },
        { keys: ['tab'], display: 'Tab', label: 'keyPane', run: () => { focus = focus === 'tree' ? 'detail' : 'tree'; } },
        { keys: ['enter', 'z'], display: '⏎', ascii: 'Enter', label: 'keyOpen', status: true, run: () => (detail ? showText(shell.dialogs, dir, detail.element.getContent(), { wrap: false }) : undefined) },
        { keys: ['v'], display: 'v', label: 'keyVerify', status: true, run: guarded(verify) },
        { keys: ['x'], display: 'x', label: 'keyExpiration', status: true, run: guarded(expiration) },
        { keys: ['m'], display: 'm', label: 'keyManifests', status: true, run: guarded(manifests) },
        { keys: ['c'], display: 'c', label: 'keyCopyToPractise', status: true, run: guarded(copy) },
      ];
    },
    mount(body) {
      tree = selectList(body, shell.theme(), { top: 0, left: 0, width: TREE_WIDTH, height: '100%', items: [], border: true, label: shell.t('hostClusterTitle') });
      detail = scrollText(body, shell.theme(), { top: 0, left: TREE_WIDTH, width: `100%-${TREE_WIDTH}`, height: '100%', content: '', border: true, wrap: true });
      void guarded(reload)();
    },
    unmount() {
      tree?.element.destroy();
      detail?.element.destroy();
      tree = undefined;
      detail = undefined;
    },
  };
}
