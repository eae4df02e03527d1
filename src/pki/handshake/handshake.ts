import { createSecureContext, createServer, connect, checkServerIdentity, type TLSSocket, type SecureContext, type PeerCertificate } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { isIP } from 'node:net';
import { relative as relativePath } from 'node:path';
import { KubetlsError, say } from '../../errors.js';
import { BASE_LANGUAGE, translate, translatorFor, type Language } from '../../locale/catalogue.js';
import { columns, padToColumns } from '../../lessons/text.js';
import { FILE_LIMITS, readUserText } from '../../user-file.js';
import { CERTIFICATE_SPECS, type CaName, type CertificateSpec } from '../certificates/spec.js';
import { clusterOf, loadCertificateOnly, loadIdentity, readClusterState, resolveSandboxSpec, specsOfDir, type Identity } from '../sandbox/sandbox.js';
import { readWiring, wiredCas, wiredIdentity, type WiredIdentity, type Wiring } from '../manifests/static-pods.js';
import { parseKubeconfig } from '../certificates/kubeconfig.js';
import { KEY_MISMATCH_MESSAGE, verifyCertificate } from '../verify/report.js';
import { goVerify } from '../verify/go-verify.js';
import { decodePemBlocks } from '../certificates/pem.js';
import type { ParsedCertificate } from '../certificates/x509.js';

/**
 * A real mutual-TLS handshake on loopback between two identities of the sandbox, told step by step,
 * with the error the TLS stack itself raises when something is wrong.
 */

export interface HandshakeOptions {
  dir: string;
  server: string;
  client: string;
  /** The address the client believes it is dialing (checked against the server's SANs). */
  host?: string;
  now?: Date;
  timeoutMs?: number;
  /** The language of the steps and explanations; Node's, OpenSSL's and Go's own words stay as they print them. */
  language?: Language;
}

export type StepStatus = 'ok' | 'failed' | 'info' | 'skipped';

export interface HandshakeStep {
  actor: 'server' | 'client' | 'both';
  status: StepStatus;
  text: string;
}

const ACTORS: readonly HandshakeStep['actor'][] = ['server', 'client', 'both'];

/**
 * A step as one line after its mark: the side in brackets in a column (in `language`), then what
 * happened, so a sentence about the other side reads apart from it (`[client] the server presents ...`).
 * A text that starts with its own side is not given it twice: `[client] rejects ...`, not `[client] client rejects`.
 */
export function stepLine(step: HandshakeStep, language: Language = BASE_LANGUAGE): { side: string; text: string } {
  const label = (actor: HandshakeStep['actor']) => translate(language, `handshake.side.${actor}`);
  const name = label(step.actor);
  const text = step.text.startsWith(`${name} `) ? step.text.slice(name.length + 1) : step.text;
  const width = Math.max(...ACTORS.map((actor) => columns(label(actor)))) + 2;
  return { side: padToColumns(`[${name}]`, width), text };
}

export interface DerivedIdentity {
  user: string;
  groups: string[];
  /** How the server decided: a client certificate from the cluster CA, a front proxy, etcd's CN. */
  authenticator: string;
}

export interface HandshakeReport {
  ok: boolean;
  server: string;
  client: string;
  host: string;
  steps: HandshakeStep[];
  failure: HandshakeFailure | undefined;
  identity: DerivedIdentity | undefined;
  protocol: string | undefined;
  cipher: string | undefined;
}

export interface HandshakeFailure {
  side: 'server' | 'client';
  code: string | undefined;
  /** What Node's TLS (OpenSSL) said. */
  message: string;
  /** What the Go component on that side would log (crypto/tls and crypto/x509), where it would refuse. */
  goMessage: string | undefined;
  explanation: string | undefined;
}

/** The OpenSSL verification codes (and Node's) kubetls explains to a learner: `handshake.explain.<code>` (CERT_HAS_EXPIRED: cert-has-expired). */
const EXPLAINED = new Set([
  'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN', 'CERT_SIGNATURE_FAILURE', 'INVALID_PURPOSE', 'ERR_TLS_CERT_ALTNAME_INVALID', 'KEY_MISMATCH',
]);

function explanationOf(code: string | undefined, language: Language): string | undefined {
  return code !== undefined && EXPLAINED.has(code) ? translate(language, `handshake.explain.${code.toLowerCase().replaceAll('_', '-')}`) : undefined;
}

