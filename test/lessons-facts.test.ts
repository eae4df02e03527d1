import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  FLAGS_SHARED_WITH_CLIENT_TOOLS, KUBERNETES_PATHS, NODE_COMMON_NAME_PREFIX, REFERENCE_COMMON_NAMES, REFERENCE_FLAGS, CHECKED_FLAGS,
  REFERENCE_ORGANIZATIONS, RESERVED_IDENTITY, SERVICE_ACCOUNT_USER_PREFIX, UNREFERENCED_COMPONENT_FLAGS, type Component,
} from './fixtures/lessons/kubeadm-facts.js';

/**
 * Facts in the lessons against the reference (/work/shared/reference/kubeadm-pki.md, encoded in
 * ./fixtures/lessons/kubeadm-facts.ts): every /etc/kubernetes path, every TLS flag of the five
 * components (and the file it is given), every Kubernetes-looking CN and O. Mentions are found
 * with regexes over the raw markdown, so a mistake is reported with its file and line.
 */

const repository = fileURLToPath(new URL('../../', import.meta.url));
const REFERENCE_FILE = '/work/shared/reference/kubeadm-pki.md';

interface Problem {
  line: number;
  message: string;
}

const COMPONENTS = Object.keys(REFERENCE_FLAGS) as Component[];
const referenceFlagsOfAnyComponent = new Set(COMPONENTS.flatMap((component) => Object.keys(REFERENCE_FLAGS[component])));
const checkedFlagsOfAnyComponent = new Set(COMPONENTS.flatMap((component) => Object.keys(CHECKED_FLAGS[component])));
const watchedFlags = new Set([...checkedFlagsOfAnyComponent, ...Object.keys(UNREFERENCED_COMPONENT_FLAGS)]);
// a line that starts a component's command: `- kube-apiserver` in a manifest, `$ etcd \` in a shell
const COMPONENT_COMMAND = /^\s*(?:-\s+|\$\s+|sudo\s+)?(kube-apiserver|etcd|kube-controller-manager|kube-scheduler|kubelet)(?:\s|$)/;

function expandBraces(path: string): string[] {
  const match = /\{([^{}]*)\}/.exec(path);
  if (!match) return [path];
  return (match[1] ?? '').split(',').flatMap((choice) => expandBraces(path.slice(0, match.index) + choice + path.slice(match.index + match[0].length)));
}

