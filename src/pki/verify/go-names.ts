import { formatIp } from '../certificates/x509.js';

/**
 * Names as Go's crypto/x509 (verify.go, Go 1.23) reads and matches them: host names against SANs
 * (VerifyHostname: wildcard only as a whole leftmost label, never the subject CN), and the leaf's
 * names against a CA's name constraints. Strings are handled as Go's byte strings: each character
 * of a latin1-decoded buffer is one byte.
 */

export function isIa5(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** "foo.example.com" -> ["com", "example", "foo"]; undefined for an empty label or a byte outside 33..126. */
export function domainToReverseLabels(domain: string): string[] | undefined {
  if (domain.length === 0) return [];
  const labels = domain.split('.').reverse();
  for (const label of labels) {
    if (label.length === 0) return undefined;
    for (let i = 0; i < label.length; i++) {
      const c = label.charCodeAt(i);
      if (c < 33 || c > 126) return undefined;
    }
  }
  return labels;
}

export interface Mailbox {
  local: string;
  domain: string;
}

/** parseRFC2821Mailbox: quoted or dot-atom local part, then @ and a domain Go can split into labels. */
export function parseRfc2821Mailbox(input: string): Mailbox | undefined {
  if (input.length === 0) return undefined;
  const parsed = input[0] === '"' ? quotedLocalPart(input.slice(1)) : atomLocalPart(input);
  if (!parsed) return undefined;
  const { local, rest } = parsed;
  if (rest[0] !== '@') return undefined;
  const domain = rest.slice(1);
  if (!domainToReverseLabels(domain)) return undefined;
  return { local, domain };
}

function quotedLocalPart(input: string): { local: string; rest: string } | undefined {
  let local = '';
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c === 0x22) return { local, rest: input.slice(i + 1) };
    if (c === 0x5c) {
      const next = input.charCodeAt(++i);
      if (Number.isNaN(next) || !(next === 11 || next === 12 || (next >= 1 && next <= 9) || (next >= 14 && next <= 127))) return undefined;
      local += input[i];
    } else if (c === 11 || c === 12 || c === 32 || c === 33 || c === 127 || (c >= 1 && c <= 8) || (c >= 14 && c <= 31) || (c >= 35 && c <= 91) || (c >= 93 && c <= 126)) {
      local += input[i];
    } else {
      return undefined;
    }
  }
  return undefined;
}

