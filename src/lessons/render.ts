import type { Token, Tokens } from 'marked';
import { isAdmonitionKind, parseSandboxAction, type SandboxAction } from './catalog.js';
import type { Lesson } from './load.js';
import { idFromFileName } from './load.js';
import { isAdmonition, isStrayFence, lexLesson, type AdmonitionToken } from './markdown.js';
import { BASE_LANGUAGE, translatorFor, type Language } from '../locale/catalogue.js';
import { columnStrips, columns, decodeEntities, expandTabs, graphemes, padToColumns, splitAtColumns, stripControlCharacters, toAsciiDrawing } from './text.js';

/**
 * Lesson markdown -> lines of styled text, wrapped to a width in terminal columns. Pure: the
 * TUI maps styles to blessed tags, the CLI prints `plainText()`. No line is wider than the width.
 */

export type SpanStyle =
  | 'text'
  | 'bold'
  | 'italic'
  | 'bold-italic'
  | 'strike'
  | 'code'
  | 'link'
  | 'heading'
  | 'dim'
  | 'image'
  | 'rule'
  | 'quote'
  | 'code-block'
  | 'diagram'
  | 'frame'
  | 'frame-title'
  | 'table-border'
  | 'table-header';

export type LinkTarget =
  | { kind: 'lesson'; id: string }
  | { kind: 'sandbox'; action: string }
  | { kind: 'url'; url: string }
  | { kind: 'anchor'; anchor: string };

export interface StyledSpan {
  text: string;
  style: SpanStyle;
  /** On `link` spans: where the link goes. */
  target?: LinkTarget;
  /** On `frame` and `frame-title` spans: the admonition kind, for its colour. */
  kind?: string;
  /** On `heading` spans: 1 for `#`, 2 for `##`, ... */
  level?: number;
  /** On the first `code-block` span of a shell command: the command as the lesson writes it, to copy. */
  command?: string;
}

export type StyledLine = StyledSpan[];

export interface RenderedLink {
  /** Index into `lines` of the line the link text starts on. */
  line: number;
  text: string;
  target: LinkTarget;
}

export interface RenderedHeading {
  line: number;
  level: number;
  text: string;
}

export interface RenderedDocument {
  lines: StyledLine[];
  links: RenderedLink[];
  headings: RenderedHeading[];
  /** Line of the `## Try it` heading, where the TUI offers the sandbox. */
  tryIt: number | undefined;
  /** The lesson's sandbox actions (front matter first, then `sandbox:` links in the text). */
  sandboxActions: SandboxAction[];
  /** The shell commands in its code, where each starts, as written (continuation lines included). */
  commands: RenderedCommand[];
}

export interface RenderedCommand {
  line: number;
  text: string;
}

export type BoxDrawing = 'unicode' | 'ascii';

export interface RenderOptions {
  /** Terminal columns available, at least MIN_RENDER_WIDTH; every line fits in it. */
  width: number;
  /** `ascii` redraws boxes, arrows and bullets with `+ - | > <` for terminals without line drawing. */
  boxDrawing?: BoxDrawing;
  /** Turns a relative `.md` link into a lesson id; by default the id comes from the file name. */
  lessonIdForPath?: (path: string) => string | undefined;
  /** Keep the backticks around inline code, for plain text where no colour sets code apart. */
  quoteInlineCode?: boolean;
  /** The language of the renderer's own words (call-out labels, image and diagram notes); renderLesson uses the lesson's. */
  language?: Language;
}

/** The narrowest rendering: list markers and a call-out's label still fit in it. */
export const MIN_RENDER_WIDTH = 10;
// Decorations are dropped once they would leave less than this for the text inside them.
const MIN_CONTENT_WIDTH = 12;
const TRY_IT_HEADING = /^try it\b/i;
// a diagram wider than this many screens is shown as code (cut lines marked ↪), not in strips
const MAX_DIAGRAM_STRIPS = 8;

export function renderMarkdown(markdown: string, options: RenderOptions): RenderedDocument {
  if (!Number.isInteger(options.width) || options.width < MIN_RENDER_WIDTH) {
    throw new RangeError(`render width must be a whole number of columns, at least ${MIN_RENDER_WIDTH}; got ${options.width}`);
  }
  const context: BlockContext = {
    width: options.width, listDepth: 0, lessonIdForPath: options.lessonIdForPath, quoteInlineCode: options.quoteInlineCode ?? false, t: translatorFor(options.language ?? BASE_LANGUAGE),
  };
  const tokens = lexLesson(stripControlCharacters(markdown.replace(/\r\n?/g, '\n')));
  const lines: StyledLine[] = [];
  const headings: RenderedHeading[] = [];
  for (const token of tokens) {
    const block = renderBlock(token, context);
    if (block.length === 0) continue;
    if (lines.length > 0) lines.push([]);
    if (token.type === 'heading') {
      const heading = token as Tokens.Heading;
      headings.push({ line: lines.length, level: heading.depth, text: plainInline(heading.tokens, context.t) });
    }
    lines.push(...block);
  }
  const finalLines = options.boxDrawing === 'ascii' ? lines.map((line) => line.map((span) => ({ ...span, text: toAsciiDrawing(span.text) }))) : lines;
  const links = collectLinks(finalLines);
  const sandboxActions: SandboxAction[] = [];
  for (const link of links) {
    if (link.target.kind !== 'sandbox') continue;
    const parsed = parseSandboxAction(link.target.action);
    if (parsed.ok && !sandboxActions.some((action) => action.text === parsed.action.text)) sandboxActions.push(parsed.action);
  }
  return {
    lines: finalLines,
    links,
    headings,
    tryIt: headings.find((heading) => heading.level === 2 && TRY_IT_HEADING.test(heading.text))?.line,
    sandboxActions,
    commands: finalLines.flatMap((line, index) => line.filter((span) => span.command !== undefined).map((span) => ({ line: index, text: span.command! }))),
  };
}

