import { Command, Option } from 'commander';
import { commandLanguage } from '../language.js';

/**
 * The sandbox commands: pki init/show/break/renew/fix/check-manifests, inspect, verify, handshake, csr,
 * check-expiration. Definitions only; the work is imported from ./pki-actions.js when a command runs.
 */

type Actions = typeof import('./pki-actions.js');
const actions = (): Promise<Actions> => import('./pki-actions.js');

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/**
 * The root owns `--profile` (progress profiles) and commander hands it to the root wherever it appears.
 * Written after `pki init`, it can only mean the PKI profile, so `kubetls pki init --profile hard-way`
 * reads it from the command line as typed.
 */
function pkiProfileWrittenAfterInit(command: Command): string | undefined {
  let root = command;
  while (root.parent) root = root.parent;
  // commander keeps the arguments it parsed; its type definitions do not list the field
  const args = (root as unknown as { rawArgs?: string[] }).rawArgs ?? [];
  const init = args.findIndex((arg, index) => arg === 'init' && args[index - 1] === 'pki');
  let found: string | undefined;
  for (let index = init + 1; init >= 0 && index < args.length; index++) {
    const arg = args[index]!;
    if (arg === '--') break;
    if (arg === '--profile') found = args[++index];
    else if (arg.startsWith('--profile=')) found = arg.slice('--profile='.length);
  }
  return found;
}

export function registerPkiCommands(program: Command): void {
  const pki = program.command('pki').description('make, look at, break and repair the sandbox PKI');
  // commander lists commands in the order they are registered: help shows them in this order
  registerInit(pki);
  registerNodeAndForge(pki);
  registerShowAndCopy(pki);
  registerBreakAndRepair(pki);
  registerInspectAndVerify(program);
  registerHandshakeAndExpiration(program);
  registerCsr(program);
}

function registerInit(pki: Command): void {
  pki
    .command('init')
    .description("generate a cluster PKI: kubeadm's (3 CAs, their certificates, sa.key/sa.pub, 5 kubeconfigs) or the hard way's")
    .requiredOption('--dir <dir>', 'sandbox directory (gets pki/ and *.conf, like /etc/kubernetes)')
    .addOption(new Option('--pki-profile <profile>', 'kubeadm, or hard-way (Kubernetes the Hard Way); `--profile` after `pki init` means the same').choices(['kubeadm', 'hard-way']))
    .option('--worker <name=ip>', 'hard-way: a worker that gets a kubelet certificate; repeat (default worker-0..2 at 10.240.0.20-22)', collect)
    .option('--ca-in-hsm', 'generate the cluster CA key inside a SoftHSM 2 token (PKCS#11); pki/ca.key is never written')
    .option('--hsm-module <path>', 'with --ca-in-hsm: the PKCS#11 module (default: the installed libsofthsm2.so)')
    .option('--node-name <name>', 'node name (default: this host name)')
    .option('--advertise-address <ip>', 'address the apiserver advertises (default: first non-loopback IPv4)')
    .option('--service-cidr <cidr>', 'service CIDR; its first address goes into the apiserver SANs (default 10.96.0.0/12; hard-way 10.32.0.0/24)')
    .option('--dns-domain <domain>', 'cluster DNS domain', 'cluster.local')
    .option('--apiserver-cert-extra-sans <sans>', 'extra SANs for the apiserver certificate, comma-separated')
    .addOption(new Option('--key-type <type>', 'key algorithm').choices(['rsa-2048', 'rsa-3072', 'rsa-4096', 'ecdsa-p256']).default('rsa-2048'))
    .option('--ca-validity-days <days>', 'CA validity', '3650')
    .option('--cert-validity-days <days>', 'validity of every other certificate', '365')
    .option('--now <time>', 'pretend it is this time (ISO date, or +30d / -1y)')
    .option('--force', 'replace a PKI that is already there')
    .option('--json', 'print the result as JSON')
    .action(async (options, command: Command) => (await actions()).pkiInit({ ...options, pkiProfile: options.pkiProfile ?? pkiProfileWrittenAfterInit(command) }, commandLanguage(command)));
}

