import { createRequire } from 'node:module';
import type { Node } from 'yaml';
import { FILE_LIMITS, readUserFileHead, readUserText } from '../user-file.js';

/** A lesson file cut in two: the YAML between the `---` lines, and the markdown after them. */
export interface SplitLessonFile {
  /** The YAML text, or undefined when the file has no front matter. */
  yaml: string | undefined;
  /** File line of the first YAML line (the line after the opening `---`). */
  yamlLine: number;
  body: string;
  /** File line where the body starts, so body positions map back to the file. */
  bodyLine: number;
  /** Set when the front matter is opened but never closed. */
  problem?: { line: number; message: string };
}

const FENCE = /^---[ \t]*$/;
const CLOSING_FENCE = /^(?:---|\.\.\.)[ \t]*$/;

export function splitLessonFile(text: string): SplitLessonFile {
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = source.split('\n');
  if (!FENCE.test(lines[0] ?? '')) return { yaml: undefined, yamlLine: 1, body: source, bodyLine: 1 };
  const closing = lines.findIndex((line, index) => index > 0 && CLOSING_FENCE.test(line));
  if (closing === -1) {
    return {
      yaml: undefined,
      yamlLine: 2,
      body: lines.slice(1).join('\n'),
      bodyLine: 2,
      problem: { line: 1, message: 'front matter opened with --- is never closed (end it with a line holding only ---)' },
    };
  }
  return {
    yaml: lines.slice(1, closing).join('\n'),
    yamlLine: 2,
    body: lines.slice(closing + 1).join('\n'),
    bodyLine: closing + 2,
  };
}

/** One front matter key: its plain value and where it (and each list item) sits in the file. */
export interface FrontMatterField {
  value: unknown;
  line: number;
  /** For a YAML list: the file line of each item, for diagnostics that point at one item. */
  itemLines: number[];
}

export interface ParsedFrontMatter {
  fields: Map<string, FrontMatterField>;
  problems: { line: number; message: string }[];
}

const MAX_YAML_ERRORS = 3;

/**
 * Parses front matter YAML, keeping file line numbers for every key, and reporting syntax errors by line.
 * Front matter in the course's usual shape (plain `key: value` lines, lists of plain words, and flow maps
 * of plain words) is read without loading the YAML parser, which would cost the home screen's first
 * frame ~20 ms; anything else goes to the parser. test/lessons.test.ts holds both to the same answer for every lesson file.
 */
export function parseFrontMatter(yaml: string, yamlLine: number): ParsedFrontMatter {
  return parsePlainFrontMatter(yaml, yamlLine) ?? parseFrontMatterWithYaml(yaml, yamlLine);
}

/** The file's front matter, read from the top of the file only, or undefined when it has none. */
export function readFrontMatter(path: string): ParsedFrontMatter | undefined {
  const { head, size } = readUserFileHead(path, { limit: FILE_LIMITS.lesson, bytes: FRONT_MATTER_HEAD });
  let text = head.toString('utf8');
  // a cut line (or a cut character) must not look like the closing fence: judge only whole lines
  if (head.length < size) text = text.slice(0, text.lastIndexOf('\n') + 1);
  let split = splitLessonFile(text);
  // front matter longer than the head: read the file after all
  if (split.problem && head.length < size) split = splitLessonFile(readUserText(path, { limit: FILE_LIMITS.lesson }));
  return split.yaml === undefined ? undefined : parseFrontMatter(split.yaml, split.yamlLine);
}

/** The course's front matter blocks are under 1 KB. */
const FRONT_MATTER_HEAD = 4096;

type YamlModule = typeof import('yaml');
let yamlModule: YamlModule | undefined;
function yamlParser(): YamlModule {
  // loaded on first use: a literal require the start-up bundle leaves to Node (yaml is external there)
  return (yamlModule ??= createRequire(import.meta.url)('yaml') as YamlModule);
}

const PLAIN_KEY = /^([A-Za-z_][A-Za-z0-9_-]*):(?:[ \t]+(.*?))?[ \t]*$/;
const BLOCK_ITEM = /^([ ]+)-[ ]+(.*?)[ \t]*$/;
/**
 * A plain YAML scalar that can only be a string: no indicator first (a `-` only before a letter, as in
 * `-text`), no `: ` or ` #` inside, not a number, bool or null.
 */
