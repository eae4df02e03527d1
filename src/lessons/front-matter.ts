import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';

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

/** Parses front matter YAML, keeping file line numbers for every key, and reporting syntax errors by line. */
export function parseFrontMatter(yaml: string, yamlLine: number): ParsedFrontMatter {
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