const VERIFY_MESSAGES: Record<string, string> = {
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to verify the first certificate',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unable to get local issuer certificate',
  UNABLE_TO_GET_ISSUER_CERT: 'unable to get issuer certificate',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in certificate chain',
  CERT_SIGNATURE_FAILURE: 'certificate signature failure',
  INVALID_PURPOSE: 'unsuitable certificate purpose',
  INVALID_CA: 'invalid CA certificate',
};

export const HANDSHAKE_SERVERS = CERTIFICATE_SPECS.filter((s) => s.server).map((s) => s.name);
export const HANDSHAKE_CLIENTS = CERTIFICATE_SPECS.filter((s) => s.trustsServersSignedBy).map((s) => s.name);

/** Servers and clients of one sandbox (its profile and its nodes). */
export function handshakeNames(dir: string): { servers: string[]; clients: string[] } {
  const specs = specsOfDir(dir);
  return { servers: specs.filter((s) => s.server).map((s) => s.name), clients: specs.filter((s) => s.trustsServersSignedBy).map((s) => s.name) };
}

export async function runHandshake(options: HandshakeOptions, onStep: (step: HandshakeStep) => void = () => {}): Promise<HandshakeReport> {
  const handshake = beginHandshake(options, onStep);
  const { report, step, language } = handshake;
  const peers = loadPeers(handshake);
  if ('down' in peers) return peers.down;
  const trust = trustOf(handshake, peers);
  const serverContext = secureContextOrFailure(peers.server, 'server', report, step, language);
  const clientContext = secureContextOrFailure(peers.client, 'client', report, step, language);
  if (!serverContext || !clientContext) return report;
  announce(handshake, peers, trust);

  const outcome = await exchange({
    server: peers.server, client: peers.client, clientCAs: trust.clientCAs, serverCA: trust.serverCA, host: handshake.host, timeoutMs: options.timeoutMs ?? 10_000,
  });

  if (outcome.clientError) return clientRefused(handshake, peers, trust, outcome.clientError);
  const { t, host } = handshake;
  report.protocol = outcome.protocol;
  report.cipher = outcome.cipher;
  step('both', 'ok', t('handshake.step.negotiated', { protocol: outcome.protocol ?? 'TLS', cipher: outcome.cipher ?? '?' }));
  step('client', 'ok', t('handshake.step.client-verifies', { certificate: describe(peers.server.certificate, t), trust: trust.serverTrustShown, host }));
  step('server', 'info', t('handshake.step.server-requests', { certificate: describe(peers.client.certificate, t) }));
  if (outcome.serverError) return serverRefused(handshake, peers, trust, outcome.serverError);
  return accepted(handshake, peers, trust);
}

type StepRecorder = (actor: HandshakeStep['actor'], status: StepStatus, text: string) => void;

/** One handshake under way: the two rows, where the client dials, the report being filled and how a step is told. */
interface Handshake {
  options: HandshakeOptions;
  language: Language;
  t: (key: string, params?: Record<string, string>) => string;
  serverSpec: CertificateSpec;
  clientSpec: CertificateSpec;
  serverRole: NonNullable<CertificateSpec['server']>;
  clientTrust: CaName;
  host: string;
  /** host:port as a socket error names it. */
  address: string;
  report: HandshakeReport;
  step: StepRecorder;
}

/** What each side loads, and which of them a static Pod manifest names (then the manifest's files are used). */
interface Peers {
  server: Identity;
  client: Identity;
  wiring: Wiring | undefined;
  wiredServer: RunningComponent | undefined;
  wiredClient: RunningComponent | undefined;
}

type RunningComponent = Extract<WiredIdentity, { identity: Identity }>;

/** What each side trusts, and how the steps name it. */
interface Trust {
  clientCAs: TrustedCa[];
  serverCA: { certificatePem: string; file: string };
  serverTrustShown: string;
}

