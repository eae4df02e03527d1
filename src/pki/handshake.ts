import { createSecureContext, createServer, connect, checkServerIdentity, type TLSSocket, type SecureContext, type PeerCertificate } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { isIP } from 'node:net';
import { relative as relativePath } from 'node:path';
import { KubetlsError } from '../errors.js';
import { FILE_LIMITS, readUserText } from '../user-file.js';
import { CERTIFICATE_SPECS, type CaName, type CertificateSpec } from './spec.js';
import { clusterOf, loadCertificateOnly, loadIdentity, readClusterState, resolveSandboxSpec, specsOfDir, type Identity } from './sandbox.js';
import { readWiring, wiredCas, wiredIdentity } from './manifests.js';
import { parseKubeconfig } from './kubeconfig.js';
import { KEY_MISMATCH_MESSAGE, verifyCertificate } from './verify.js';
import { goVerify } from './verify/go-verify.js';
import { decodePemBlocks } from './pem.js';
import type { ParsedCertificate } from './x509.js';

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
}

export type StepStatus = 'ok' | 'failed' | 'info' | 'skipped';

export interface HandshakeStep {
  actor: 'server' | 'client' | 'both';
  status: StepStatus;
  text: string;
}

/**
 * A step as one line after its mark: the side in a column, then what happened. A text that starts
 * with its own side ("client rejects ...") is not given the side twice ("client client rejects").
 */