/** A worker joining, and what a stolen CA key allows. */
function registerNodeAndForge(pki: Command): void {
  pki
    .command('add-node')
    .description("a worker joins: kubelet client certificate through the TLS bootstrap (a CSR the cluster CA signs), serving certificate self-signed or CA-issued")
    .argument('<name>', 'node name (becomes system:node:NAME)')
    .requiredOption('--ip <ip>', "the node's address (the apiserver dials it on :10250)")
    .requiredOption('--dir <dir>', 'sandbox directory')
    .option('--server-tls-bootstrap', 'serverTLSBootstrap: true: the serving certificate comes from a kubelet-serving CSR signed by the cluster CA')
    .option('--force', 're-join a node added before')
    .option('--now <time>', 'pretend it is this time')
    .action(async (name: string, options, command: Command) => (await actions()).pkiAddNode(name, options, commandLanguage(command)));

  pki
    .command('forge')
    .description('what a stolen ca.key allows: mint a client certificate and kubeconfig for any user and groups')
    .requiredOption('--dir <dir>', 'sandbox directory')
    .requiredOption('--user <name>', 'the identity to mint (becomes the CN)')
    .option('--group <group>', 'a group (becomes an O); repeat for more, e.g. system:masters', collect)
    .option('--now <time>', 'pretend it is this time')
    .action(async (options, command: Command) => (await actions()).pkiForge(options, commandLanguage(command)));
}

function registerShowAndCopy(pki: Command): void {
  pki
    .command('show')
    .description('the sandbox (or a node\'s /etc/kubernetes, read-only) as a chain of trust, with any faults')
    .requiredOption('--dir <dir>', 'sandbox directory, or a directory kubeadm wrote such as /etc/kubernetes')
    .option('--json', 'print as JSON')
    .action(async (options, command: Command) => (await actions()).pkiShow(options, commandLanguage(command)));

  pki
    .command('copy')
    .description("copy a node's PKI, kubeconfigs and manifests (and its kubelet's files) into a new sandbox to practise on; the node's directory is only read")
    .option('--from <dir>', 'the node\'s directory (default: /etc/kubernetes, or $KUBETLS_NODE_ROOT/etc/kubernetes)')
    .requiredOption('--to <dir>', 'a new directory for the sandbox')
    .action(async (options, command: Command) => (await actions()).pkiCopy(options, commandLanguage(command)));
}

/** break, and what finds and repairs it: check-manifests, renew, fix. */
function registerBreakAndRepair(pki: Command): void {
  pki
    .command('break')
    .description('re-issue one certificate with one thing wrong, or point a manifest flag at the wrong file, for troubleshooting practice')
    .requiredOption('--dir <dir>', 'sandbox directory')
    .requiredOption('--cert <name>', 'certificate to break (apiserver, etcd/server, admin, ...); with wrong-path, the file the flag should name')
    .addOption(new Option('--fault <fault>', 'what to break').choices(['expired', 'not-yet-valid', 'wrong-ca', 'missing-san', 'wrong-usage', 'key-mismatch', 'wrong-path']).makeOptionMandatory())
    .option('--san <name>', 'with missing-san: the SAN to remove (default: the address clients dial)')
    .option('--flag <flag>', 'with wrong-path: which flag naming it (default: the first; component:--flag when two manifests share it)')
    .option('--to <path>', 'with wrong-path: the path to write (default: a plausible wrong file; `typo` misspells the right one)')
    .option('--now <time>', 'pretend it is this time')
    .action(async (options, command: Command) => (await actions()).pkiBreak(options, commandLanguage(command)));

  pki
    .command('check-manifests')
    .description('each file flag of the static Pod manifests: does the file exist where the container can see it, and is it the right kind of file')
    .requiredOption('--dir <dir>', 'sandbox directory (its manifests/ stands for /etc/kubernetes/manifests), or /etc/kubernetes itself')
    .option('--all', 'also list the flags that name no file')
    .option('--json', 'print as JSON')
    .action(async (options, command: Command) => (await actions()).pkiCheckManifests(options, commandLanguage(command)));

  pki
    .command('renew')
    .description('what `kubeadm certs renew` does: new key, same CN/O/SANs/usages, signed by the cluster CA')
    .requiredOption('--dir <dir>', 'sandbox directory')
    .requiredOption('--cert <name>', 'certificate name, or all')
    .option('--now <time>', 'pretend it is this time')
    .action(async (options, command: Command) => (await actions()).pkiRenew(options, 'renew', commandLanguage(command)));

  pki
    .command('fix')
    .description('re-create certificates from the cluster settings (like deleting them and running `kubeadm init phase certs`)')
    .requiredOption('--dir <dir>', 'sandbox directory')
    .requiredOption('--cert <name>', 'certificate name, or all')
    .option('--now <time>', 'pretend it is this time')
    .action(async (options, command: Command) => (await actions()).pkiRenew(options, 'fix', commandLanguage(command)));
}