function checkPath(raw: string): string | undefined {
  let path = raw.replace(/[.,:;]+$/, '');
  if (path.length > 1) path = path.replace(/\/+$/, '');
  for (const candidate of expandBraces(path)) {
    if (candidate.includes('*')) {
      const pattern = new RegExp(`^${candidate.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
      if (!KUBERNETES_PATHS.some((known) => pattern.test(known))) return `${candidate} matches no file the reference lists`;
    } else if (!KUBERNETES_PATHS.includes(candidate)) {
      return `${candidate} is not a path the reference lists`;
    }
  }
  return undefined;
}

function checkFlag(flag: string, value: string | undefined, component: Component | undefined): string | undefined {
  if (!watchedFlags.has(flag)) return undefined;
  const owners = component ? [component] : COMPONENTS.filter((candidate) => flag in CHECKED_FLAGS[candidate]);
  if (owners.length === 0 || (component && !(flag in CHECKED_FLAGS[component]))) {
    const of = component ?? (UNREFERENCED_COMPONENT_FLAGS[flag] ?? []).join('/');
    return `${flag} (${of}) is not a flag the reference lists`;
  }
  if (value === undefined || (FLAGS_SHARED_WITH_CLIENT_TOOLS.includes(flag) && !component)) return undefined;
  const expected = owners.map((owner) => CHECKED_FLAGS[owner][flag]).filter((file): file is string => file !== undefined);
  const cleaned = value.replace(/[.,;]+$/, '');
  const checkable = cleaned.startsWith('/etc/kubernetes/') || expected.some((file) => !file.startsWith('/'));
  if (!checkable || expected.length === 0 || expected.includes(cleaned)) return undefined;
  return `${flag}=${cleaned}: the reference gives ${[...new Set(expected)].join(' or ')}`;
}

function checkIdentity(kind: 'CN' | 'O', raw: string): string | undefined {
  const value = raw.replace(/[.,:;]+$/, '').trim();
  if (!RESERVED_IDENTITY.test(value) || value.startsWith(SERVICE_ACCOUNT_USER_PREFIX)) return undefined;
  if (kind === 'CN' && (REFERENCE_COMMON_NAMES.includes(value) || (value.startsWith(NODE_COMMON_NAME_PREFIX) && value.length > NODE_COMMON_NAME_PREFIX.length))) return undefined;
  if (kind === 'O' && REFERENCE_ORGANIZATIONS.includes(value)) return undefined;
  return `${kind}=${value} is not a ${kind === 'CN' ? 'common name' : 'group'} the reference lists`;
}

function tableCells(line: string): string[] {
  return line.trim().replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/).map((cell) => cell.trim());
}

/** Every fact mention in one lesson file that the reference does not back. */
export function scanFacts(text: string): Problem[] {
  const problems: Problem[] = [];
  const lines = text.split('\n');
  let fence: string | undefined;
  let component: Component | undefined;
  let tableIdentityColumns: Map<number, 'CN' | 'O'> | undefined;
  lines.forEach((line, index) => {
    const lineNumber = index + 1;
    const report = (message: string | undefined): void => {
      if (message) problems.push({ line: lineNumber, message });
    };
    const fenceMatch = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fenceMatch?.[1]) {
      if (fence === undefined) fence = fenceMatch[1];
      else if (fenceMatch[1][0] === fence[0]) fence = undefined;
      component = undefined;
      return;
    }
    if (fence !== undefined) {
      const command = COMPONENT_COMMAND.exec(line);
      if (command?.[1]) component = command[1] as Component;
    }

    for (const match of line.matchAll(/\/etc\/kubernetes(?:\/[\w.*{},-]+)*\/?/g)) report(checkPath(match[0]));
    for (const match of line.matchAll(/(?<![\w-])(--[a-z][a-z0-9-]*)(?:=([^\s`'"),;]+))?/g)) {
      report(checkFlag(match[1] ?? '', match[2], fence !== undefined ? component : undefined));
    }
    const identityPatterns = [/\b(CN|O)\s*=\s*([^\s,/"'`)\]|]+)/g, /\b(CN|O)\s+`([^`]+)`/g, /\b(CN|O) is `?([\w:.<>-]+)/g];
    for (const pattern of identityPatterns) {
      for (const match of line.matchAll(pattern)) report(checkIdentity(match[1] as 'CN' | 'O', match[2] ?? ''));
    }

    // tables with a CN or O column: `| user (CN) | group (O) |`
    if (fence === undefined && line.trim().startsWith('|')) {
      const next = lines[index + 1] ?? '';
      if (!tableIdentityColumns && /^\s*\|?\s*:?-{3,}/.test(next)) {
        tableIdentityColumns = new Map();
        tableCells(line).forEach((cell, column) => {
          const header = cell.replace(/[`*]/g, '');
          if (/^CN(?:\s*\(.*\))?$|\(CN\)/.test(header)) tableIdentityColumns?.set(column, 'CN');
          else if (/^O(?:\s*\(.*\))?$|\(O\)/.test(header)) tableIdentityColumns?.set(column, 'O');
        });
      } else if (tableIdentityColumns && !/^\s*\|?\s*:?-{3,}/.test(line)) {
        tableCells(line).forEach((cell, column) => {
          const kind = tableIdentityColumns?.get(column);
          if (!kind) return;
          const quoted = [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? '');
          const values = quoted.length > 0 ? quoted : cell.split(',').map((part) => part.trim()).filter((part) => part !== '' && !/\s/.test(part));
          for (const value of values) report(checkIdentity(kind, value));
        });
      }
    } else {
      tableIdentityColumns = undefined;
    }
  });
  return problems;
}

function courseFiles(): string[] {
  return ['en', 'ko'].flatMap((lang) => {
    const dir = join(repository, 'lessons', lang);
    return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.md')).sort().map((name) => join(dir, name)) : [];
  });
}

test('the scanner finds every deliberate mistake, on its line, and nothing else', () => {
  const text = readFileSync(join(repository, 'test/fixtures/lessons/facts/mistakes.md'), 'utf8');
  const found = scanFacts(text).map((problem) => `${problem.line}: ${problem.message}`);
  assert.equal(found, [
    '7: /etc/kubernetes/pki/apiserver-client.crt is not a path the reference lists',
    '7: /etc/kubernetes/pki/users/jane.crt is not a path the reference lists',
    '9: /etc/kubernetes/pki/*.pem matches no file the reference lists',
    '14: --etcd-certfile=/etc/kubernetes/pki/etcd/server.crt: the reference gives /etc/kubernetes/pki/apiserver-etcd-client.crt',
    '15: --tls-sni-cert-key (kube-apiserver/kube-controller-manager/kube-scheduler) is not a flag the reference lists',
    '20: --client-ca-file (etcd) is not a flag the reference lists',
    '21: --peer-cert-file=/etc/kubernetes/pki/etcd/server.crt: the reference gives /etc/kubernetes/pki/etcd/peer.crt',
    '25: CN=kube-admin is not a common name the reference lists',
    '25: O=system:admins is not a group the reference lists',
    '25: CN=kubernetes-administrator is not a common name the reference lists',
    '30: CN=system:scheduler is not a common name the reference lists',
  ]);
});

test('every path, component flag, CN and O in the course lessons is one the reference lists', () => {
  const files = courseFiles();
  assert.ok(files.length > 0, 'the course has lesson files');
  const problems = files.flatMap((file) => scanFacts(readFileSync(file, 'utf8')).map((problem) => `${relative(repository, file)}:${problem.line}: ${problem.message}`));
  assert.equal(problems, [], `facts the reference does not back:\n${problems.join('\n')}`);
});

test('the encoded facts are the reference file\'s facts', () => {
  if (!existsSync(REFERENCE_FILE)) {
    console.warn(`(skipped: ${REFERENCE_FILE} is not on this machine)`);
    return;
  }
  const reference = readFileSync(REFERENCE_FILE, 'utf8');
  for (const flag of referenceFlagsOfAnyComponent) {
    if (flag === '--kubeconfig' || flag === '--bootstrap-kubeconfig') continue; // the kubelet's, given as files in prose
    assert.ok(reference.includes(flag), `${flag} is in the reference`);
  }
  for (const flag of Object.keys(UNREFERENCED_COMPONENT_FLAGS)) assert.not.ok(reference.includes(`${flag} `) || reference.includes(`${flag}\``), `${flag} is now in the reference: move it to REFERENCE_FLAGS`);
  for (const name of [...REFERENCE_COMMON_NAMES, ...REFERENCE_ORGANIZATIONS]) assert.ok(reference.includes(name), `${name} is in the reference`);
  for (const path of KUBERNETES_PATHS) {
    const name = path.replace(/^\/etc\/kubernetes\/?/, '').replace(/^(pki|manifests)\//, '');
    if (['', 'pki', 'etcd', 'manifests'].includes(name)) continue;
    // the reference writes key files as "apiserver.crt / .key"
    assert.ok(reference.includes(name) || reference.includes(name.replace(/\.key$/, '.crt')), `${path} is in the reference`);
  }
});

test.run();