const ATEXT = /[0-9a-zA-Z!#$%&'*+\-/=?^_`{|}~.]/;

function atomLocalPart(input: string): { local: string; rest: string } | undefined {
  let local = '';
  let i = 0;
  while (i < input.length) {
    let c = input[i]!;
    if (c === '\\') {
      i++;
      if (i >= input.length) return undefined;
      c = input[i]!;
    } else if (!ATEXT.test(c)) {
      break;
    }
    local += c;
    i++;
  }
  if (local.length === 0 || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return undefined;
  return { local, rest: input.slice(i) };
}

/** The parts of Go's url.Parse that name constraints read: the host (with any port). */
export function parseGoUri(text: string): { host: string } | string {
  const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:/.exec(text);
  const rest = scheme ? text.slice(scheme[0].length) : text;
  if (!rest.startsWith('//')) return { host: '' };
  const authority = rest.slice(2).split(/[/?#]/)[0]!;
  const at = authority.lastIndexOf('@');
  return { host: at >= 0 ? authority.slice(at + 1) : authority };
}

// ---- name constraints ---------------------------------------------------------------------------

export type MatchResult = boolean | { error: string };

export function matchDomainConstraint(domain: string, constraint: string): MatchResult {
  if (constraint.length === 0) return true;
  const domainLabels = domainToReverseLabels(domain);
  if (!domainLabels) return { error: `x509: internal error: cannot parse domain ${goQuote(domain)}` };
  const mustHaveSubdomains = constraint.startsWith('.');
  const bare = mustHaveSubdomains ? constraint.slice(1) : constraint;
  const constraintLabels = domainToReverseLabels(bare);
  if (!constraintLabels) return { error: `x509: internal error: cannot parse domain ${goQuote(bare)}` };
  if (domainLabels.length < constraintLabels.length || (mustHaveSubdomains && domainLabels.length === constraintLabels.length)) return false;
  return constraintLabels.every((label, i) => equalFold(label, domainLabels[i]!));
}

export function matchEmailConstraint(mailbox: Mailbox, constraint: string): MatchResult {
  if (constraint.includes('@')) {
    const wanted = parseRfc2821Mailbox(constraint);
    if (!wanted) return { error: `x509: internal error: cannot parse constraint ${goQuote(constraint)}` };
    return mailbox.local === wanted.local && equalFold(mailbox.domain, wanted.domain);
  }
  return matchDomainConstraint(mailbox.domain, constraint);
}

export function matchUriConstraint(uri: string, constraint: string): MatchResult {
  const parsed = parseGoUri(uri);
  let host = typeof parsed === 'string' ? '' : parsed.host;
  if (host.length === 0) return { error: `URI with empty host (${goQuote(uri)}) cannot be matched against constraints` };
  if (host.includes(':') && !host.endsWith(']')) {
    const split = splitHostPort(host);
    if (typeof split !== 'string') return split;
    host = split;
  }
  if (isGoIp(host) || (host.startsWith('[') && host.endsWith(']'))) {
    return { error: `URI with IP (${goQuote(uri)}) cannot be matched against constraints` };
  }
  return matchDomainConstraint(host, constraint);
}

function splitHostPort(hostPort: string): string | { error: string } {
  const colon = hostPort.lastIndexOf(':');
  const host = hostPort.slice(0, colon);
  if (host.includes(':')) return { error: `address ${hostPort}: too many colons in address` };
  return host;
}

export function matchIpConstraint(ip: Buffer, constraint: { ip: Buffer; mask: Buffer }): MatchResult {
  if (ip.length !== constraint.ip.length) return false;
  for (let i = 0; i < ip.length; i++) {
    const mask = constraint.mask[i]!;
    if ((ip[i]! & mask) !== (constraint.ip[i]! & mask)) return false;
  }
  return true;
}

// ---- host names (VerifyHostname) ----------------------------------------------------------------

export function toLowerAscii(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

function equalFold(a: string, b: string): boolean {
  return toLowerAscii(a) === toLowerAscii(b);
}

/** RFC 6125 host names with Go's leniency (underscores); a pattern may start with a whole "*" label. */
export function validHostname(host: string, isPattern: boolean): boolean {
  if (!isPattern && host.endsWith('.')) host = host.slice(0, -1);
  if (host.length === 0 || host === '*') return false;
  return host.split('.').every((part, i) => {
    if (part === '') return false;
    if (isPattern && i === 0 && part === '*') return true;
    return /^[a-zA-Z0-9_][a-zA-Z0-9_-]*$/.test(part);
  });
}

export function matchHostnames(pattern: string, host: string): boolean {
  pattern = toLowerAscii(pattern);
  host = toLowerAscii(host.endsWith('.') ? host.slice(0, -1) : host);
  if (pattern.length === 0 || host.length === 0) return false;
  const patternParts = pattern.split('.');
  const hostParts = host.split('.');
  if (patternParts.length !== hostParts.length) return false;
  return patternParts.every((part, i) => (i === 0 && part === '*') || part === hostParts[i]);
}

export function matchExactly(a: string, b: string): boolean {
  if (a === '' || a === '.' || b === '' || b === '.') return false;
  return toLowerAscii(a) === toLowerAscii(b);
}

// ---- Go's text: %q and net.IP -------------------------------------------------------------------

/** strconv.Quote, as Go's %q prints a string. */
export function goQuote(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === '"' || char === '\\') out += `\\${char}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\t') out += '\\t';
    else if (char === '\r') out += '\\r';
    else if (code === 0x07) out += '\\a';
    else if (code === 0x08) out += '\\b';
    else if (code === 0x0c) out += '\\f';
    else if (code === 0x0b) out += '\\v';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code === 0xfffd && char !== '\ufffd') out += '\\ufffd';
    else out += char;
  }
  return `${out}"`;
}

/** net.ParseIP accepts it: dotted IPv4 without leading zeros, or IPv6 (no zone). */
export function isGoIp(text: string): boolean {
  return parseGoIp(text) !== undefined;
}

/** net.ParseIP: 4 bytes for IPv4, 16 for IPv6; undefined when it is not an address. */
export function parseGoIp(text: string): Buffer | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const parts = v4.slice(1).map((p) => (p.length > 1 && p.startsWith('0') ? 256 : Number(p)));
    return parts.every((p) => p <= 255) ? Buffer.from(parts) : undefined;
  }
  if (!text.includes(':') || text.includes('%')) return undefined;
  return parseIpv6(text);
}

function parseIpv6(text: string): Buffer | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string): number[] | undefined => {
    if (part === '') return [];
    const groups: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseGoIp(piece);
        if (!v4 || v4.length !== 4) return undefined;
        groups.push(v4.readUInt16BE(0), v4.readUInt16BE(2));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) {
        groups.push(parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return groups;
  };
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const bytes = Buffer.alloc(16);
  groups.forEach((g, i) => bytes.writeUInt16BE(g, i * 2));
  return bytes;
}

/** net.IP.String(): IPv4 (also IPv4-mapped) dotted, IPv6 per RFC 5952. */
export function goIpString(ip: Buffer): string {
  const mapped = ip.length === 16 && ip.subarray(0, 10).every((b) => b === 0) && ip[10] === 0xff && ip[11] === 0xff;
  return formatIp(mapped ? ip.subarray(12) : ip);
}
