import { toAsciiDrawing } from '../lessons/text.js';

/**
 * Stand-ins for the symbols the app's words and screens use, for a terminal without Unicode (LANG=C),
 * where blessed would send each of them as `?`.
 */

/** In running text, where a stand-in may take more columns than the symbol. */
const IN_TEXT: [symbol: string, ascii: string][] = [
  // the arrow beside its key's name says the same again
  ['↓ PgDn', 'PgDn'],
  ['↑↓', 'Up/Down'],
  ['…', '...'],
  ['→', '->'],
  ['←', '<-'],
  ['↑', 'Up'],
  ['↓', 'Down'],
  ['⏎', 'Enter'],
  ['—', '-'],
  ['–', '-'],
  ['·', '-'],
  ['•', '-'],
  ['★', '*'],
  ['✓', '+'],
  ['✗', 'x'],
  ['⚑', '!'],
];

/** Text with the app's symbols spelled in ASCII. */
export function asciiText(text: string): string {
  let out = text;
  for (const [symbol, ascii] of IN_TEXT) out = out.split(symbol).join(ascii);
  return out;
}

/** One cell each, as laid out: what is left when a screen is drawn (the ones views did not spell). */
const IN_A_CELL: Record<string, string> = {
  '…': '.', '·': '-', '•': '-', '★': '*', '✓': '+', '✗': 'x', '⚑': '!', '⏎': '<',
  '█': '#', '░': '.', '●': '*', '✎': '>', '▶': '>', '↪': '>', '—': '-', '–': '-',
};

/** The ASCII character drawn in a cell for `character`, or undefined when there is none. */
export function asciiCell(character: string): string | undefined {
  const own = IN_A_CELL[character];
  if (own !== undefined) return own;
  if (character >= '\u2800' && character <= '\u28ff') return '.';
  const drawn = toAsciiDrawing(character);
  return drawn === character ? undefined : drawn;
}