/**
 * A lesson ready to read: its title as the top heading when the body has no `#` heading of its
 * own, and its front matter sandbox actions ahead of any linked from the text.
 */
export function renderLesson(lesson: Lesson, options: RenderOptions): RenderedDocument {
  const markdown = startsWithTitle(lesson.body) ? lesson.body : `# ${escapeMarkdown(lesson.title)}\n\n${lesson.body}`;
  // a lesson shown in both languages (a --lessons-dir file outside en/ and ko/) speaks the reader's
  const document = renderMarkdown(markdown, { ...options, language: lesson.lang ?? options.language });
  const fromText = document.sandboxActions.filter((action) => !lesson.sandboxActions.some((own) => own.text === action.text));
  return { ...document, sandboxActions: [...lesson.sandboxActions, ...fromText] };
}

/** The plain-text form: what `kubetls lessons show` prints. */
export function plainText(document: RenderedDocument): string {
  return document.lines.map((line) => line.map((span) => span.text).join('').trimEnd()).join('\n');
}

export function renderPlain(markdown: string, options: RenderOptions): string {
  return plainText(renderMarkdown(markdown, { quoteInlineCode: true, ...options }));
}

/**
 * Whether the first line with text is a `# Title` or is underlined with `===`. Looked at line by line:
 * one regular expression over the body backtracked quadratically on a long run of spaces.
 */
function startsWithTitle(body: string): boolean {
  for (let start = 0; ; ) {
    const end = body.indexOf('\n', start);
    const line = body.slice(start, end === -1 ? body.length : end);
    if (line.trim() !== '') {
      if (/^\s*#\s/.test(`${line}\n`)) return true;
      const nextEnd = end === -1 ? -1 : body.indexOf('\n', end + 1);
      return nextEnd !== -1 && /^=+\s*$/.test(body.slice(end + 1, nextEnd));
    }
    if (end === -1) return false;
    start = end + 1;
  }
}

function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]<>#])/g, '\\$1');
}

function collectLinks(lines: readonly StyledLine[]): RenderedLink[] {
  const links: RenderedLink[] = [];
  // a link wrapped over several lines is one link: join its pieces until other text appears
  let open: { link: RenderedLink; lastLine: number } | undefined;
  lines.forEach((line, index) => {
    for (const span of line) {
      if (span.style === 'link' && span.target) {
        if (open && sameTarget(open.link.target, span.target)) {
          open.link.text += (index === open.lastLine ? '' : ' ') + span.text;
          open.lastLine = index;
        } else {
          open = { link: { line: index, text: span.text, target: span.target }, lastLine: index };
          links.push(open.link);
        }
      } else if (span.text.trim() !== '' && span.style !== 'quote' && span.style !== 'frame') {
        open = undefined;
      }
    }
  });
  for (const link of links) link.text = link.text.replace(/\s+/g, ' ').trim();
  return links;
}

function sameTarget(a: LinkTarget, b: LinkTarget): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/* ---------------------------------------------------------------- inline text */

interface InlineStyle {
  bold: boolean;
  italic: boolean;
  strike: boolean;
  /** What plain text inside this block looks like: body text, a heading, a table header. */
  base: 'text' | 'heading' | 'table-header';
  level?: number;
  target?: LinkTarget;
}

/** A run of inline text with one style; `break` forces a new line (a markdown hard break). */
type InlinePiece = StyledSpan | { break: true };

function spanStyle(style: InlineStyle, code: boolean): StyledSpan {
  const span: StyledSpan = { text: '', style: 'text' };
  if (code) span.style = 'code';
  else if (style.target) span.style = 'link';
  else if (style.base !== 'text') span.style = style.base;
  else if (style.bold && style.italic) span.style = 'bold-italic';
  else if (style.bold) span.style = 'bold';
  else if (style.italic) span.style = 'italic';
  else if (style.strike) span.style = 'strike';
  if (style.target) span.target = style.target;
  if (style.base === 'heading' && style.level !== undefined) span.level = style.level;
  return span;
}

