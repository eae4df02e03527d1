import type { FaultName } from '../pki/sandbox/sandbox.js';
import { isAvailableLanguage, type Language } from '../locale/catalogue.js';
import { CERTIFICATE_NAMES, findSpec } from '../pki/certificates/spec.js';

/**
 * The vocabulary a lesson file may use: languages, quiz topics, admonition kinds and sandbox
 * actions. `lessons/README.md` documents the same lists for lesson writers.
 */

export type { Language };

/** A lesson's language is one kubetls has a catalogue for (locales/<code>/). */
export function isLanguage(value: string): value is Language {
  return isAvailableLanguage(value);
}

/**
 * A question-bank topic. The course's topics are data: those its lessons name in `quiz_topics`
 * (src/lessons/course.ts); a name is lower-case words joined by dashes.
 */
export type QuizTopic = string;

export function isTopicName(value: string): boolean {
  return /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(value);
}

/** Docusaurus's admonition kinds; `caution` is Docusaurus's older name for `warning`, kept so study notes load. */
export const ADMONITION_KINDS = ['note', 'tip', 'info', 'warning', 'danger', 'caution'] as const;
export type AdmonitionKind = (typeof ADMONITION_KINDS)[number];

export function isAdmonitionKind(value: string): value is AdmonitionKind {
  return (ADMONITION_KINDS as readonly string[]).includes(value);
}

export const SANDBOX_FAULTS = ['expired', 'not-yet-valid', 'wrong-ca', 'missing-san', 'wrong-usage', 'key-mismatch', 'wrong-path'] as const satisfies readonly FaultName[];
// Fails to compile when the sandbox learns a fault this list does not name.
const everyFaultListed: Exclude<FaultName, (typeof SANDBOX_FAULTS)[number]> extends never ? true : never = true;
void everyFaultListed;

/** A step the sandbox can run for a lesson's "Try it" section, parsed from `verb:arg:arg`. */
export type SandboxAction =
  | { verb: 'pki-init' | 'csr' | 'check-expiration'; text: string }
  | { verb: 'inspect' | 'verify' | 'renew'; cert: string; text: string }
  | { verb: 'handshake'; server: string; client: string; text: string }
  | { verb: 'break'; cert: string; fault: (typeof SANDBOX_FAULTS)[number]; text: string };

export type ParsedAction = { ok: true; action: SandboxAction } | { ok: false; message: string };

const ACTION_SYNTAX = 'pki-init, inspect:<cert>, verify:<cert>, handshake:<server>:<client>, break:<cert>:<fault>, renew:<cert>, csr, check-expiration';

/** The certificate names the sandbox knows, straight from the PKI spec table. */
export function sandboxCertificateNames(): readonly string[] {
  return CERTIFICATE_NAMES;
}

/**
 * Parses a sandbox action such as `handshake:etcd/server:apiserver-etcd-client`. Certificate
 * names contain `/` but never `:`, so `:` separates the parts unambiguously.
 */
export function parseSandboxAction(text: string): ParsedAction {
  const [verb = '', ...args] = text.trim().split(':');
  const fail = (message: string): ParsedAction => ({ ok: false, message });
  const certificate = (name: string | undefined, role: string): string | ParsedAction => {
    if (name === undefined || name === '') return fail(`sandbox action "${text}" needs a ${role} name`);
    if (!CERTIFICATE_NAMES.includes(name)) {
      return fail(`sandbox action "${text}": unknown certificate "${name}" (known: ${CERTIFICATE_NAMES.join(', ')})`);
    }
    return name;
  };
  const expectArgs = (count: number): ParsedAction | undefined =>
    args.length === count ? undefined : fail(`sandbox action "${text}" takes ${count === 0 ? 'no arguments' : `${count} argument${count > 1 ? 's' : ''}`} (forms: ${ACTION_SYNTAX})`);

  switch (verb) {
    case 'pki-init':
    case 'csr':
    case 'check-expiration':
      return expectArgs(0) ?? { ok: true, action: { verb, text } };
    case 'inspect':
    case 'verify':
    case 'renew': {
      const wrongCount = expectArgs(1);
      if (wrongCount) return wrongCount;
      const cert = certificate(args[0], 'certificate');
      return typeof cert === 'string' ? { ok: true, action: { verb, cert, text } } : cert;
    }
    case 'handshake': {
      const wrongCount = expectArgs(2);
      if (wrongCount) return wrongCount;
      const server = certificate(args[0], 'server certificate');
      if (typeof server !== 'string') return server;
      const client = certificate(args[1], 'client certificate');
      return typeof client === 'string' ? { ok: true, action: { verb, server, client, text } } : client;
    }
    case 'break': {
      const wrongCount = expectArgs(2);
      if (wrongCount) return wrongCount;
      const cert = certificate(args[0], 'certificate');
      if (typeof cert !== 'string') return cert;
      const fault = SANDBOX_FAULTS.find((name) => name === args[1]);
      if (!fault) return fail(`sandbox action "${text}": unknown fault "${args[1] ?? ''}" (known: ${SANDBOX_FAULTS.join(', ')})`);
      return { ok: true, action: { verb, cert, fault, text } };
    }
    default:
      return fail(`unknown sandbox action "${text}" (forms: ${ACTION_SYNTAX})`);
  }
}

/** The sandbox's file for a certificate name: `pki/apiserver.crt`, or a kubeconfig such as `admin.conf`. */
function certificateFile(name: string): string {
  const spec = findSpec(name);
  if (!spec) return name;
  return spec.kind === 'kubeconfig' || spec.pemBundle ? spec.path : `${spec.path}.crt`;
}

/**
 * What an action runs, as the command that does the same outside the app (the sandbox directory left
 * out): "Try it" shows this, not the lesson file's `handshake:etcd/server:admin`.
 */
export function sandboxActionCommand(action: SandboxAction): string {
  switch (action.verb) {
    case 'pki-init':
      return 'kubetls pki init';
    case 'csr':
      return 'kubetls csr create --user jane --group developers; kubetls csr approve --user jane';
    case 'check-expiration':
      return 'kubetls check-expiration';
    case 'inspect':
      return `kubetls inspect ${certificateFile(action.cert)}`;
    case 'verify': {
      const signer = findSpec(action.cert)?.signer;
      return `kubetls verify ${certificateFile(action.cert)} --ca pki/${!signer || signer === 'self' ? action.cert : signer}.crt`;
    }
    case 'renew':
      return `kubetls pki renew --cert ${action.cert}`;
    case 'handshake':
      return `kubetls handshake --server ${action.server} --client ${action.client}`;
    case 'break':
      return `kubetls pki break --cert ${action.cert} --fault ${action.fault}`;
  }
}
