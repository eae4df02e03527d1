import { Marked, type Token, type TokenizerExtension, type TokenizerThis, type Tokens } from 'marked';

/**
 * Lesson markdown as marked's tokens, plus Docusaurus admonitions (`:::tip Title` ... `:::`),
 * which CommonMark does not know. Nothing here draws anything: see ./render.ts.
 */

export interface AdmonitionToken {
  type: 'admonition';
  raw: string;
  /** As written after the colons, lower-cased: `tip`, `warning`, or an unknown word to report. */
  kind: string;
  title: string;
  titleTokens: Token[];
  tokens: Token[];
  /** False when the file ends before the closing `:::`. */
  closed: boolean;
}

/** A `:::` line that closes nothing. */
export interface StrayFenceToken {
  type: 'admonitionFence';
  raw: string;
}

const OPENING = /^ {0,3}(:{3,})[ \t]*([A-Za-z][\w-]*)([^\n]*)(?:\n|$)/;
const BARE_FENCE = /^ {0,3}(:{3,})[ \t]*(?:\n|$)/;
const CODE_FENCE = /^ {0,3}(`{3,}|~{3,})/;

const MAX_ADMONITION_DEPTH = 8;
let admonitionDepth = 0;

const admonitionExtension: TokenizerExtension = {
  name: 'admonition',
  level: 'block',
  start(src: string) {
    return /^ {0,3}:{3,}/m.exec(src)?.index;
  },
  tokenizer(this: TokenizerThis, src: string) {
    const stray = BARE_FENCE.exec(src);
    if (stray) return { type: 'admonitionFence', raw: stray[0] } satisfies StrayFenceToken;
    const opening = OPENING.exec(src);
    if (!opening) return undefined;
    if (admonitionDepth >= MAX_ADMONITION_DEPTH) {
      // each level re-reads what it holds: a deeper call-out's first line is text (the course nests two).
      // Taken here, one line at a time, because marked's own paragraph rules would re-read all that follows
      const line = opening[0];
      return { type: 'paragraph', raw: line, text: line.trimEnd(), tokens: this.lexer.inlineTokens(line.trimEnd()) } satisfies Tokens.Paragraph;
    }
    const fenceLength = opening[1]?.length ?? 3;
    const { content, raw, closed } = takeAdmonitionContent(src, opening[0].length, fenceLength);
    const { title, titleTokens } = parseTitle(opening[3] ?? '', this);
    const tokens: Token[] = [];
    // paragraphs inside a call-out are top-level paragraphs, as in a blockquote
    const wasTop = this.lexer.state.top;
    this.lexer.state.top = true;
    admonitionDepth++;
    try {
      this.lexer.blockTokens(content, tokens);
    } finally {
      admonitionDepth--;
      this.lexer.state.top = wasTop;
    }
    return { type: 'admonition', raw, kind: (opening[2] ?? '').toLowerCase(), title, titleTokens, tokens, closed } satisfies AdmonitionToken;
  },
};

/**
 * Finds the `:::` that closes an admonition opened with `fenceLength` colons. Nested call-outs
 * (Docusaurus writes the outer one with more colons) and code fences are stepped over.
 */
function takeAdmonitionContent(src: string, start: number, fenceLength: number): { content: string; raw: string; closed: boolean } {
  let offset = start;
  let depth = 0;
  let codeFence: string | undefined;
  while (offset < src.length) {
    const newline = src.indexOf('\n', offset);
    const end = newline === -1 ? src.length : newline + 1;
    const line = src.slice(offset, newline === -1 ? src.length : newline);
    const code = CODE_FENCE.exec(line);
    if (code?.[1]) {
      if (codeFence === undefined) codeFence = code[1];
      else if (code[1][0] === codeFence[0] && code[1].length >= codeFence.length && line.trim() === code[1]) codeFence = undefined;
    } else if (codeFence === undefined) {
      const bare = BARE_FENCE.exec(line);
      if (OPENING.test(line)) depth += 1;
      else if (bare) {
        if (depth > 0) depth -= 1;
        else if ((bare[1]?.length ?? 0) >= fenceLength) return { content: src.slice(start, offset), raw: src.slice(0, end), closed: true };
      }
    }
    offset = end;
  }
  return { content: src.slice(start), raw: src, closed: false };
}

/** `:::tip[Title]{#anchor}` or `:::tip Title` (Docusaurus accepts both). */
function parseTitle(rest: string, context: TokenizerThis): { title: string; titleTokens: Token[] } {
  const bracketed = /^\[(.*)\](?:\{[^}]*\})?\s*$/.exec(rest.trim());
  const title = (bracketed ? (bracketed[1] ?? '') : rest.replace(/\{#[^}]*\}\s*$/, '')).trim();
  const titleTokens: Token[] = [];
  if (title !== '') context.lexer.inline(title, titleTokens);
  return { title, titleTokens };
}

const lessonMarked = new Marked({ gfm: true, extensions: [admonitionExtension] });

/** Tokens for a lesson body. */
export function lexLesson(markdown: string): Token[] {
  return lexLessonSource(markdown).tokens;
}

/**
 * The tokens, and the text they were read from: the markdown, with the rare changes boundWork makes
 * to keep marked's work in proportion (never adding or removing a line), so raws map back to lines.
 */
export function lexLessonSource(markdown: string): { tokens: Token[]; source: string } {
  const source = boundWork(markdown);
  try {
    return { tokens: lessonMarked.lexer(source), source };
  } catch (error) {
    // marked recurses once per level of nesting: a file nested deeper than the stack is shown as written
    if (!(error instanceof RangeError)) throw error;
    return { tokens: [{ type: 'code', raw: source, text: source.replace(/\n$/, ''), codeBlockStyle: 'indented' } satisfies Tokens.Code], source };
  }
}

// quote markers and indentation at the start of a line: 64 characters nest lists 32 deep, quotes 64 deep
const MAX_NESTING_PREFIX = 64;
// the course's busiest paragraph has 20 emphasis delimiters
const MAX_EMPHASIS_DELIMITERS = 200;
const LIST_MARKER = /^(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)/;

/**
 * Keeps marked's work in proportion to the text. marked takes time quadratic in the depth of nested
 * lists (1,000 levels took 10 s) and in the emphasis delimiters of a paragraph (`*a ` x 20,000 then
 * ` a*` x 20,000 took 13 s), and recurses once per level. No lesson comes near either, so a line
 * nested deeper than MAX_NESTING_PREFIX joins the deepest level kept, and the `*`, `_` and `~` of a
 * paragraph with more than MAX_EMPHASIS_DELIMITERS are shown as written rather than as emphasis.
 */
function boundWork(markdown: string): string {
  const lines = markdown.split('\n');
  let changed = false;
  let fence: string | undefined;
  let paragraph: number[] = [];
  let delimiters = 0;
  const endParagraph = (): void => {
    if (delimiters > MAX_EMPHASIS_DELIMITERS) {
      for (const index of paragraph) lines[index] = escapeEmphasis(lines[index]!);
      changed = true;
    }
    paragraph = [];
    delimiters = 0;
  };
  lines.forEach((line, index) => {
    let prefix = 0;
    while (prefix < line.length && (line[prefix] === ' ' || line[prefix] === '\t' || line[prefix] === '>')) prefix++;
    if (prefix > MAX_NESTING_PREFIX) {
      line = lines[index] = line.slice(0, MAX_NESTING_PREFIX) + line.slice(prefix);
      changed = true;
    }
    const fenceMatch = CODE_FENCE.exec(line);
    if (fenceMatch?.[1]) {
      endParagraph();
      if (fence === undefined) fence = fenceMatch[1];
      else if (fenceMatch[1][0] === fence[0] && fenceMatch[1].length >= fence.length) fence = undefined;
      return;
    }
    if (fence !== undefined) return;
    if (line.trim() === '') {
      endParagraph();
      return;
    }
    // a list item, a heading or a table row is inline text of its own
    if (startsBlock(line.slice(prefix))) endParagraph();
    paragraph.push(index);
    for (const character of line) if (character === '*' || character === '_' || character === '~') delimiters++;
  });
  endParagraph();
  return changed ? lines.join('\n') : markdown;
}

function startsBlock(text: string): boolean {
  return LIST_MARKER.test(text) || text.startsWith('#') || text.startsWith('|');
}

/** A backslash before each `*`, `_` and `~` after the line's block markers and outside `code`. */
function escapeEmphasis(line: string): string {
  let start = 0;
  while (start < line.length && (line[start] === ' ' || line[start] === '\t' || line[start] === '>')) start++;
  start += LIST_MARKER.exec(line.slice(start, start + 12))?.[0].length ?? 0;
  let out = line.slice(0, start);
  let inCode = false;
  for (let index = start; index < line.length; index++) {
    const character = line[index]!;
    if (character === '`') inCode = !inCode;
    else if (!inCode && (character === '*' || character === '_' || character === '~') && line[index - 1] !== '\\') out += '\\';
    out += character;
  }
  return out;
}

export function isAdmonition(token: Token): token is Token & AdmonitionToken {
  return token.type === 'admonition';
}

export function isStrayFence(token: Token): token is Token & StrayFenceToken {
  return token.type === 'admonitionFence';
}

/** The tokens nested inside `token`, in document order. */
export function childTokens(token: Token): Token[] {
  switch (token.type) {
    case 'list':
      return (token as Tokens.List).items;
    case 'table': {
      const table = token as Tokens.Table;
      return [...table.header, ...table.rows.flat()].flatMap((cell) => cell.tokens);
    }
    case 'admonition':
      return [...(token as AdmonitionToken).titleTokens, ...(token as AdmonitionToken).tokens];
    default:
      return 'tokens' in token && Array.isArray(token.tokens) ? token.tokens : [];
  }
}

/**
 * Calls `visit` for every token with the body line it starts on. marked keeps no positions, so
 * each token's raw text is searched for after the previous one's; a token whose raw text was
 * changed by its container (blockquote `>` markers) gets its container's line.
 */
export function walkTokensWithLines(tokens: readonly Token[], body: string, firstLine: number, visit: (token: Token, line: number) => void): void {
  const lineStarts = [0];
  for (let index = body.indexOf('\n'); index !== -1; index = body.indexOf('\n', index + 1)) lineStarts.push(index + 1);
  const lineAt = (offset: number): number => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((lineStarts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return firstLine + low;
  };
  // a token is looked for only inside its parent: marked rewrites some raws (an indented list item's
  // lines), and a search to the end of the body for each of those made a long list quadratic
  const find = (raw: string, from: number, end: number): number => {
    if (!raw) return -1;
    if (body.startsWith(raw, from)) return from;
    const found = body.slice(from, end).indexOf(raw);
    return found === -1 ? -1 : from + found;
  };
  const walk = (list: readonly Token[], from: number, end: number): void => {
    let cursor = from;
    for (const token of list) {
      const found = find(token.raw, cursor, end);
      const start = found === -1 ? cursor : found;
      visit(token, lineAt(start));
      // children of a token that was not found are not looked for: they would be searched for to the end
      walk(childTokens(token), start, found === -1 ? start : found + token.raw.length);
      if (found !== -1) cursor = found + token.raw.length;
    }
  };
  walk(tokens, 0, body.length);
}