function inlinePieces(tokens: readonly Token[], style: InlineStyle, context: BlockContext): InlinePiece[] {
  const pieces: InlinePiece[] = [];
  const text = (value: string, code = false): void => {
    if (value !== '') pieces.push({ ...spanStyle(style, code), text: value });
  };
  for (const token of tokens) {
    switch (token.type) {
      case 'text': {
        const textToken = token as Tokens.Text;
        if (textToken.tokens && textToken.tokens.length > 0) pieces.push(...inlinePieces(textToken.tokens, style, context));
        else text(decodeEntities(textToken.text));
        break;
      }
      case 'escape':
        text(decodeEntities((token as Tokens.Escape).text));
        break;
      case 'codespan': {
        const code = decodeEntities((token as Tokens.Codespan).text);
        text(context.quoteInlineCode ? `\`${code}\`` : code, true);
        break;
      }
      case 'strong':
        pieces.push(...inlinePieces((token as Tokens.Strong).tokens, { ...style, bold: true }, context));
        break;
      case 'em':
        pieces.push(...inlinePieces((token as Tokens.Em).tokens, { ...style, italic: true }, context));
        break;
      case 'del':
        pieces.push(...inlinePieces((token as Tokens.Del).tokens, { ...style, strike: true }, context));
        break;
      case 'br':
        pieces.push({ break: true });
        break;
      case 'link': {
        const link = token as Tokens.Link;
        const target = classifyLink(decodeEntities(link.href), context.lessonIdForPath);
        pieces.push(...inlinePieces(link.tokens, { ...style, target }, context));
        const label = plainInline(link.tokens, context.t);
        const hint = linkHint(target, label);
        if (hint) pieces.push({ text: ` ${hint}`, style: 'dim' });
        break;
      }
      case 'image': {
        const image = token as Tokens.Image;
        const alt = decodeEntities(image.text).trim();
        pieces.push({ text: context.t('lessons.render.image', { alt: alt === '' ? context.t('lessons.render.imageNoDescription') : alt, href: decodeEntities(image.href) }), style: 'image' });
        break;
      }
      case 'html': {
        // an inline <br> is a line break; other tags are dropped and their text kept
        if (/^<br\s*\/?>$/i.test((token as Tokens.Tag).text.trim())) pieces.push({ break: true });
        break;
      }
      case 'checkbox':
        text((token as Tokens.Checkbox).checked ? '[x] ' : '[ ] ');
        break;
      default:
        if ('tokens' in token && Array.isArray(token.tokens)) pieces.push(...inlinePieces(token.tokens, style, context));
        else if (typeof token.raw === 'string') text(decodeEntities(token.raw));
    }
  }
  return pieces;
}

/** The text of inline tokens without styling: for headings, link labels, table measurement. */
export function plainInline(tokens: readonly Token[], t: BlockContext['t'] = translatorFor(BASE_LANGUAGE)): string {
  return inlinePieces(tokens, { bold: false, italic: false, strike: false, base: 'text' }, { width: 80, listDepth: 0, lessonIdForPath: undefined, quoteInlineCode: false, t })
    .filter((piece): piece is StyledSpan => !('break' in piece) && piece.style !== 'dim')
    .map((piece) => piece.text)
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

const LESSON_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** What a link's href points at: a lesson id, a `sandbox:` action, a section, or the web. */
export function classifyLink(href: string, lessonIdForPath?: (path: string) => string | undefined): LinkTarget {
  const trimmed = href.trim();
  if (trimmed.startsWith('#')) return { kind: 'anchor', anchor: trimmed.slice(1) };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed);
  if (scheme?.[1]?.toLowerCase() === 'sandbox') return { kind: 'sandbox', action: trimmed.slice(scheme[0].length) };
  if (scheme) return { kind: 'url', url: trimmed };
  const withoutAnchor = trimmed.replace(/#.*$/, '');
  if (LESSON_ID.test(withoutAnchor)) return { kind: 'lesson', id: withoutAnchor };
  if (/\.md$/i.test(withoutAnchor)) return { kind: 'lesson', id: lessonIdForPath?.(withoutAnchor) ?? idFromFileName(withoutAnchor) };
  return { kind: 'url', url: trimmed };
}

function linkHint(target: LinkTarget, label: string): string | undefined {
  switch (target.kind) {
    case 'lesson':
      return `[${target.id}]`;
    case 'sandbox':
      return `[sandbox: ${target.action}]`;
    case 'url':
      return label === target.url || `mailto:${label}` === target.url ? undefined : `<${target.url}>`;
    case 'anchor':
      return undefined;
  }
}

/* ---------------------------------------------------------------- wrapping */

interface Word {
  parts: StyledSpan[];
  width: number;
  /** The space before this word, styled like the text it sits in (a link's inner spaces stay link). */
  spaceBefore: StyledSpan | undefined;
  breakBefore: boolean;
  /** Words of one inline code span share a group: the span moves to a new line whole when it fits there. */
  group: number | undefined;
}

function toWords(pieces: readonly InlinePiece[]): Word[] {
  const words: Word[] = [];
  let current: Word | undefined;
  let pendingSpace: StyledSpan | undefined;
  let pendingBreak = false;
  let groups = 0;
  for (const piece of pieces) {
    if ('break' in piece) {
      current = undefined;
      pendingSpace = undefined;
      pendingBreak = true;
      continue;
    }
    const group = piece.style === 'code' && /\S\s+\S/.test(piece.text) ? groups++ : undefined;
    for (const chunk of piece.text.split(/(\s+)/)) {
      if (chunk === '') continue;
      if (/^\s+$/.test(chunk)) {
        current = undefined;
        if (!pendingBreak) pendingSpace = { ...piece, text: ' ' };
        continue;
      }
      if (!current) {
        current = { parts: [], width: 0, spaceBefore: pendingSpace, breakBefore: pendingBreak, group };
        words.push(current);
        pendingSpace = undefined;
        pendingBreak = false;
      }
      current.parts.push({ ...piece, text: chunk });
      current.width += columns(chunk);
      current.group ??= group;
    }
  }
  return words;
}

/** Greedy word wrap to `width` columns; a word wider than the width is cut, preferably after `/` or `-`. */
function wrapPieces(pieces: readonly InlinePiece[], width: number): StyledLine[] {
  const words = toWords(pieces);
  const groupWidths = new Map<number, number>();
  for (const word of words) {
    if (word.group === undefined) continue;
    const sofar = groupWidths.get(word.group);
    groupWidths.set(word.group, sofar === undefined ? word.width : sofar + 1 + word.width);
  }
  const lines: StyledLine[] = [];
  let line: StyledLine = [];
  let used = 0;
  let previousGroup: number | undefined;
  const flush = (): void => {
    lines.push(mergeSpans(line));
    line = [];
    used = 0;
  };
  for (const word of words) {
    if (word.breakBefore && (line.length > 0 || lines.length > 0)) flush();
    const space = line.length > 0 && word.spaceBefore ? 1 : 0;
    if (word.group !== undefined && word.group !== previousGroup && line.length > 0) {
      // a command in backticks reads best unbroken: start it on a fresh line when that keeps it whole
      const whole = groupWidths.get(word.group) ?? word.width;
      if (used + space + whole > width && whole <= width) flush();
    }
    previousGroup = word.group;
    const gap = line.length > 0 && word.spaceBefore ? 1 : 0;
    if (used + gap + word.width <= width) {
      if (gap) line.push(word.spaceBefore as StyledSpan);
      line.push(...word.parts);
      used += gap + word.width;
      continue;
    }
    if (line.length > 0) flush();
    if (word.width <= width) {
      line.push(...word.parts);
      used = word.width;
      continue;
    }
    for (const chunk of cutWord(word.parts, width)) {
      if (line.length > 0) flush();
      line.push(...chunk);
      used = chunk.reduce((sum, span) => sum + columns(span.text), 0);
    }
  }
  if (line.length > 0 || lines.length === 0) flush();
  return lines;
}

/** Cuts an over-long word into pieces of at most `width` columns, keeping each span's style. */
function cutWord(parts: readonly StyledSpan[], width: number): StyledSpan[][] {
  const characters: { text: string; span: StyledSpan }[] = [];
  for (const span of parts) for (const grapheme of graphemes(span.text)) characters.push({ text: grapheme, span });
  const chunks: StyledSpan[][] = [];
  let start = 0;
  while (start < characters.length) {
    let end = start;
    let used = 0;
    while (end < characters.length) {
      const size = columns(characters[end]?.text ?? '');
      if (used + size > width && end > start) break;
      used += size;
      end += 1;
    }
    if (end < characters.length) {
      // prefer to cut just after a path or word separator (`kube-` / `apiserver`)
      for (let candidate = end - 1; candidate >= start + 2; candidate -= 1) {
        if (/[/\-_.,:]/.test(characters[candidate]?.text ?? '')) {
          end = candidate + 1;
          break;
        }
      }
    }
    const chunk: StyledSpan[] = [];
    for (const { text, span } of characters.slice(start, end)) {
      const last = chunk[chunk.length - 1];
      if (last && last.style === span.style && last.target === span.target) last.text += text;
      else chunk.push({ ...span, text });
    }
    chunks.push(chunk);
    start = end;
  }
  return chunks;
}

/** Joins neighbouring spans of the same style, so the TUI emits fewer tags. */
function mergeSpans(line: readonly StyledSpan[]): StyledLine {
  const merged: StyledLine = [];
  for (const span of line) {
    const last = merged[merged.length - 1];
    if (last && last.style === span.style && sameOptional(last.target, span.target) && last.kind === span.kind && last.level === span.level) {
      last.text += span.text;
    } else {
      merged.push({ ...span });
    }
  }
  return merged;
}

function sameOptional(a: LinkTarget | undefined, b: LinkTarget | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && sameTarget(a, b));
}