export function stepLine(step: HandshakeStep): { side: string; text: string } {
  const text = step.text.startsWith(`${step.actor} `) ? step.text.slice(step.actor.length + 1) : step.text;
  return { side: step.actor.padEnd(6), text };
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

/** What each OpenSSL verification code means for a learner. */
const EXPLANATIONS: Record<string, string> = {
  CERT_HAS_EXPIRED: 'the certificate is past its notAfter date: renew it',
  CERT_NOT_YET_VALID: 'the certificate starts in the future: a clock problem or a certificate issued with the wrong dates',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'no trusted CA signed this certificate: it was issued by a different CA than the peer trusts',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'no trusted CA signed this certificate: it was issued by a different CA than the peer trusts',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate signed itself and the peer does not trust it',
  SELF_SIGNED_CERT_IN_CHAIN: 'the chain ends in a CA the peer does not trust',
  CERT_SIGNATURE_FAILURE: 'the signature does not verify: the certificate was signed by another key with the same CA name',
  INVALID_PURPOSE: 'the extended key usage does not allow this role (serverAuth for servers, clientAuth for clients)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the name or IP the client dialed is not among the SANs of the server certificate',
  KEY_MISMATCH: 'the private key file does not belong to the certificate',
};

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
  const state = readClusterState(options.dir);
  const cluster = clusterOf(state, options.now);
  const serverSpec = resolveSandboxSpec(options.dir, options.server);
  const clientSpec = resolveSandboxSpec(options.dir, options.client);
  const serverRole = serverSpec.server;
  if (!serverRole) throw new KubetlsError(`${serverSpec.name} is not a serving certificate`, { hint: `servers: ${handshakeNames(options.dir).servers.join(', ')}` });
  const clientTrust = clientSpec.trustsServersSignedBy;
  if (!clientTrust) throw new KubetlsError(`${clientSpec.name} is not a client identity`, { hint: `clients: ${handshakeNames(options.dir).clients.join(', ')}` });
  const host = options.host ?? serverRole.dialedHost(cluster);
  const steps: HandshakeStep[] = [];
  const step = (actor: HandshakeStep['actor'], status: StepStatus, text: string) => {
    const entry = { actor, status, text };
    steps.push(entry);
    onStep(entry);
  };
  const report: HandshakeReport = {
    ok: false, server: serverSpec.name, client: clientSpec.name, host, steps, failure: undefined, identity: undefined, protocol: undefined, cipher: undefined,
  };

  // a control-plane component presents what its static Pod manifest names, if it starts at all
  const wiring = readWiring(options.dir, options.now);
  const wiredServer = wiring ? wiredIdentity(wiring, serverSpec) : undefined;
  if (wiredServer && 'failure' in wiredServer) return componentDown(report, step, 'server', wiredServer, `${host.includes(':') ? `[${host}]` : host}:${serverRole.port}`, options.dir);
  const wiredClient = wiring ? wiredIdentity(wiring, clientSpec) : undefined;
  if (wiredClient && 'failure' in wiredClient) return componentDown(report, step, 'client', wiredClient, `${host.includes(':') ? `[${host}]` : host}:${serverRole.port}`, options.dir);
  const server = wiredServer?.identity ?? loadIdentity(options.dir, serverSpec.name);
  const client = wiredClient?.identity ?? loadIdentity(options.dir, clientSpec.name);

  // only the CA certificates: a CA key may be in an HSM or elsewhere, and a handshake never needs it
  const wiredClientCas = wiring && wiredServer ? wiredCas(wiring, wiredServer.component, serverRole.peers ? 'peers' : 'clients') : undefined;
  const clientCAs: TrustedCa[] = wiredClientCas
    ? wiredClientCas.map((ca) => ({ role: ca.role.name as CaName, certificates: ca.certificates, certificatePem: ca.certificatePem, shown: `${ca.flag} (${relativeTo(options.dir, ca.file)})` }))
    : serverRole.clientCAs.map((name) => {
        const ca = loadCertificateOnly(options.dir, name);
        return { role: name, certificates: [ca.certificate], certificatePem: ca.certificatePem, shown: name };
      });
  const wiredServerCa = wiring && wiredClient ? wiredCas(wiring, wiredClient.component, clientSpec.server?.peers ? 'peers' : 'servers', clientTrust)?.[0] : undefined;
  // a kubeconfig client trusts the CA embedded in it, as kubectl does, whatever pki/ca.crt holds
  const embeddedCa = wiredServerCa || clientSpec.kind !== 'kubeconfig' ? undefined : embeddedCaOf(client.file);
  const serverCA = wiredServerCa ?? embeddedCa ?? loadCertificateOnly(options.dir, clientTrust);
  const serverTrustShown = wiredServerCa
    ? `the CA in ${wiredServerCa.flag} (${relativeTo(options.dir, wiredServerCa.file)})`
    : embeddedCa
      ? `the CA in certificate-authority-data of ${relative(client)}`
      : `${clientTrust} (${relativeTo(options.dir, serverCA.file)})`;
  const serverContext = secureContextOrFailure(server, 'server', report, step);
  const clientContext = secureContextOrFailure(client, 'client', report, step);
  if (!serverContext || !clientContext) return report;

  const serverShown = wiredServer ? `${relativeTo(options.dir, server.file)} (${wiredServer.flags[0]} in manifests/${wiredServer.component}.yaml)` : relative(server);
  const clientShown = wiredClient ? `${relativeTo(options.dir, client.file)} (${wiredClient.flags[0]} in manifests/${wiredClient.component}.yaml)` : relative(client);
  step('server', 'info', `${serverRole.component} listens with ${serverShown} and accepts client certificates signed by ${clientCAs.map((ca) => ca.shown).join(', ') || 'no CA'}`);
  const trust = clientSpec.serverTrustSource
    ? `checks the server against ${clientSpec.serverTrustSource}; the sandbox checks it against ${serverTrustShown}`
    : `trusts servers signed by ${serverTrustShown}`;
  step('client', 'info', `${clientSpec.name} (${clientShown}) dials https://${host.includes(':') ? `[${host}]` : host}:${serverRole.port} and ${trust}`);

  const outcome = await exchange({
    server, client, clientCAs, serverCA, host, timeoutMs: options.timeoutMs ?? 10_000,
  });

  if (outcome.clientError) {
    const code = outcome.clientError.code;
    const message = outcome.clientError.message;
    const goMessage = goRefusal(server.certificate, certificatesOfPem(serverCA.certificatePem), 'server', host, options.now);
    step('client', 'info', `server presents ${describe(server.certificate)}`);
    step('client', 'failed', `client rejects the server certificate: ${message}${goMessage ? `; a Go client (kubectl, the kube-apiserver) logs: ${goMessage}` : ''}`);
    step('both', 'skipped', 'the client aborts before sending its own certificate; the server never sees it');
    const explanation = server.spec.selfSignedByKubelet
      ? `${server.spec.path}.crt was signed by the kubelet itself, and an apiserver that verifies kubelets (--kubelet-certificate-authority=ca.crt; kubeadm leaves it unset, this handshake checks as if it were set) trusts only the cluster CA: set serverTLSBootstrap: true so the cluster CA issues it (kubetls pki add-node ${server.spec.node} --dir ${options.dir} --ip ${host} --server-tls-bootstrap --force)`
      : code ? EXPLANATIONS[code] : undefined;
    report.failure = { side: 'client', code, message, goMessage, explanation };
    return report;
  }
  report.protocol = outcome.protocol;
  report.cipher = outcome.cipher;
  step('both', 'ok', `${outcome.protocol ?? 'TLS'} negotiated (${outcome.cipher ?? 'unknown cipher'})`);
  step('client', 'ok', `server presents ${describe(server.certificate)}; the client verifies it against ${serverTrustShown} and finds ${host} in its SANs`);
  step('server', 'info', `server requests a client certificate; the client presents ${describe(client.certificate)}`);
  if (outcome.serverError) {
    const code = outcome.serverError;
    const message = VERIFY_MESSAGES[code] ?? code;
    const refusal = goRefusal(client.certificate, clientCAs.flatMap((ca) => ca.certificates.map((c) => c.der)), 'client', undefined, options.now);
    // kube-apiserver only requests a client certificate (Go's tls.RequestClientCert): the handshake
    // completes and its x509 authenticator refuses the request; etcd requires one and aborts the handshake
    if (server.spec.name === 'apiserver') {
      step('both', 'ok', 'the TLS handshake completes: the kube-apiserver asks for a client certificate but does not require one');
      step('server', 'failed', `the x509 authenticator rejects the certificate (${message}${refusal ? `; it logs "Unable to authenticate the request" with ${refusal}` : ''}): the request gets HTTP 401 Unauthorized`);
    } else {
      step('server', 'failed', `server rejects the client certificate and aborts the handshake: ${message}${refusal ? `; ${serverRole.component} logs: tls: failed to verify certificate: ${refusal}` : ''} (the client sees "remote error: tls: ${alertFor(refusal)}")`);
    }
    const goMessage = refusal && (server.spec.name === 'apiserver' ? refusal : `tls: failed to verify certificate: ${refusal}`);
    report.failure = { side: 'server', code, message, goMessage, explanation: EXPLANATIONS[code] };
    return report;
  }
  const verifiedBy = clientCAs.find((ca) => verifyCertificate(client.certificate, { cas: ca.certificates, at: options.now }).ok);
  report.identity = deriveIdentity(server.spec, client.certificate, verifiedBy?.role);
  step('server', 'ok', `server verifies the client certificate against ${verifiedBy?.shown ?? serverRole.clientCAs.join(', ')}`);
  step('server', 'ok', `identity: user "${report.identity.user}", groups [${report.identity.groups.join(', ')}] (${report.identity.authenticator})`);
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
): HandshakeReport {
  const { component, failure } = wired;
  const message = `${component} is not running: ${failure.message}`;
  step(side, 'failed', message);
  if (side === 'server') step('client', 'failed', `the client cannot connect: connect ECONNREFUSED ${address}`);
  else step('both', 'skipped', `${component} never dials out`);
  const what = failure.code === 'NOT_RUNNING' ? 'the kubelet does not run it' : `it exits at start${failure.code === 'KEY_MISMATCH' ? ' (a certificate with another certificate\'s key)' : ''}`;
  const explanation = `${what}, so ${side === 'server' ? `clients get "connection refused"` : 'it never makes this connection'}; its log (crictl logs) ends with the line above. Check the flags: kubetls pki check-manifests --dir ${dir}`;
  report.failure = { side, code: failure.code, message, goMessage: undefined, explanation };
  return report;
}