/** The two rows checked (a server that serves, a client that trusts a CA) and an empty report. */
function beginHandshake(options: HandshakeOptions, onStep: (step: HandshakeStep) => void): Handshake {
  const language = options.language ?? BASE_LANGUAGE;
  const state = readClusterState(options.dir);
  const cluster = clusterOf(state, options.now);
  const serverSpec = resolveSandboxSpec(options.dir, options.server);
  const clientSpec = resolveSandboxSpec(options.dir, options.client);
  const serverRole = serverSpec.server;
  if (!serverRole) throw KubetlsError.said('handshake.errors.not-a-server', { name: serverSpec.name }, { key: 'handshake.errors.servers', params: { names: handshakeNames(options.dir).servers.join(', ') } });
  const clientTrust = clientSpec.trustsServersSignedBy;
  if (!clientTrust) throw KubetlsError.said('handshake.errors.not-a-client', { name: clientSpec.name }, { key: 'handshake.errors.clients', params: { names: handshakeNames(options.dir).clients.join(', ') } });
  const host = options.host ?? serverRole.dialedHost(cluster);
  const steps: HandshakeStep[] = [];
  const step: StepRecorder = (actor, status, text) => {
    const entry = { actor, status, text };
    steps.push(entry);
    onStep(entry);
  };
  const report: HandshakeReport = {
    ok: false, server: serverSpec.name, client: clientSpec.name, host, steps, failure: undefined, identity: undefined, protocol: undefined, cipher: undefined,
  };
  const address = `${host.includes(':') ? `[${host}]` : host}:${serverRole.port}`;
  return { options, language, t: translatorFor(language), serverSpec, clientSpec, serverRole, clientTrust, host, address, report, step };
}

/** A control-plane component presents what its static Pod manifest names, if it starts at all (else the report says it is down). */
function loadPeers(handshake: Handshake): Peers | { down: HandshakeReport } {
  const { options, serverSpec, clientSpec, report, step, address, language } = handshake;
  const wiring = readWiring(options.dir, options.now, language);
  const wiredServer = wiring ? wiredIdentity(wiring, serverSpec) : undefined;
  if (wiredServer && 'failure' in wiredServer) return { down: componentDown(report, step, 'server', wiredServer, address, options.dir, language) };
  const wiredClient = wiring ? wiredIdentity(wiring, clientSpec) : undefined;
  if (wiredClient && 'failure' in wiredClient) return { down: componentDown(report, step, 'client', wiredClient, address, options.dir, language) };
  const server = wiredServer?.identity ?? loadIdentity(options.dir, serverSpec.name);
  const client = wiredClient?.identity ?? loadIdentity(options.dir, clientSpec.name);
  return { server, client, wiring, wiredServer, wiredClient };
}

/** The CAs the server checks clients with, and the one the client checks the server with. */
function trustOf(handshake: Handshake, { client, wiring, wiredServer, wiredClient }: Peers): Trust {
  const { options, t, serverRole, clientSpec, clientTrust } = handshake;
  // only the CA certificates: a CA key may be in an HSM or elsewhere, and a handshake never needs it
  const wiredClientCas = wiring && wiredServer ? wiredCas(wiring, wiredServer.component, serverRole.peers ? 'peers' : 'clients') : undefined;
  const clientCAs: TrustedCa[] = wiredClientCas
    ? wiredClientCas.map((ca) => ({ role: ca.role.name as CaName, certificates: ca.certificates, certificatePem: ca.certificatePem, shown: t('handshake.flag-file', { flag: ca.flag, file: relativeTo(options.dir, ca.file) }) }))
    : serverRole.clientCAs.map((name) => {
        const ca = loadCertificateOnly(options.dir, name);
        return { role: name, certificates: [ca.certificate], certificatePem: ca.certificatePem, shown: name };
      });
  const wiredServerCa = wiring && wiredClient ? wiredCas(wiring, wiredClient.component, clientSpec.server?.peers ? 'peers' : 'servers', clientTrust)?.[0] : undefined;
  // a kubeconfig client trusts the CA embedded in it, as kubectl does, whatever pki/ca.crt holds
  const embeddedCa = wiredServerCa || clientSpec.kind !== 'kubeconfig' ? undefined : embeddedCaOf(client.file);
  const serverCA = wiredServerCa ?? embeddedCa ?? loadCertificateOnly(options.dir, clientTrust);
  const serverTrustShown = wiredServerCa
    ? t('handshake.ca-in-flag', { flag: wiredServerCa.flag, file: relativeTo(options.dir, wiredServerCa.file) })
    : embeddedCa
      ? t('handshake.ca-in-kubeconfig', { file: relative(client) })
      : t('handshake.flag-file', { flag: clientTrust, file: relativeTo(options.dir, serverCA.file) });
  return { clientCAs, serverCA, serverTrustShown };
}

/** The server as the steps name it: its component, or the kubelet on a node. */
function serverComponent({ t, serverSpec, serverRole }: Handshake): string {
  return serverSpec.node ? t('handshake.kubelet-on', { node: serverSpec.node }) : serverRole.component;
}