function lineWidth(line: readonly StyledSpan[]): number {
  return line.reduce((sum, span) => sum + columns(span.text), 0);
}

/* ---------------------------------------------------------------- blocks */

interface BlockContext {
  width: number;
  listDepth: number;
  lessonIdForPath: ((path: string) => string | undefined) | undefined;
  quoteInlineCode: boolean;
  /** The renderer's own words in the lesson's language. */
  t: (key: string, params?: Record<string, string | number>) => string;
}

const BODY: InlineStyle = { bold: false, italic: false, strike: false, base: 'text' };

function renderBlocks(tokens: readonly Token[], context: BlockContext, separated: boolean): StyledLine[] {
  const lines: StyledLine[] = [];
  for (const token of tokens) {
    const block = renderBlock(token, context);
    if (block.length === 0) continue;
    if (separated && lines.length > 0) lines.push([]);
    lines.push(...block);
  }
  return lines;
}

function renderBlock(token: Token, context: BlockContext): StyledLine[] {
  switch (token.type) {
    case 'space':
    case 'def':
    case 'checkbox':
      return [];
    case 'paragraph':
    case 'text': {
      const textToken = token as Tokens.Paragraph | Tokens.Text;
      const pieces = textToken.tokens ? inlinePieces(textToken.tokens, BODY, context) : [{ text: decodeEntities(textToken.text), style: 'text' as const }];
      return wrapPieces(pieces, context.width);
    }
    case 'heading':
      return renderHeading(token as Tokens.Heading, context);
    case 'code': {
      const code = token as Tokens.Code;
      return code.lang?.trim().toLowerCase() === 'diagram' ? renderDiagram(code.text, context) : renderCode(code.text, context.width, code.lang);
    }
    case 'hr':
      return [[{ text: '─'.repeat(context.width), style: 'rule' }]];
    case 'blockquote':
      return renderQuote(token as Tokens.Blockquote, context);
    case 'list':
      return renderList(token as Tokens.List, context);
    case 'table':
      return renderTable(token as Tokens.Table, context);
    case 'html':
      return renderHtmlBlock(token as Tokens.HTML, context);
    default:
      if (isAdmonition(token)) return renderAdmonition(token, context);
      if (isStrayFence(token)) return [];
      if ('tokens' in token && Array.isArray(token.tokens)) return renderBlocks(token.tokens, context, true);
      return wrapPieces([{ text: token.raw.trim(), style: 'text' }], context.width);
  }
}

