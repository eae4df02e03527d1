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
  const pki = program.command('pki');
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
    .requiredOption('--dir <dir>')
    .addOption(new Option('--pki-profile <profile>').choices(['kubeadm', 'hard-way']))
    .addOption(new Option('--worker <name=ip>').argParser(collect))
    .option('--ca-in-hsm')
    .option('--hsm-module <path>')
    .option('--node-name <name>')
    .option('--advertise-address <ip>')
    .option('--service-cidr <cidr>')
    .addOption(new Option('--dns-domain <domain>').default('cluster.local'))
    .option('--apiserver-cert-extra-sans <sans>')
    .addOption(new Option('--key-type <type>').choices(['rsa-2048', 'rsa-3072', 'rsa-4096', 'ecdsa-p256']).default('rsa-2048'))
    .addOption(new Option('--ca-validity-days <days>').default('3650'))
    .addOption(new Option('--cert-validity-days <days>').default('365'))
    .option('--now <time>')
    .option('--force')
    .option('--json')
    .action(async (options, command: Command) => (await actions()).pkiInit({ ...options, pkiProfile: options.pkiProfile ?? pkiProfileWrittenAfterInit(command) }, commandLanguage(command)));
}

/** A worker joining, and what a stolen CA key allows. */
function registerNodeAndForge(pki: Command): void {
  pki
    .command('add-node')
    .argument('<name>')
    .requiredOption('--ip <ip>')
    .requiredOption('--dir <dir>')
    .option('--server-tls-bootstrap')
    .option('--force')
    .option('--now <time>')
    .action(async (name: string, options, command: Command) => (await actions()).pkiAddNode(name, options, commandLanguage(command)));

  pki
    .command('forge')
    .requiredOption('--dir <dir>')
    .requiredOption('--user <name>')
    .addOption(new Option('--group <group>').argParser(collect))
    .option('--now <time>')
    .action(async (options, command: Command) => (await actions()).pkiForge(options, commandLanguage(command)));
}

function registerShowAndCopy(pki: Command): void {
  pki
    .command('show')
    .requiredOption('--dir <dir>')
    .option('--json')
    .action(async (options, command: Command) => (await actions()).pkiShow(options, commandLanguage(command)));

  pki
    .command('copy')
    .option('--from <dir>')
    .requiredOption('--to <dir>')
    .action(async (options, command: Command) => (await actions()).pkiCopy(options, commandLanguage(command)));
}

/** break, and what finds and repairs it: check-manifests, renew, fix. */
function registerBreakAndRepair(pki: Command): void {
  pki
    .command('break')
    .requiredOption('--dir <dir>')
    .requiredOption('--cert <name>')
    .addOption(new Option('--fault <fault>').choices(['expired', 'not-yet-valid', 'wrong-ca', 'missing-san', 'wrong-usage', 'key-mismatch', 'wrong-path']).makeOptionMandatory())
    .option('--san <name>')
    .option('--flag <flag>')
    .option('--to <path>')
    .option('--now <time>')
    .action(async (options, command: Command) => (await actions()).pkiBreak(options, commandLanguage(command)));

  pki
    .command('check-manifests')
    .requiredOption('--dir <dir>')
    .option('--all')
    .option('--json')
    .action(async (options, command: Command) => (await actions()).pkiCheckManifests(options, commandLanguage(command)));

  pki
    .command('renew')
    .requiredOption('--dir <dir>')
    .requiredOption('--cert <name>')
    .option('--now <time>')
    .action(async (options, command: Command) => (await actions()).pkiRenew(options, 'renew', commandLanguage(command)));

  pki
    .command('fix')
    .requiredOption('--dir <dir>')
    .requiredOption('--cert <name>')
    .option('--now <time>')
    .action(async (options, command: Command) => (await actions()).pkiRenew(options, 'fix', commandLanguage(command)));
}

function registerInspectAndVerify(program: Command): void {
  program
    .command('inspect')
    .argument('<files...>')
    .option('--json')
    .action(async (files: string[], options, command: Command) => (await actions()).inspect(files, options, commandLanguage(command)));

  program
    .command('verify')
    .argument('<cert>')
    .addOption(new Option('--ca <file>').argParser(collect))
    .addOption(new Option('--untrusted <file>').argParser(collect))
    .option('--host <name-or-ip>')
    .addOption(new Option('--purpose <purpose>').choices(['server', 'client']))
    .option('--at <time>')
    .option('--key <file>')
    .option('--json')
    .action(async (cert: string, options, command: Command) => (await actions()).verify(cert, options, commandLanguage(command)));
}

function registerHandshakeAndExpiration(program: Command): void {
  program
    .command('handshake')
    .requiredOption('--dir <dir>')
    .requiredOption('--server <name>')
    .requiredOption('--client <name>')
    .option('--host <name-or-ip>')
    .option('--now <time>')
    .option('--json')
    .action(async (options, command: Command) => (await actions()).handshake(options, commandLanguage(command)));

  program
    .command('check-expiration')
    .requiredOption('--dir <dir>')
    .option('--now <time>')
    .option('--json')
    .action(async (options, command: Command) => (await actions()).checkExpiration(options, commandLanguage(command)));
}

/** The Certificates API flow: create, approve, deny, list. */
function registerCsr(program: Command): void {
  const csr = program.command('csr');
  csr
    .command('create')
    .requiredOption('--dir <dir>')
    .requiredOption('--user <name>')
    .addOption(new Option('--group <group>').argParser(collect))
    .addOption(new Option('--expiration-seconds <seconds>').default('86400'))
    .option('--key-type <type>')
    .option('--force')
    .action(async (options, command: Command) => (await actions()).csrCreate(options, commandLanguage(command)));
  csr
    .command('approve')
    .requiredOption('--dir <dir>')
    .requiredOption('--user <name>')
    .option('--now <time>')
    .action(async (options, command: Command) => (await actions()).csrApprove(options, commandLanguage(command)));
  csr
    .command('deny')
    .requiredOption('--dir <dir>')
    .requiredOption('--user <name>')
    .action(async (options, command: Command) => (await actions()).csrDeny(options, commandLanguage(command)));
  csr
    .command('list')
    .requiredOption('--dir <dir>')
    .action(async (options, command: Command) => (await actions()).csrList(options, commandLanguage(command)));
}