function relativeTo(dir: string, file: string): string {
  return relativePath(dir, file);
}

function relative(identity: Identity): string {
  return identity.spec.kind === 'kubeconfig' || identity.spec.pemBundle ? identity.spec.path : `${identity.spec.path}.crt`;
}

function describe(certificate: ParsedCertificate): string {
  const o = certificate.subject.organizations.length ? `, O=${certificate.subject.organizations.join('+')}` : '';
  return `CN=${certificate.subject.commonName ?? '?'}${o} (issuer CN=${certificate.issuer.commonName ?? '?'})`;
}

function secureContextOrFailure(
  identity: Identity,
  side: 'server' | 'client',
  report: HandshakeReport,
  step: (actor: HandshakeStep['actor'], status: StepStatus, text: string) => void,
): SecureContext | undefined {
  try {
    return createSecureContext({ key: identity.privateKeyPem, cert: identity.certificatePem });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    step(side, 'failed', `${side} cannot load ${relative(identity)} with its key: ${message}`);
    report.failure = { side, code: 'KEY_MISMATCH', message, goMessage: KEY_MISMATCH_MESSAGE, explanation: EXPLANATIONS['KEY_MISMATCH'] };
    return undefined;
  }
}

/** How the server turns a verified client certificate into a user (apiserver) or a peer (etcd). */
export function deriveIdentity(server: CertificateSpec, certificate: ParsedCertificate, verifiedBy: CaName | undefined): DerivedIdentity {
  const user = certificate.subject.commonName ?? '';
  const isApiServer = server.server?.component === 'kube-apiserver';
  if (isApiServer && verifiedBy === 'front-proxy-ca') {
    return {
      user: '(taken from the X-Remote-User header)',
      groups: ['(taken from X-Remote-Group headers)'],
      authenticator: `request-header: a front proxy, allowed because CN "${user}" is in --requestheader-allowed-names`,
    };
  }
  if (isApiServer) {
    return { user, groups: [...certificate.subject.organizations, 'system:authenticated'], authenticator: 'x509 client certificate: user = CN, groups = O' };
  }
  if (server.node) {
    // the kubelet authenticates like the apiserver (authentication.x509.clientCAFile), then asks the apiserver to authorize
    return {
      user,
      groups: [...certificate.subject.organizations, 'system:authenticated'],
      authenticator: 'kubelet x509 client certificate (authentication.x509.clientCAFile): user = CN, groups = O; authorized by a SubjectAccessReview',
    };
  }
  return { user, groups: certificate.subject.organizations, authenticator: 'etcd client certificate: with etcd auth enabled, CN is the etcd user' };
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
