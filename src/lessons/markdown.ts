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
    const fenceLength = opening[1]?.length ?? 3;
    const { content, raw, closed } = takeAdmonitionContent(src, opening[0].length, fenceLength);
    const { title, titleTokens } = parseTitle(opening[3] ?? '', this);
    const tokens: Token[] = [];
    // paragraphs inside a call-out are top-level paragraphs, as in a blockquote
    const wasTop = this.lexer.state.top;
    this.lexer.state.top = true;
    this.lexer.blockTokens(content, tokens);
    this.lexer.state.top = wasTop;
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
  return lessonMarked.lexer(markdown);
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
  const walk = (list: readonly Token[], from: number): void => {
    let cursor = from;
    for (const token of list) {
      const found = token.raw ? body.indexOf(token.raw, cursor) : -1;
      const start = found === -1 ? cursor : found;
      visit(token, lineAt(start));
      walk(childTokens(token), start);
      if (found !== -1) cursor = found + token.raw.length;
    }
  };
  walk(tokens, 0);
}