/** The first two steps: the server listens with its files and CAs, the client dials trusting its CA. */
function announce(handshake: Handshake, { server, client, wiredServer, wiredClient }: Peers, trust: Trust): void {
  const { options, t, clientSpec, address, step, language } = handshake;
  const serverShown = wiredServer ? t('handshake.in-manifest', { file: relativeTo(options.dir, server.file), flag: wiredServer.flags[0]!, component: wiredServer.component }) : relative(server);
  const clientShown = wiredClient ? t('handshake.in-manifest', { file: relativeTo(options.dir, client.file), flag: wiredClient.flags[0]!, component: wiredClient.component }) : relative(client);
  const component = serverComponent(handshake);
  const cas = trust.clientCAs.map((ca) => ca.shown).join(', ');
  step('server', 'info', cas ? t('handshake.step.listens', { component, file: serverShown, cas }) : t('handshake.step.listens-no-ca', { component, file: serverShown }));
  const url = `https://${address}`;
  const serverTrustShown = trust.serverTrustShown;
  step('client', 'info', clientSpec.serverTrustSource
    ? t('handshake.step.dials-checks', { client: clientSpec.name, file: clientShown, url, source: say(language, clientSpec.serverTrustSource), trust: serverTrustShown })
    : t('handshake.step.dials-trusts', { client: clientSpec.name, file: clientShown, url, trust: serverTrustShown }));
}

/** The client refused the server's certificate: Node's words, Go's, and why. */
function clientRefused(handshake: Handshake, { server }: Peers, trust: Trust, clientError: { code: string | undefined; message: string }): HandshakeReport {
  const { options, t, host, step, report, language } = handshake;
  const { code, message } = clientError;
  const goMessage = goRefusal(server.certificate, certificatesOfPem(trust.serverCA.certificatePem), 'server', host, options.now);
  step('client', 'info', t('handshake.step.server-presents', { certificate: describe(server.certificate, t) }));
  step('client', 'failed', goMessage ? t('handshake.step.client-rejects-go', { message, go: goMessage }) : t('handshake.step.client-rejects', { message }));
  step('both', 'skipped', t('handshake.step.client-aborts'));
  const explanation = server.spec.selfSignedByKubelet
    ? t('handshake.explain.self-signed-kubelet', { path: `${server.spec.path}.crt`, node: server.spec.node ?? '', dir: options.dir, host })
    : explanationOf(code, language);
  report.failure = { side: 'client', code, message, goMessage, explanation };
  return report;
}

/** The server refused the client's certificate (OpenSSL's code), as the apiserver or etcd would say it. */
function serverRefused(handshake: Handshake, { server, client }: Peers, trust: Trust, code: string): HandshakeReport {
  const { options, t, step, report, language } = handshake;
  const message = VERIFY_MESSAGES[code] ?? code;
  const refusal = goRefusal(client.certificate, trust.clientCAs.flatMap((ca) => ca.certificates.map((c) => c.der)), 'client', undefined, options.now);
  // kube-apiserver only requests a client certificate (Go's tls.RequestClientCert): the handshake
  // completes and its x509 authenticator refuses the request; etcd requires one and aborts the handshake
  if (server.spec.name === 'apiserver') {
    step('both', 'ok', t('handshake.step.apiserver-completes'));
    step('server', 'failed', refusal ? t('handshake.step.authenticator-rejects-go', { message, go: refusal }) : t('handshake.step.authenticator-rejects', { message }));
  } else {
    const alert = `remote error: tls: ${alertFor(refusal)}`;
    step('server', 'failed', refusal
      ? t('handshake.step.server-rejects-go', { message, component: serverComponent(handshake), go: `tls: failed to verify certificate: ${refusal}`, alert })
      : t('handshake.step.server-rejects', { message, alert }));
  }
  const goMessage = refusal && (server.spec.name === 'apiserver' ? refusal : `tls: failed to verify certificate: ${refusal}`);
  report.failure = { side: 'server', code, message, goMessage, explanation: explanationOf(code, language) };
  return report;
}

/** Both sides accepted: the CA that verified the client, and who the server takes it to be. */
function accepted(handshake: Handshake, { server, client }: Peers, trust: Trust): HandshakeReport {
  const { options, t, step, report, serverRole, language } = handshake;
  const verifiedBy = trust.clientCAs.find((ca) => verifyCertificate(client.certificate, { cas: ca.certificates, at: options.now }).ok);
  report.identity = deriveIdentity(server.spec, client.certificate, verifiedBy?.role, language);
  step('server', 'ok', t('handshake.step.server-verifies', { cas: verifiedBy?.shown ?? serverRole.clientCAs.join(', ') }));
  step('server', 'ok', t('handshake.step.identity', { user: report.identity.user, groups: report.identity.groups.join(', '), authenticator: report.identity.authenticator }));
  report.ok = true;
  return report;
}