function renderHeading(heading: Tokens.Heading, context: BlockContext): StyledLine[] {
  const lines = wrapPieces(inlinePieces(heading.tokens, { ...BODY, base: 'heading', level: heading.depth }, context), context.width);
  if (heading.depth > 3) return lines;
  const underline = heading.depth === 1 ? '═' : heading.depth === 2 ? '─' : '┈';
  const widest = Math.max(...lines.map(lineWidth), 1);
  return [...lines, [{ text: underline.repeat(Math.min(widest, context.width)), style: 'heading', level: heading.depth }]];
}

const SHELL_LANGUAGES = new Set(['bash', 'sh', 'shell', 'console', 'zsh']);
/** `<<EOF`, `<<-'EOF'`: the lines up to EOF are the document's text, not commands. */
const HEREDOC = /<<-?\s*['"]?([A-Za-z_][A-Za-z0-9_]*)['"]?/;

/**
 * Code: two columns of indent, never re-flowed. A shell command too long for the width continues on
 * the next line after a ` \`, broken between words (never inside quotes), so it still runs when
 * copied; a comment goes on with `#`. Other code (YAML, output) breaks at the last space, `=`, `/`,
 * `,` or flag that fits and marks the continuation `↪` (wrapCodeLine).
 */
function renderCode(text: string, width: number, language = ''): StyledLine[] {
  const indent = width - 2 >= MIN_CONTENT_WIDTH ? '  ' : '';
  const available = width - indent.length;
  const shell = SHELL_LANGUAGES.has(language.trim().toLowerCase());
  const lines: StyledLine[] = [];
  const source = text.split('\n').map(expandTabs);
  const commands = shell ? shellCommands(source) : new Map<number, string>();
  let heredoc: string | undefined;
  source.forEach((line, index) => {
    const command = shell && heredoc === undefined;
    if (command) heredoc = HEREDOC.exec(line)?.[1];
    else if (heredoc !== undefined && line.trim() === heredoc) heredoc = undefined;
    const parts = wrapCodeLine(line, available, command);
    parts.forEach((part, partIndex) => {
      const styled: StyledLine = [];
      if (indent) styled.push({ text: indent, style: 'code-block' });
      if (part.continued) styled.push({ text: '↪ ', style: 'dim' });
      const copied = partIndex === 0 ? commands.get(index) : undefined;
      styled.push({ text: part.text, style: 'code-block', ...(copied === undefined ? {} : { command: copied }) });
      lines.push(styled);
    });
  });
  return lines;
}

/** One shell command line wrapped to `width` the way lesson code is: ` \\` between words, runnable when copied. */
export function wrapShellCommand(line: string, width: number): string[] {
  return wrapCodeLine(expandTabs(line), width, true).map((part, index) => (part.continued && index > 0 ? `↪ ${part.text}` : part.text));
}

/**
 * The commands of a shell block by the line each starts on: a line ending in `\\` goes on to the next,
 * a here-document to its terminator; comment lines and blank lines are not commands.
 */
function shellCommands(source: readonly string[]): Map<number, string> {
  const commands = new Map<number, string>();
  let start: number | undefined;
  let heredoc: string | undefined;
  source.forEach((line, index) => {
    if (start === undefined) {
      if (line.trim() === '' || line.trim().startsWith('#')) return;
      start = index;
    }
    if (heredoc !== undefined) {
      if (line.trim() === heredoc) heredoc = undefined;
    } else {
      heredoc = HEREDOC.exec(line)?.[1];
    }
    if (heredoc === undefined && !line.trimEnd().endsWith('\\')) {
      const lines = source.slice(start, index + 1);
      const indent = Math.min(...lines.filter((text) => text.trim() !== '').map((text) => /^ */.exec(text)![0].length));
      commands.set(start, lines.map((text) => text.slice(indent)).join('\n').trimEnd());
      start = undefined;
    }
  });
  return commands;
}

/** A line of lesson code as drawn: its pieces, each after the first marked as continuing it (`↪`). */
export interface CodeLinePart {
  text: string;
  continued: boolean;
}

/**
 * One line of lesson code (tabs expanded) cut to `width` columns: the one rule for the reader and
 * `lessons show`. A shell command goes on after ` \` between words, so it still runs when copied;
 * other code breaks at the last place that fits (see codeBreak) and cuts a word only when it has none.
 */
export function wrapCodeLine(line: string, width: number, shell: boolean): CodeLinePart[] {
  return shell ? wrapShellLine(line, width) : wrapAtBoundaries(line, width);
}

/** Code that is not a shell command, in pieces of the width (continuations two columns narrower, for `↪ `). */
function wrapAtBoundaries(line: string, width: number): CodeLinePart[] {
  const parts: CodeLinePart[] = [];
  let rest = line;
  do {
    const continued = parts.length > 0;
    let [head, tail] = splitAtColumns(rest, Math.max(1, width - (continued ? 2 : 0)));
    const at = tail === '' ? undefined : codeBreak(rest, head.length);
    if (at) [head, tail] = [rest.slice(0, at.end), rest.slice(at.next)];
    parts.push({ text: head, continued });
    rest = tail;
  } while (rest !== '');
  return parts;
}

/**
 * Where code whose first `fits` characters fit may break: after the last space (the spaces there
 * dropped, so the next piece starts with a word); else after the last `=`, `/` or `,`, or before the
 * `-` of a flag. Never inside the indent or between a YAML list's `-` and its item, which stay together.
 */
function codeBreak(text: string, fits: number): { end: number; next: number } | undefined {
  const kept = /^\s*(?:-\s+)?/.exec(text)![0].length;
  for (let index = fits; index >= kept; index--) {
    if (text[index] !== ' ') continue;
    const end = text.slice(0, index).trimEnd().length;
    return { end, next: index + /^ */.exec(text.slice(index))![0].length };
  }
  for (let index = fits - 1; index > kept; index--) {
    const char = text[index]!;
    if (char === '=' || char === '/' || char === ',') return { end: index + 1, next: index + 1 };
    if (char === '-' && /[^\w-]/.test(text[index - 1]!) && /[\w-]/.test(text[index + 1] ?? '')) return { end: index, next: index };
  }
  return undefined;
}

/** A shell command line's words (quotes kept whole) and its comment, if any. */
function shellWords(text: string): { words: string[]; comment: string | undefined } {
  const words: string[] = [];
  let index = 0;
  while (index < text.length) {
    while (text[index] === ' ') index++;
    if (index >= text.length) break;
    if (text[index] === '#') return { words, comment: text.slice(index).trimEnd() };
    let word = '';
    let quote: string | undefined;
    while (index < text.length && (quote !== undefined || text[index] !== ' ')) {
      const char = text[index]!;
      if (char === '\\' && quote !== "'" && index + 1 < text.length) {
        word += char + text[index + 1];
        index += 2;
        continue;
      }
      if (quote === undefined && (char === "'" || char === '"')) quote = char;
      else if (char === quote) quote = undefined;
      word += char;
      index++;
    }
    words.push(word);
  }
  return { words, comment: undefined };
}

/** A flag and its value (`--ca pki/ca.crt`) go onto a line together when they fit. */
function shellUnits(words: string[]): string[] {
  const units: string[] = [];
  for (let index = 0; index < words.length; index++) {
    const word = words[index]!;
    const value = words[index + 1];
    if (/^-/.test(word) && !word.includes('=') && value !== undefined && !/^(-|[|&;<>]|\\$)/.test(value)) {
      units.push(`${word} ${value}`);
      index++;
    } else {
      units.push(word);
    }
  }
  return units;
}

function wrapShellLine(line: string, width: number): CodeLinePart[] {
  if (columns(line) <= width) return [{ text: line, continued: false }];
  const lead = /^ */.exec(line)![0];
  const { words, comment } = shellWords(line.slice(lead.length));
  // continuation lines are indented when the longest word still fits; a word wider than any line is cut
  const widest = Math.max(0, ...words.map(columns));
  const next = [`${lead}    `, `${lead}  `, lead, ''].find((indent) => columns(indent) + widest <= width - 2);
  if (next === undefined) return wrapAtBoundaries(line, width);
  // a pair wider than a whole continuation line is placed word by word
  const units = shellUnits(words).flatMap((unit) => (columns(next + unit) > width - 2 && unit.includes(' ') ? shellWords(unit).words : [unit]));
  const lines: string[] = [];
  let current = lead;
  const empty = () => current.trim() === '';
  units.forEach((word, index) => {
    const last = index === units.length - 1 && comment === undefined;
    const candidate = empty() ? current + word : `${current} ${word}`;
    // every line but the last keeps two columns for ` \`
    if (empty() || columns(candidate) <= width - (last ? 0 : 2)) {
      current = candidate;
      return;
    }
    lines.push(`${current} \\`);
    current = next + word;
  });
  if (comment !== undefined) {
    if (!empty() && columns(`${current} ${comment}`) > width) {
      lines.push(`${current} \\`);
      current = next;
    }
    // a comment ends at the line's end, so each of its lines starts with # again
    for (const word of comment.split(/ +/)) {
      const candidate = empty() ? current + word : `${current} ${word}`;
      if (!empty() && columns(candidate) > width && current.trim() !== '#') {
        lines.push(current);
        current = `${next}# ${word}`;
      } else {
        current = candidate;
      }
    }
  }
  lines.push(current);
  // the first word alone wider than the line (very narrow widths): cut, as other code is
  if (lines.some((text) => columns(text) > width)) return wrapAtBoundaries(line, width);
  return lines.map((text) => ({ text, continued: false }));
}

/**
 * Diagrams keep their geometry: when wider than the width they are shown in vertical strips
 * (columns 1-N, then N+1-...), each line cut at the same column, instead of being wrapped.
 */
function renderDiagram(text: string, context: BlockContext): StyledLine[] {
  const { width } = context;
  const source = text.split('\n').map((line) => expandTabs(line).trimEnd());
  const widths = source.map(columns);
  const widest = widths.reduce((most, lineWidth) => Math.max(most, lineWidth), 0);
  if (widest <= width) return source.map((line) => [{ text: line, style: 'diagram' }]);
  // every strip repeats every line: past a few strips it is no longer a picture, and the text would multiply
  if (widest > width * MAX_DIAGRAM_STRIPS) return renderCode(text, width);
  const strips = source.map((line, index) => ((widths[index] ?? 0) > 0 ? columnStrips(line, width) : []));
  const lines: StyledLine[] = [];
  for (let from = 0, strip = 0; from < widest; from += width, strip++) {
    const to = Math.min(widest, from + width);
    if (lines.length > 0) lines.push([]);
    lines.push(...wrapPieces([{ text: context.t('lessons.render.diagramColumns', { from: from + 1, to, widest }), style: 'dim' }], width));
    for (const line of strips) lines.push([{ text: (line[strip] ?? '').trimEnd(), style: 'diagram' }]);
  }
  return lines;
}

function renderQuote(quote: Tokens.Blockquote, context: BlockContext): StyledLine[] {
  if (context.width - 2 < MIN_CONTENT_WIDTH) return renderBlocks(quote.tokens, context, true);
  const inner = renderBlocks(quote.tokens, { ...context, width: context.width - 2 }, true);
  return inner.map((line) => [{ text: '│ ', style: 'quote' }, ...line]);
}

const BULLETS = ['•', '◦', '▪'];

function renderList(list: Tokens.List, context: BlockContext): StyledLine[] {
  const start = typeof list.start === 'number' ? list.start : 1;
  const bullet = BULLETS[context.listDepth % BULLETS.length] ?? '•';
  // a task's checkbox belongs to the marker, so wrapped lines align under the text after it
  const markers = list.items.map((item, index) => (list.ordered ? `${start + index}.` : bullet) + (item.task ? (item.checked ? ' [x]' : ' [ ]') : ''));
  const markerWidth = Math.max(...markers.map(columns)) + 1;
  const indented = context.width - markerWidth >= MIN_CONTENT_WIDTH;
  const childContext: BlockContext = { ...context, width: indented ? context.width - markerWidth : context.width, listDepth: context.listDepth + 1 };
  const lines: StyledLine[] = [];
  list.items.forEach((item, index) => {
    if (list.loose && index > 0) lines.push([]);
    const body = renderBlocks(item.tokens.filter((child) => child.type !== 'checkbox'), childContext, item.loose);
    const marker = markers[index] ?? bullet;
    if (indented) {
      const [first = [], ...rest] = body.length > 0 ? body : [[]];
      lines.push([{ text: padToColumns(marker, markerWidth), style: 'text' }, ...first]);
      for (const line of rest) lines.push(line.length > 0 ? [{ text: ' '.repeat(markerWidth), style: 'text' }, ...line] : []);
    } else {
      // too narrow to indent: the marker gets a line of its own
      lines.push([{ text: marker, style: 'text' }]);
      lines.push(...body);
    }
  });
  return lines;
}

/* Admonitions: a frame with the kind and title in its top edge. */
function renderAdmonition(token: AdmonitionToken, context: BlockContext): StyledLine[] {
  const kind = isAdmonitionKind(token.kind) ? token.kind : 'note';
  // a kind kubetls knows is named in the lesson's language; an unknown one as its author wrote it
  const label = isAdmonitionKind(token.kind) ? context.t(`lessons.callout.${token.kind}`) : token.kind.toUpperCase();
  const titlePieces = token.titleTokens.length > 0 ? inlinePieces(token.titleTokens, { ...BODY, bold: true }, context) : [];
  const title = titlePieces.length > 0 ? plainInline(token.titleTokens, context.t) : '';
  const width = context.width;
  const framed = width - 4 >= MIN_CONTENT_WIDTH;
  const innerWidth = framed ? width - 4 : width;
  const body = renderBlocks(token.tokens, { ...context, width: innerWidth }, true);
  const heading = `${label}${title ? `: ${title}` : ''}`;
  if (!framed) {
    return [...wrapPieces([{ text: title ? `${label}: ` : label, style: 'frame-title', kind }, ...titlePieces], width), ...body];
  }
  const lines: StyledLine[] = [];
  const edge = (text: string): StyledSpan => ({ text, style: 'frame', kind });
  if (columns(heading) <= width - 6) {
    lines.push([edge('┌─ '), { text: heading, style: 'frame-title', kind }, edge(` ${'─'.repeat(width - 5 - columns(heading))}┐`)]);
  } else {
    // a title too long for the top edge goes inside the frame, wrapped
    lines.push([edge(`┌${'─'.repeat(width - 2)}┐`)]);
    for (const titleLine of wrapPieces([{ text: heading, style: 'frame-title', kind }], innerWidth)) lines.push(framedLine(titleLine, innerWidth, kind));
  }
  for (const line of body) lines.push(framedLine(line, innerWidth, kind));
  if (!token.closed) lines.push(framedLine([{ text: context.t('lessons.render.calloutNotClosed'), style: 'dim' }], innerWidth, kind));
  lines.push([edge(`└${'─'.repeat(width - 2)}┘`)]);
  return lines;
}

function framedLine(line: StyledLine, innerWidth: number, kind: string): StyledLine {
  const padding = innerWidth - lineWidth(line);
  return [{ text: '│ ', style: 'frame', kind }, ...line, ...(padding > 0 ? [{ text: ' '.repeat(padding), style: 'text' as const }] : []), { text: ' │', style: 'frame', kind }];
}

function renderHtmlBlock(html: Tokens.HTML, context: BlockContext): StyledLine[] {
  const text = decodeEntities(html.text.replace(/<!--[\s\S]*?-->/g, '').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
  return text === '' ? [] : wrapPieces([{ text, style: 'text' }], context.width);
}

/* ---------------------------------------------------------------- tables */

const MIN_COLUMN_WIDTH = 6;

function renderTable(table: Tokens.Table, context: BlockContext): StyledLine[] {
  const columnCount = table.header.length;
  const headerStyle: InlineStyle = { ...BODY, base: 'table-header' };
  const header = table.header.map((cell) => inlinePieces(cell.tokens, headerStyle, context));
  const rows = table.rows.map((row) => Array.from({ length: columnCount }, (_, column) => inlinePieces(row[column]?.tokens ?? [], BODY, context)));
  const natural = Array.from({ length: columnCount }, (_, column) => Math.max(1, ...[header[column] ?? [], ...rows.map((row) => row[column] ?? [])].map(piecesWidth)));
  const longestWord = Array.from({ length: columnCount }, (_, column) =>
    Math.max(1, ...[header[column] ?? [], ...rows.map((row) => row[column] ?? [])].flatMap((cell) => toWords(cell).map((word) => word.width))),
  );
  const widths = fitColumns(natural, longestWord, context.width - (3 * columnCount + 1));
  if (!widths) return renderStackedTable(table, rows, context);

  const align = table.align;
  const border = (left: string, middle: string, right: string): StyledLine => [
    { text: left + widths.map((width) => '─'.repeat(width + 2)).join(middle) + right, style: 'table-border' },
  ];
  const renderRow = (cells: readonly InlinePiece[][]): StyledLine[] => {
    const wrapped = cells.map((cell, column) => wrapPieces(cell, widths[column] ?? 1));
    const height = Math.max(...wrapped.map((cell) => cell.length));
    const lines: StyledLine[] = [];
    for (let row = 0; row < height; row += 1) {
      const line: StyledLine = [{ text: '│', style: 'table-border' }];
      wrapped.forEach((cell, column) => {
        const content = cell[row] ?? [];
        const gap = (widths[column] ?? 0) - lineWidth(content);
        const alignment = align[column] ?? 'left';
        const before = alignment === 'right' ? gap : alignment === 'center' ? Math.floor(gap / 2) : 0;
        line.push({ text: ` ${' '.repeat(before)}`, style: 'text' }, ...content, { text: `${' '.repeat(gap - before)} `, style: 'text' }, { text: '│', style: 'table-border' });
      });
      lines.push(mergeSpans(line));
    }
    return lines;
  };
  const bodyRows = rows.map(renderRow);
  const multiLine = bodyRows.some((row) => row.length > 1);
  const lines: StyledLine[] = [border('┌', '┬', '┐'), ...renderRow(header), border('├', '┼', '┤')];
  bodyRows.forEach((row, index) => {
    if (multiLine && index > 0) lines.push(border('├', '┼', '┤'));
    lines.push(...row);
  });
  lines.push(border('└', '┴', '┘'));
  return lines;
}

function piecesWidth(pieces: readonly InlinePiece[]): number {
  return pieces.reduce((sum, piece) => sum + ('break' in piece ? 0 : columns(piece.text.replace(/\s+/g, ' '))), 0);
}

/**
 * Column widths that fit `available` columns. Every column first gets room for its longest word
 * (when all of those fit), then the columns grow toward their natural width under a common cap,
 * so narrow columns stay natural and wide ones share the rest. Undefined when even a cramped
 * layout would leave a column narrower than MIN_COLUMN_WIDTH: the table is then stacked.
 */
function fitColumns(natural: readonly number[], longestWord: readonly number[], available: number): number[] | undefined {
  const sum = (widths: readonly number[]): number => widths.reduce((total, width) => total + width, 0);
  if (sum(natural) <= available) return [...natural];
  const wordFloors = natural.map((width, index) => Math.min(width, longestWord[index] ?? 1));
  const floors = sum(wordFloors) <= available ? wordFloors : natural.map((width) => Math.min(width, MIN_COLUMN_WIDTH));
  if (sum(floors) > available) return undefined;
  const capped = (cap: number): number[] => natural.map((width, index) => Math.max(floors[index] ?? 1, Math.min(width, cap)));
  let cap = Math.max(...natural);
  while (cap > 1 && sum(capped(cap)) > available) cap -= 1;
  const widths = capped(cap);
  // hand out what the cap left over, one column at a time, to columns still below natural width
  let spare = available - sum(widths);
  for (let index = 0; spare > 0 && index < widths.length; index += 1) {
    if ((widths[index] ?? 0) < (natural[index] ?? 0)) {
      widths[index] = (widths[index] ?? 0) + 1;
      spare -= 1;
    }
  }
  return widths;
}

/** A table too wide for any column layout: each row as `header: value` lines. */
function renderStackedTable(table: Tokens.Table, rows: InlinePiece[][][], context: BlockContext): StyledLine[] {
  const lines: StyledLine[] = [];
  rows.forEach((row, index) => {
    if (index > 0) lines.push([{ text: '─'.repeat(Math.min(context.width, 20)), style: 'table-border' }]);
    row.forEach((cell, column) => {
      const name = plainInline(table.header[column]?.tokens ?? [], context.t) || context.t('lessons.render.column', { number: column + 1 });
      lines.push(...wrapPieces([{ text: `${name}:`, style: 'table-header' }, { text: ' ', style: 'text' }, ...cell], context.width));
    });
  });
  return lines;
}