function registerInspectAndVerify(program: Command): void {
  program
    .command('inspect')
    .description('show certificates, bundles, kubeconfigs, CSRs and keys the way `openssl x509 -text -noout` does')
    .argument('<files...>', 'files to read (PEM or DER)')
    .option('--json', 'print as JSON')
    .action(async (files: string[], options, command: Command) => (await actions()).inspect(files, options, commandLanguage(command)));

  program
    .command('verify')
    .description('check a certificate as Kubernetes components do (Go crypto/x509): chain to a CA, validity, purpose, host name or IP, matching key')
    .argument('<cert>', 'certificate (or kubeconfig) to check; certificates after the first are intermediates, as in a server\'s fullchain')
    .option('--ca <file>', 'trusted CA certificate(s); repeat for more (needed unless a kubeconfig brings its certificate-authority-data)', collect)
    .option('--untrusted <file>', 'intermediate CA certificates a chain may go through but that are not trusted themselves; repeat for more (certificates after the first in CERT count too)', collect)
    .option('--host <name-or-ip>', 'check this name or IP against the SANs')
    .addOption(new Option('--purpose <purpose>', 'check the extended key usage through the chain (serverAuth or clientAuth); without it any usage is accepted').choices(['server', 'client']))
    .option('--at <time>', 'check validity at this time instead of now')
    .option('--key <file>', 'check that this private key belongs to the certificate')
    .option('--json', 'print as JSON')
    .action(async (cert: string, options, command: Command) => (await actions()).verify(cert, options, commandLanguage(command)));
}

function registerHandshakeAndExpiration(program: Command): void {
  program
    .command('handshake')
    .description('a real mutual-TLS handshake on loopback between two identities of the sandbox')
    .requiredOption('--dir <dir>', 'sandbox directory')
    .requiredOption('--server <name>', 'serving identity: apiserver, etcd/server, etcd/peer, node/NAME (a kubelet)')
    .requiredOption('--client <name>', 'client identity: admin, apiserver-etcd-client, users/NAME, ...')
    .option('--host <name-or-ip>', 'the address the client dials (default: what its configuration says)')
    .option('--now <time>', 'the time the peers believe it is')
    .option('--json', 'print as JSON')
    .action(async (options, command: Command) => (await actions()).handshake(options, commandLanguage(command)));

  program
    .command('check-expiration')
    .description('the table `kubeadm certs check-expiration` prints, for a sandbox or a copy of /etc/kubernetes')
    .requiredOption('--dir <dir>', 'directory holding pki/ and the kubeconfig files')
    .option('--now <time>', 'pretend it is this time')
    .option('--json', 'print as JSON')
    .action(async (options, command: Command) => (await actions()).checkExpiration(options, commandLanguage(command)));
}

/** The Certificates API flow: create, approve, deny, list. */
function registerCsr(program: Command): void {
  const csr = program.command('csr').description('the Certificates API flow: a user key and CSR, approve or deny, a kubeconfig');
  csr
    .command('create')
    .description("make a user's key, CSR and the CertificateSigningRequest YAML kubectl would take")
    .requiredOption('--dir <dir>', 'sandbox directory')
    .requiredOption('--user <name>', 'user name (becomes the CN)')
    .option('--group <group>', 'group (becomes an O); repeat for more', collect)
    .option('--expiration-seconds <seconds>', 'spec.expirationSeconds', '86400')
    .option('--key-type <type>', 'key algorithm (default: the sandbox key type)')
    .option('--force', 'start over when the user has a request already: a new key; the old certificate and kubeconfig are removed')
    .action(async (options, command: Command) => (await actions()).csrCreate(options, commandLanguage(command)));
  csr
    .command('approve')
    .description('`kubectl certificate approve`: the cluster CA signs, and a kubeconfig is written')
    .requiredOption('--dir <dir>', 'sandbox directory')
    .requiredOption('--user <name>', 'whose request')
    .option('--now <time>', 'pretend it is this time')
    .action(async (options, command: Command) => (await actions()).csrApprove(options, commandLanguage(command)));
  csr
    .command('deny')
    .description('`kubectl certificate deny`')
    .requiredOption('--dir <dir>', 'sandbox directory')
    .requiredOption('--user <name>', 'whose request')
    .action(async (options, command: Command) => (await actions()).csrDeny(options, commandLanguage(command)));
  csr
    .command('list')
    .description('`kubectl get csr` for the sandbox')
    .requiredOption('--dir <dir>', 'sandbox directory')
    .action(async (options, command: Command) => (await actions()).csrList(options, commandLanguage(command)));
}