interface TrustedCa {
  /** The CA the server treats it as (a client verified by the request-header CA is a front proxy). */
  role: CaName;
  certificates: ParsedCertificate[];
  certificatePem: string;
  shown: string;
}

/**
 * What Go's crypto/x509 says of a peer's certificate, verified as the Go component on the other side
 * does (roots from its CA file, the usage its role needs, the host it dialed); undefined if Go accepts it.
 */
function goRefusal(certificate: ParsedCertificate, roots: Buffer[], usage: 'server' | 'client', host: string | undefined, now: Date | undefined): string | undefined {
  const verdict = goVerify(certificate.der, { roots, at: now ?? new Date(), dnsName: host, keyUsages: [usage === 'server' ? 'serverAuth' : 'clientAuth'] });
  const error = verdict.error;
  // crypto/tls wraps x509's refusal of the server's certificate in its own words
  return error && usage === 'server' ? `tls: failed to verify certificate: ${error}` : error;
}

function certificatesOfPem(pem: string): Buffer[] {
  return decodePemBlocks(pem).filter((block) => block.label === 'CERTIFICATE').map((block) => block.der);
}

/** The alert a Go server (crypto/tls handshake_server.go) sends for a client certificate x509 refused. */
function alertFor(refusal: string | undefined): string {
  if (refusal?.startsWith('x509: certificate signed by unknown authority')) return 'unknown certificate authority';
  if (refusal?.startsWith('x509: certificate has expired or is not yet valid')) return 'expired certificate';
  return 'bad certificate';
}

/** A component that exits at start: nothing listens (or nothing dials), and the reason is in its log. */
function componentDown(
  report: HandshakeReport,
  step: (actor: HandshakeStep['actor'], status: StepStatus, text: string) => void,
  side: 'server' | 'client',
  wired: { component: string; failure: { code: string; message: string } },
  address: string,
  dir: string,
  language: Language,
): HandshakeReport {
  const t = translatorFor(language);
  const { component, failure } = wired;
  const message = t('handshake.not-running', { component, message: failure.message });
  step(side, 'failed', message);
  if (side === 'server') step('client', 'failed', t('handshake.step.cannot-connect', { error: `connect ECONNREFUSED ${address}` }));
  else step('both', 'skipped', t('handshake.step.never-dials', { component }));
  const why = failure.code === 'NOT_RUNNING' ? 'not-run' : failure.code === 'KEY_MISMATCH' ? 'exits-key' : 'exits';
  const explanation = t('handshake.explain.down.template', { what: t(`handshake.explain.down.${why}`), effect: t(`handshake.explain.down.${side}`), dir });
  report.failure = { side, code: failure.code, message, goMessage: undefined, explanation };
  return report;
}

function relativeTo(dir: string, file: string): string {
  return relativePath(dir, file);
}

function relative(identity: Identity): string {
  return identity.spec.kind === 'kubeconfig' || identity.spec.pemBundle ? identity.spec.path : `${identity.spec.path}.crt`;
}

function describe(certificate: ParsedCertificate, t: (key: string, params?: Record<string, string>) => string): string {
  const o = certificate.subject.organizations.length ? `, O=${certificate.subject.organizations.join('+')}` : '';
  return t('handshake.certificate', { subject: `CN=${certificate.subject.commonName ?? '?'}${o}`, issuer: `CN=${certificate.issuer.commonName ?? '?'}` });
}

function secureContextOrFailure(
  identity: Identity,
  side: 'server' | 'client',
  report: HandshakeReport,
  step: (actor: HandshakeStep['actor'], status: StepStatus, text: string) => void,
  language: Language,
): SecureContext | undefined {
  try {
    return createSecureContext({ key: identity.privateKeyPem, cert: identity.certificatePem });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    step(side, 'failed', translate(language, `handshake.step.${side}-cannot-load`, { file: relative(identity), message }));
    report.failure = { side, code: 'KEY_MISMATCH', message, goMessage: KEY_MISMATCH_MESSAGE, explanation: explanationOf('KEY_MISMATCH', language) };
    return undefined;
  }
}