const PLAIN_WORDS = /^(?!-(?![A-Za-z]))(?![?:,[\]{}#&*!|>'"%@`.+~\d])(?!(?:true|false|null|yes|no|on|off)$)(?!.*(?::\s|\s#|:$))[^\t]*$/i;
// YAML 1.2's core schema reads digits as a decimal integer, leading zeros and all (`0600` is 600)
const DECIMAL = /^\d{1,15}$/;

/** A value the plain reader understands, or undefined for anything it leaves to the YAML parser. */
function plainScalar(text: string): string | number | undefined {
  if (DECIMAL.test(text)) return Number(text);
  return PLAIN_WORDS.test(text) ? text : undefined;
}

function plainFlowList(text: string): (string | number)[] | undefined {
  const inner = /^\[(.*)\]$/.exec(text)?.[1];
  if (inner === undefined) return undefined;
  if (inner.trim() === '') return [];
  const items = inner.split(',').map((item) => item.trim());
  const values = items.map((item) => (item === '' || /[[\]{}]/.test(item) ? undefined : plainScalar(item)));
  return values.every((value) => value !== undefined) ? (values as (string | number)[]) : undefined;
}

/** `{topic: A name, other: Another}`: plain keys to plain words (a `,` or `:` inside a name goes to the parser). */
function plainFlowMap(text: string): Record<string, string | number> | undefined {
  const inner = /^\{(.*)\}$/.exec(text)?.[1];
  if (inner === undefined) return undefined;
  if (inner.trim() === '') return {};
  const entries = inner.split(',').map((entry) => /^\s*([A-Za-z_][A-Za-z0-9_-]*):[ ]+(.+?)\s*$/.exec(entry));
  if (entries.some((entry) => entry === null)) return undefined;
  const map: Record<string, string | number> = {};
  for (const [, key, valueText] of entries as RegExpExecArray[]) {
    const value = /[[\]{}]/.test(valueText!) ? undefined : plainScalar(valueText!);
    if (value === undefined || key! in map) return undefined;
    map[key!] = value;
  }
  return map;
}

/** The course's shape of front matter, or undefined for the YAML parser to read. */
function parsePlainFrontMatter(yaml: string, yamlLine: number): ParsedFrontMatter | undefined {
  const fields = new Map<string, FrontMatterField>();
  const lines = yaml.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const text = lines[index]!;
    if (text.trim() === '') continue;
    const match = PLAIN_KEY.exec(text);
    if (!match || fields.has(match[1]!)) return undefined;
    const [, key, rawValue] = match as unknown as [string, string, string | undefined];
    const line = yamlLine + index;
    if (rawValue === undefined || rawValue === '') {
      const items: (string | number)[] = [];
      const itemLines: number[] = [];
      let indent: string | undefined;
      for (let next = index + 1; next < lines.length && BLOCK_ITEM.test(lines[next]!); next++) {
        const [, itemIndent, itemText] = BLOCK_ITEM.exec(lines[next]!) as unknown as [string, string, string];
        // a deeper "- " would continue the item before it in YAML: not this reader's shape
        indent ??= itemIndent;
        const item = plainScalar(itemText);
        if (itemIndent !== indent || item === undefined) return undefined;
        items.push(item);
        itemLines.push(yamlLine + next);
        index = next;
      }
      // `key:` alone is null in YAML; one with nothing but blank lines after it too
      fields.set(key, { value: items.length > 0 ? items : null, line, itemLines });
      continue;
    }
    const value = rawValue.startsWith('[') ? plainFlowList(rawValue) : rawValue.startsWith('{') ? plainFlowMap(rawValue) : plainScalar(rawValue);
    if (value === undefined) return undefined;
    fields.set(key, { value, line, itemLines: Array.isArray(value) ? value.map(() => line) : [] });
  }
  return { fields, problems: [] };
}

/** The YAML parser alone (exported for the test that holds the plain reader to it). */
export function parseFrontMatterWithYaml(yaml: string, yamlLine: number): ParsedFrontMatter {
  const { LineCounter, isMap, isScalar, isSeq, parseDocument } = yamlParser();
  const lineCounter = new LineCounter();
  const document = parseDocument(yaml, { lineCounter, prettyErrors: false });
  const fileLine = (offset: number | undefined): number => (offset === undefined ? yamlLine : lineCounter.linePos(offset).line + yamlLine - 1);
  const fields = new Map<string, FrontMatterField>();

  if (document.errors.length > 0) {
    // the first error is the one to fix; the others follow from it (10,000 open brackets gave a line each)
    const shown = document.errors.slice(0, MAX_YAML_ERRORS).map((error) => ({
      line: fileLine(error.pos[0]),
      message: `front matter is not valid YAML: ${firstLine(error.message)}`,
    }));
    const more = document.errors.length - shown.length;
    if (more > 0) shown[shown.length - 1]!.message += ` (and ${more} more YAML error${more === 1 ? '' : 's'} after it)`;
    return { fields, problems: shown };
  }
  const contents = document.contents;
  if (contents === null || (isScalar(contents) && (contents.value === null || contents.value === ''))) return { fields, problems: [] };
  if (!isMap(contents)) {
    return { fields, problems: [{ line: fileLine(contents.range?.[0]), message: 'front matter must be "key: value" lines' }] };
  }
  const problems: { line: number; message: string }[] = [];
  for (const pair of contents.items) {
    const keyNode = pair.key as Node | null;
    const key = isScalar(keyNode) ? String(keyNode.value) : undefined;
    const line = fileLine(keyNode?.range?.[0]);
    if (key === undefined) {
      problems.push({ line, message: 'front matter keys must be plain words' });
      continue;
    }
    const valueNode = pair.value as Node | null;
    const itemLines = isSeq(valueNode) ? valueNode.items.map((item) => fileLine((item as Node | null)?.range?.[0])) : [];
    fields.set(key, { value: valueNode === null ? null : valueNode.toJSON(), line, itemLines });
  }
  return { fields, problems };
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}
