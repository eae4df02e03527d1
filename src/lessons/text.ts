import stringWidth from 'string-width';

/** Terminal columns, the way kubetls measures text: Hangul and other wide characters count two. */

const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function columns(text: string): number {
  return stringWidth(text);
}

export function graphemes(text: string): string[] {
  return Array.from(graphemeSegmenter.segment(text), (segment) => segment.segment);
}

/**
 * Splits `text` into its longest head that fits in `width` columns and the rest. At least one
 * grapheme goes into the head, so a loop over the rest always ends.
 */
export function splitAtColumns(text: string, width: number): [head: string, rest: string] {
  let head = '';
  let used = 0;
  let consumed = 0;
  for (const grapheme of graphemes(text)) {
    const size = columns(grapheme);
    if (used + size > width && head !== '') break;
    head += grapheme;
    used += size;
    consumed += grapheme.length;
  }
  return [head, text.slice(consumed)];
}

/**
 * The columns `[from, from + width)` of `text`, padded with spaces to exactly `width` columns.
 * A wide character cut by either edge becomes a space, so every slice lines up.
 */
export function sliceColumns(text: string, from: number, width: number): string {
  let out = '';
  let column = 0;
  for (const grapheme of graphemes(text)) {
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
  for (const part of line.split(/(\t)/)) {
    out += part === '\t' ? ' '.repeat(tabSize - (columns(out) % tabSize)) : part;
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
