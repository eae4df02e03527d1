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

/** The screen's state: the cluster read once, and where it is drawn. */
interface HostCluster {
  context: AppContext;
  /** The cluster's directory (its /etc/kubernetes). */
  dir: string;
  pki?: Pki;
  overview?: ClusterOverview;
  tree?: SelectList;
  detail?: ScrollText;
  focus: 'tree' | 'detail';
}

type OverviewRow = ClusterOverview['rows'][number];

export function hostClusterView(context: AppContext, dir: string): View {
  const host: HostCluster = { context, dir, focus: 'tree' };
  const { shell } = context;
  return {
    title: () => shell.t('hostClusterTitle'),
    bindings: () => hostClusterBindings(host),
    mount(body) {
      host.tree = selectList(body, shell.theme(), { top: 0, left: 0, width: TREE_WIDTH, height: '100%', items: [], border: true, label: shell.t('hostClusterTitle') });
      host.detail = scrollText(body, shell.theme(), { top: 0, left: TREE_WIDTH, width: `100%-${TREE_WIDTH}`, height: '100%', content: '', border: true, wrap: true });
      void guardedAction(shell, () => reload(host))();
    },
    unmount() {
      host.tree?.element.destroy();
      host.detail?.element.destroy();
      host.tree = undefined;
      host.detail = undefined;
    },
  };
}

function hostClusterBindings(host: HostCluster): Binding[] {
  const { shell } = host.context;
  const guarded = (run: () => unknown) => guardedAction(shell, run);
  return [
    { keys: ['up', 'k'], display: '↑↓', ascii: 'Up/Down', label: 'keyMove', status: true, run: () => move(host, -1) },
    { keys: ['down', 'j'], display: '↓/j', label: 'keyMove', run: () => move(host, 1) },
    { keys: ['pageup'], display: 'PgUp', label: 'keyPage', run: () => (host.focus === 'detail' ? host.detail?.page(-1) : move(host, -5)) },
    { keys: ['pagedown'], display: 'PgDn', label: 'keyPage', run: () => (host.focus === 'detail' ? host.detail?.page(1) : move(host, 5)) },
    { keys: ['tab'], display: 'Tab', label: 'keyPane', run: () => { host.focus = host.focus === 'tree' ? 'detail' : 'tree'; } },
    { keys: ['enter', 'z'], display: '⏎', ascii: 'Enter', label: 'keyOpen', status: true, run: () => (host.detail ? showText(shell.dialogs, host.dir, host.detail.element.getContent(), { wrap: false }) : undefined) },
    { keys: ['v'], display: 'v', label: 'keyVerify', status: true, run: guarded(() => verify(host)) },
    { keys: ['x'], display: 'x', label: 'keyExpiration', status: true, run: guarded(() => expiration(host)) },
    { keys: ['m'], display: 'm', label: 'keyManifests', status: true, run: guarded(() => manifests(host)) },
    { keys: ['c'], display: 'c', label: 'keyCopyToPractise', status: true, run: guarded(() => copy(host)) },
  ];
}

const load = async (host: HostCluster): Promise<Pki> => (host.pki ??= await import('../../pki/index.js'));
const language = (host: HostCluster) => host.context.shell.preferences().language;
const say = (host: HostCluster, key: string, params?: Params) => translate(language(host), `sandbox.host.${key}`, params);

function mark(host: HostCluster, ok: boolean): string {
  const { shell } = host.context;
  return ok ? paint(shell.theme(), 'ok', shell.unicode ? '✓' : '+') : paint(shell.theme(), 'bad', shell.unicode ? '✗' : 'x');
}

/** CAs in the table's order, each followed by what it signed; the kubelet's own certificates last. */
function ordered(host: HostCluster): OverviewRow[] {
  const rows = host.overview?.rows ?? [];
  const groups = [...rows.filter((row) => row.spec.kind === 'ca').map((row) => row.spec.name), 'self-signed'];
  return groups.flatMap((group) => rows.filter((row) => row.group === group).sort((a, b) => Number(b.spec.kind === 'ca') - Number(a.spec.kind === 'ca')));
}

const selectedRow = (host: HostCluster): OverviewRow | undefined => ordered(host)[host.tree?.selected() ?? 0];

function label(host: HostCluster, row: OverviewRow): string {
  const status = row.status === 'ok' ? mark(host, true) : row.status === 'root-only' ? paint(host.context.shell.theme(), 'muted', '-') : mark(host, false);
  const name = row.spec.kind === 'ca' ? `{bold}${escapeTags(row.spec.name)}{/bold}` : `  ${escapeTags(row.spec.name)}`;
  return `${status} ${name}`;
}

/** The cluster's settings, then the selected certificate as `openssl x509 -text` shows it. */
function describe(host: HostCluster): void {
  const { detail, overview } = host;
  const { shell } = host.context;
  if (!detail || !overview) return;
  const row = selectedRow(host);
  const theme = shell.theme();
  const header = clusterHeader(host, overview);
  if (!row) {
    detail.element.setContent(header.join('\n'));
  } else {
    const body = row.certificate
      ? escapeTags(host.pki!.formatCertificateText(row.certificate))
      : paint(theme, 'bad', say(host, row.status === 'root-only' ? 'root-only' : 'not-here'));
    detail.element.setContent([...header, paint(theme, 'accent', escapeTags(`${row.spec.name}  (${row.file})`)), escapeTags(host.pki!.purposeOf(row.spec, language(host))), '', body].join('\n'));
  }
  detail.top();
  shell.render();
}