/** How the server turns a verified client certificate into a user (apiserver) or a peer (etcd). */
export function deriveIdentity(server: CertificateSpec, certificate: ParsedCertificate, verifiedBy: CaName | undefined, language: Language = BASE_LANGUAGE): DerivedIdentity {
  const t = translatorFor(language);
  const user = certificate.subject.commonName ?? '';
  const isApiServer = server.server?.component === 'kube-apiserver';
  if (isApiServer && verifiedBy === 'front-proxy-ca') {
    return {
      user: t('handshake.identity.proxy-user'),
      groups: [t('handshake.identity.proxy-groups')],
      authenticator: t('handshake.identity.request-header', { user }),
    };
  }
  if (isApiServer) {
    return { user, groups: [...certificate.subject.organizations, 'system:authenticated'], authenticator: t('handshake.identity.x509') };
  }
  if (server.node) {
    // the kubelet authenticates like the apiserver (authentication.x509.clientCAFile), then asks the apiserver to authorize
    return { user, groups: [...certificate.subject.organizations, 'system:authenticated'], authenticator: t('handshake.identity.kubelet') };
  }
  return { user, groups: certificate.subject.organizations, authenticator: t('handshake.identity.etcd') };
}

interface ExchangeInput {
  server: Identity;
  client: Identity;
  clientCAs: { certificatePem: string }[];
  serverCA: { certificatePem: string };
  host: string;
  timeoutMs: number;
}

interface ExchangeOutcome {
  clientError: { code: string | undefined; message: string } | undefined;
  serverError: string | undefined;
  protocol: string | undefined;
  cipher: string | undefined;
  peer: PeerCertificate | undefined;
}

function exchange(input: ExchangeInput): Promise<ExchangeOutcome> {
  return new Promise((resolvePromise, reject) => {
    const outcome: ExchangeOutcome = { clientError: undefined, serverError: undefined, protocol: undefined, cipher: undefined, peer: undefined };
    let serverDone = false;
    let clientDone = false;
    // The server verifies by itself after the handshake (rejectUnauthorized: false) so it can say *why*
    // it refuses a client, exactly as OpenSSL reports it; the client side rejects as kubectl would.
    const server = createServer({
      key: input.server.privateKeyPem,
      cert: input.server.certificatePem,
      ca: input.clientCAs.map((ca) => ca.certificatePem),
      requestCert: true,
      rejectUnauthorized: false,
    });
    const timer = setTimeout(() => finish(new Error('the handshake did not finish within the time limit')), input.timeoutMs);
    const finish = (error?: Error) => {
      clearTimeout(timer);
      server.close();
      if (error) reject(error);
      else resolvePromise(outcome);
    };
    const maybeFinish = () => {
      if (serverDone && clientDone) finish();
    };
    server.on('secureConnection', (socket: TLSSocket) => {
      if (!socket.authorized) {
        outcome.serverError = String(socket.authorizationError ?? 'UNKNOWN');
        socket.destroy();
      } else {
        socket.end('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n');
      }
      serverDone = true;
      maybeFinish();
    });
    server.on('tlsClientError', () => {
      // the client aborted (it rejected our certificate); the client side reports why
      serverDone = true;
      maybeFinish();
    });
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      const socket = connect({
        host: '127.0.0.1',
        port,
        key: input.client.privateKeyPem,
        cert: input.client.certificatePem,
        ca: [input.serverCA.certificatePem],
        servername: isIP(input.host) ? undefined : input.host,
        checkServerIdentity: (_name, certificate) => checkServerIdentity(input.host, certificate),
        rejectUnauthorized: true,
      });
      socket.on('secureConnect', () => {
        outcome.protocol = socket.getProtocol() ?? undefined;
        outcome.cipher = socket.getCipher()?.name;
        outcome.peer = socket.getPeerCertificate();
      });
      socket.on('error', (error: NodeJS.ErrnoException) => {
        if (outcome.protocol === undefined) outcome.clientError = { code: error.code, message: error.message };
        if (!clientDone) {
          clientDone = true;
          if (outcome.clientError) serverDone = true;
          maybeFinish();
        }
      });
      socket.on('close', () => {
        if (!clientDone) {
          clientDone = true;
          maybeFinish();
        }
      });
      socket.resume();
    });
  });
}

/** The cluster CA a kubeconfig embeds (certificate-authority-data), or undefined when it names a file instead. */
function embeddedCaOf(file: string): { certificatePem: string; file: string } | undefined {
  const pem = parseKubeconfig(readUserText(file, { limit: FILE_LIMITS.pki }), file).clusters[0]?.caCertificate?.toString('utf8');
  return pem ? { certificatePem: pem, file } : undefined;
}
