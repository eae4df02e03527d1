import { columns } from '../text-width.cjs';

/** Text laid out in terminal columns (measured by src/text-width.cts), never cutting a grapheme in two. */

export { columns };

// ICU's grapheme segmenter costs 12-45 ms to create here: made when a text first needs it
let graphemeSegmenter: Intl.Segmenter | undefined;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/**
 * What can join the code point before it into one grapheme: marks (accents, variation selectors),
 * format characters (ZWJ), CR (of CR LF), Hangul jamo, regional indicators (flags), emoji modifiers and
 * tags. A text without any is one grapheme per code point (Hangul syllables, box drawing, arrows).
 */
const JOINS_GRAPHEMES = /[\p{M}\p{Cf}\r\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff\u{1F1E6}-\u{1F1FF}\u{1F3FB}-\u{1F3FF}\u{E0020}-\u{E007F}]/u;
// V8's segmenter takes time quadratic in the length of what it segments (a 200,000-character line
// took minutes); pieces this long keep it linear
const SEGMENT_PIECE = 512;

/** The graphemes of `text`, lazily, segmented a piece at a time. */
function* graphemesOf(text: string): Generator<string> {
  let start = 0;
  // small pieces first: splitAtColumns often needs only a line's worth
  let size = 64;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    size = Math.min(SEGMENT_PIECE, size * 2);
    // never between the halves of a surrogate pair: half a character would be a grapheme of its own
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end--;
    const piece = text.slice(start, end);
    // printable ASCII is one grapheme per character, unless an accent or a CR LF follows the piece
    if (PRINTABLE_ASCII.test(piece) && (end === text.length || PRINTABLE_ASCII.test(text[end]!))) {
      for (let index = 0; index < piece.length; index++) yield piece[index]!;
      start = end;
      continue;
    }
    const pieces = segmentGraphemes(piece, text[end]);
    // the piece's last grapheme may go on past its end (an accent, an emoji sequence): segment it again with what follows
    if (end < text.length && pieces.length > 1) pieces.pop();
    for (const piece of pieces) {
      start += piece.length;
      yield piece;
    }
  }
}

/** One piece's graphemes: its code points when nothing in it (or the character after it) can join them, else ICU's. */
function segmentGraphemes(piece: string, next: string | undefined): string[] {
  if (!JOINS_GRAPHEMES.test(piece) && (next === undefined || !JOINS_GRAPHEMES.test(next))) return Array.from(piece);
  graphemeSegmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return Array.from(graphemeSegmenter.segment(piece), (segment) => segment.segment);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

export function graphemes(text: string): string[] {
  return [...graphemesOf(text)];
}

/**
 * Splits `text` into its longest head that fits in `width` columns and the rest. At least one
 * grapheme goes into the head, so a loop over the rest always ends. Reads only as far as the head.
 */
export function splitAtColumns(text: string, width: number): [head: string, rest: string] {
  let head = '';
  let used = 0;
  for (const grapheme of graphemesOf(text)) {
    const size = columns(grapheme);
    if (used + size > width && head !== '') break;
    head += grapheme;
    used += size;
  }
  return [head, text.slice(head.length)];
}

/**
 * The columns `[from, from + width)` of `text`, padded with spaces to exactly `width` columns.
 * A wide character cut by either edge becomes a space, so every slice lines up.
 */
export function sliceColumns(text: string, from: number, width: number): string {
  let out = '';
  let column = 0;
  for (const grapheme of graphemesOf(text)) {
    const size = columns(grapheme);
    const end = column + size;
    if (end > from && column < from + width) {
      out += column >= from && end <= from + width ? grapheme : ' '.repeat(Math.min(end, from + width) - Math.max(column, from));
    }
    column = end;
    if (column >= from + width) break;
  }
  return out + ' '.repeat(Math.max(0, width - columns(out)));
}

/** `text` cut into strips of exactly `width` columns (sliceColumns at 0, width, 2 * width, ...), in one pass. */
export function columnStrips(text: string, width: number): string[] {
  const strips: string[] = [];
  let strip = '';
  let stripStart = 0;
  let column = 0;
  const next = (): void => {
    strips.push(strip);
    strip = '';
    stripStart += width;
  };
  for (const grapheme of graphemesOf(text)) {
    const end = column + columns(grapheme);
    while (end > stripStart && column < stripStart + width) {
      if (column >= stripStart && end <= stripStart + width) strip += grapheme;
      else strip += ' '.repeat(Math.min(end, stripStart + width) - Math.max(column, stripStart));
      if (end >= stripStart + width) next();
      else break;
    }
    column = end;
  }
  if (strip !== '' || strips.length === 0) strips.push(strip);
  return strips.map((piece) => piece + ' '.repeat(Math.max(0, width - columns(piece))));
}

export function padToColumns(text: string, width: number, align: 'left' | 'right' | 'center' = 'left'): string {
  const gap = Math.max(0, width - columns(text));
  if (align === 'right') return ' '.repeat(gap) + text;
  if (align === 'center') return ' '.repeat(Math.floor(gap / 2)) + text + ' '.repeat(gap - Math.floor(gap / 2));
  return text + ' '.repeat(gap);
}

/** Expands tabs to the next multiple of `tabSize` columns, as a terminal would. */
export function expandTabs(line: string, tabSize = 4): string {
  if (!line.includes('\t')) return line;
  let out = '';
  let column = 0;
  for (const part of line.split(/(\t)/)) {
    const text = part === '\t' ? ' '.repeat(tabSize - (column % tabSize)) : part;
    out += text;
    column += columns(text);
  }
  return out;
}

/** Removes characters a lesson file could use to move the cursor or reorder text on screen. */
export { stripControlCharacters } from '../control-characters.js';

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00A0', '#39': "'" };

/** marked leaves character references in text as written; a terminal shows the character. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/**
 * Box-drawing and arrow characters with their plain-ASCII stand-ins, one column each, so an
 * ASCII rendering keeps every column where the Unicode one had it.
 */
const ASCII_FALLBACK: Record<string, string> = {
  '─': '-', '━': '-', '┄': '-', '┈': '-', '╌': '-', '═': '=',
  '│': '|', '┃': '|', '┆': '|', '┊': '|', '╎': '|', '║': '|',
  '┌': '+', '┐': '+', '└': '+', '┘': '+', '├': '+', '┤': '+', '┬': '+', '┴': '+', '┼': '+',
  '╭': '+', '╮': '+', '╰': '+', '╯': '+',
  '→': '>', '←': '<', '↑': '^', '↓': 'v', '↔': '-', '↕': '|',
  '▶': '>', '◀': '<', '▲': '^', '▼': 'v', '►': '>', '◄': '<', '▸': '>', '◂': '<',
  '⇒': '>', '⇐': '<', '↪': '>',
  '•': '*', '◦': '-', '▪': '+', '…': '.', '—': '-', '–': '-', '✓': 'x',
};

export function toAsciiDrawing(text: string): string {
  let out = '';
  for (const character of text) {
    const replacement = ASCII_FALLBACK[character];
    if (replacement !== undefined) out += replacement;
    // any other box-drawing character (U+2500-U+257F) is a junction or a line: draw a corner
    else if (character >= '\u2500' && character <= '\u257F') out += '+';
    else out += character;
  }
  return out;
}