function clusterHeader(host: HostCluster, overview: ClusterOverview): string[] {
  const { shell } = host.context;
  const theme = shell.theme();
  const { cluster, node } = overview.state;
  return [
    paint(theme, 'accent', shell.t('hostClusterReadOnly')),
    escapeTags(host.dir),
    escapeTags(say(host, 'cluster-line', { node: cluster.nodeName, address: cluster.advertiseAddress, cidr: node?.serviceCidrKnown === false ? say(host, 'unknown') : cluster.serviceCidr, cluster: cluster.clusterName ?? 'kubernetes' })),
    ...(cluster.controlPlaneEndpoint ? [escapeTags(say(host, 'endpoint', { endpoint: cluster.controlPlaneEndpoint }))] : []),
    ...(cluster.externalEtcd ? [escapeTags(say(host, 'external-etcd', { endpoints: cluster.externalEtcd.endpoints.join(',') }))] : []),
    ...(node?.externalCa ? [escapeTags(say(host, 'external-ca'))] : []),
    ...(overview.notice ? [paint(theme, 'muted', escapeTags(overview.notice))] : []),
    '',
  ];
}

async function reload(host: HostCluster): Promise<void> {
  const p = await load(host);
  host.overview = p.clusterOverview(host.dir, new Date(), language(host));
  host.tree?.setItems(ordered(host).map((row) => ({ label: label(host, row), markup: true })));
  describe(host);
}

async function verify(host: HostCluster): Promise<void> {
  const { shell } = host.context;
  const row = selectedRow(host);
  const overview = host.overview;
  if (!row?.certificate || !overview) return;
  const p = await load(host);
  const signer = row.spec.signer === 'self' ? row.spec.name : row.spec.signer;
  const ca = overview.rows.find((candidate) => candidate.spec.name === signer)?.certificate;
  const cluster = p.clusterOf(overview.state);
  const purpose = row.spec.usages.includes('serverAuth') ? 'server' : row.spec.usages.includes('clientAuth') ? 'client' : undefined;
  const hostName = row.spec.server?.dialedHost(cluster);
  const cas = ca ? [ca] : row.spec.selfSignedByKubelet ? [row.certificate] : [];
  const report = p.verifyCertificate(row.certificate, { cas, purpose, host: hostName, language: language(host) });
  const lines = [
    paint(shell.theme(), 'muted', escapeTags(`$ kubetls verify ${row.file} --ca pki/${signer}.crt${purpose ? ` --purpose ${purpose}` : ''}${hostName ? ` --host ${hostName}` : ''}`)),
    '',
    ...verifyLines(p, report, language(host), (ok) => mark(host, ok)),
    '',
    report.ok ? paint(shell.theme(), 'ok', translate(language(host), 'sandbox.verify-ok')) : paint(shell.theme(), 'bad', escapeTags(translate(language(host), 'verify.failed-short', { reason: report.reason ?? '' }))),
  ];
  await showText(shell.dialogs, shell.t('verifyTitle', { cert: row.spec.name }), lines.join('\n'));
}

async function expiration(host: HostCluster): Promise<void> {
  const { shell } = host.context;
  const p = await load(host);
  const room = Math.floor((shell.screen.width as number) * 0.98) - 6;
  await showText(shell.dialogs, shell.t('expirationTitle'), escapeTags(p.formatExpirationReport(p.checkExpiration(host.dir), room)), { wrap: false, share: 0.98 });
}

async function manifests(host: HostCluster): Promise<void> {
  const { shell } = host.context;
  const p = await load(host);
  if (!p.manifestsReadable(host.dir)) {
    shell.notify(shell.t('hostClusterManifestsRootOnly'), 'bad');
    return;
  }
  const report = p.checkManifests(host.dir, { language: language(host) });
  const lines = [...report.flags.filter((flag) => !flag.ok), ...report.flags.filter((flag) => flag.ok)]
    .map((flag) => `${mark(host, flag.ok)} ${escapeTags(`${flag.component} ${flag.flag}=${flag.value ?? translate(language(host), 'sandbox.flag-missing')}`)}${flag.ok ? '' : `\n    ${paint(shell.theme(), 'bad', escapeTags(flag.message))}`}`);
  await showText(shell.dialogs, `kubetls pki check-manifests --dir ${host.dir}`, lines.join('\n'), { wrap: false });
}

/** A copy to practise on: the only thing written, and written elsewhere. */
async function copy(host: HostCluster): Promise<void> {
  const { shell, session } = host.context;
  const target = await input(shell.dialogs, shell.t('hostClusterCopyPrompt'), `${session.sandboxDir}-${host.overview?.state.cluster.nodeName ?? 'node'}`);
  if (!target) return;
  const p = await load(host);
  const result = p.copyNodeToSandbox({ from: host.dir, to: target });
  const left = result.skipped.filter((item) => item.why === 'root only').length;
  shell.notify(shell.t(left > 0 ? 'hostClusterCopiedWithout' : 'hostClusterCopied', { dir: result.dir, count: left }), left > 0 ? 'info' : 'ok');
}

function move(host: HostCluster, delta: number): void {
  if (host.focus === 'detail') {
    host.detail?.scroll(delta);
    return;
  }
  host.tree?.move(delta);
  describe(host);
}
