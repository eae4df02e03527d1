import type { NormalizeKind } from './types.js';

/**
 * Forgiving comparison of free-text answers. A learner who types `apiserver.crt` for
 * `/etc/kubernetes/pki/apiserver.crt`, `365 days` for `1 year`, or `CN=kube-apiserver` for
 * `kube-apiserver` knows the answer; a learner who types `System:Kube-Scheduler` does not (the
 * apiserver would not know that user either), so names keep their case.
 */

const PKI_DIR = '/etc/kubernetes/pki/';
const KUBERNETES_DIR = '/etc/kubernetes/';

/** Quotes and backticks people paste around answers, and surrounding blanks. */
function unquote(text: string): string {
  let value = text.trim();
  while (value.length >= 2 && /^["'`]/.test(value) && value.endsWith(value[0] ?? '')) value = value.slice(1, -1).trim();
  return value.replace(/^[`"']+|[`"']+$/g, '').trim();
}

function cleanPath(text: string): string {
  let value = unquote(text).replace(/\/{2,}/g, '/').replace(/^\.\//, '');
  if (value.length > 1) value = value.replace(/\/+$/, '');
  return value;
}

/**
 * The absolute paths a typed path may stand for: as typed when absolute; otherwise relative to
 * /etc/kubernetes/pki (certificates) or /etc/kubernetes (kubeconfigs, manifests).
 */
export function pathCandidates(typed: string): string[] {
  const path = cleanPath(typed);
  if (path === '') return [];
  if (path.startsWith('/')) return [path];
  return [`${PKI_DIR}${path}`, `${KUBERNETES_DIR}${path}`, path];
}

const HOURS_PER_UNIT: ReadonlyArray<[RegExp, number]> = [
  [/^(?:y|yr|yrs|years?|년)$/, 365 * 24],
  [/^(?:w|wk|wks|weeks?|주)$/, 7 * 24],
  [/^(?:d|days?|일)$/, 24],
  [/^(?:h|hr|hrs|hours?|시간)$/, 1],
  [/^(?:m|min|mins|minutes?|분)$/, 1 / 60],
  [/^(?:s|sec|secs|seconds?|초)$/, 1 / 3600],
];

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, twelve: 12, 한: 1, 두: 2, 십: 10,
};

/**
 * A duration in seconds: `1 year`, `1y`, `365 days`, `8760h`, `8760h0m0s` (Go), `10 years`,
 * `3650d`, `2 hours`, `600s`, `1년`, `365일`. A year is 365 days, as in kubeadm's constants.
 * Months are not accepted: a month has no fixed length. Undefined when the text is not a duration.
 */
export function parseDuration(text: string): number | undefined {
  const source = unquote(text).toLowerCase().replace(/[.。]+$/, '').replace(/,/g, ' ').replace(/\band\b/g, ' ').trim();
  if (source === '') return undefined;
  const part = /\s*(\d+(?:\.\d+)?|[a-z]+|[한두십])\s*-?\s*([a-z]+|년|주|일|시간|분|초)/y;
  let seconds = 0;
  let position = 0;
  let parts = 0;
  while (position < source.length) {
    part.lastIndex = position;
    const match = part.exec(source);
    if (!match) return undefined;
    const [, amountText = '', unit = ''] = match;
    const amount = /^\d/.test(amountText) ? Number(amountText) : NUMBER_WORDS[amountText];
    const hours = HOURS_PER_UNIT.find(([pattern]) => pattern.test(unit))?.[1];
    if (amount === undefined || hours === undefined) return undefined;
    seconds += amount * hours * 3600;
    position = part.lastIndex;
    parts += 1;
    while (position < source.length && /\s/.test(source[position] ?? '')) position += 1;
  }
  return parts > 0 ? Math.round(seconds) : undefined;
}

function normalizeName(text: string): string {
  return unquote(text)
    .replace(/^(?:CN|O)\s*=\s*/i, '')
    .replace(/\s+/g, ' ');
}

/**
 * Free text, which is mostly commands: case, blanks and a final full stop do not count, nor does a
 * leading `sudo`, and `k` is kubectl (the alias the CKA environment sets up).
 */
function normalizeText(text: string): string {
  return unquote(text)
    .replace(/[.。]+$/, '')
    .replace(/\s+/g, ' ')
    .toLowerCase()
    .replace(/^sudo /, '')
    .replace(/^k /, 'kubectl ');
}

/** A bare number stands for seconds when the answer itself is given in seconds (spec.expirationSeconds: 600). */
function secondsIfBare(typed: string, expected: string): number | undefined {
  const bare = /^\s*(\d+)\s*$/.exec(unquote(typed));
  return bare && /^\s*\d+\s*(?:s|sec|secs|seconds?|초)\s*$/i.test(unquote(expected)) ? Number(bare[1]) : undefined;
}

/** Does one typed value match one expected value under `kind`? */
export function valueMatches(kind: NormalizeKind, expected: string, typed: string): boolean {
  switch (kind) {
    case 'path':
      return pathCandidates(typed).includes(cleanPath(expected));
    case 'duration': {
      const want = parseDuration(expected);
      const got = parseDuration(typed) ?? secondsIfBare(typed, expected);
      return want !== undefined && got !== undefined && want === got;
    }
    case 'name': {
      const want = normalizeName(expected);
      let got = normalizeName(typed);
      // a flag typed without its dashes: `client-ca-file` for `--client-ca-file`
      if (want.startsWith('--') && !got.startsWith('-')) got = `--${got}`;
      return got !== '' && got === want;
    }
    case 'text': {
      const got = normalizeText(typed);
      return got !== '' && got === normalizeText(expected);
    }
  }
}

/**
 * Splits a multi-value answer: on commas when there are any (so values may contain spaces),
 * otherwise on blanks. `a, b c` is two values; `a b c` is three.
 */
export function splitList(typed: string): string[] {
  const separator = typed.includes(',') ? ',' : /\s+/;
  return typed.split(separator).map((value) => value.trim()).filter((value) => value !== '');
}

/**
 * Do the typed values match the expected ones one to one (in any order)? A small bipartite
 * matching, because under `path` one typed value can stand for more than one expected value.
 */
export function listMatches(kind: NormalizeKind, expected: readonly string[], typed: readonly string[]): boolean {
  if (expected.length !== typed.length) return false;
  const matchedTyped = new Array<number>(expected.length).fill(-1);
  const tryAssign = (typedIndex: number, seen: boolean[]): boolean => {
    for (let expectedIndex = 0; expectedIndex < expected.length; expectedIndex += 1) {
      if (seen[expectedIndex] || !valueMatches(kind, expected[expectedIndex] ?? '', typed[typedIndex] ?? '')) continue;
      seen[expectedIndex] = true;
      const holder = matchedTyped[expectedIndex] ?? -1;
      if (holder === -1 || tryAssign(holder, seen)) {
        matchedTyped[expectedIndex] = typedIndex;
        return true;
      }
    }
    return false;
  };
  return typed.every((_, typedIndex) => tryAssign(typedIndex, new Array<boolean>(expected.length).fill(false)));
}

/** Is this expected value something `kind` can ever match? Used by the loader to catch typos in banks. */
export function isUsableExpectedValue(kind: NormalizeKind, value: string): string | undefined {
  if (unquote(value) === '') return 'an accepted answer is empty';
  if (kind === 'duration' && parseDuration(value) === undefined) return `"${value}" is not a duration (write e.g. "1 year", "365 days", "8760h")`;
  if (kind === 'path' && !cleanPath(value).startsWith('/')) return `"${value}" is not an absolute path (write the full path; learners may leave out /etc/kubernetes/pki/)`;
  return undefined;
}
