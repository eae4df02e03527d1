import { columns } from '../text-width.cjs';

/** Fitting the app's text to columns, measured by src/text-width.cts: word wrap of tagged text (cut and pad are shared with the CLI). */

export { padColumns, truncate, truncateAtWord, truncateStart } from '../terminal/width.js';

/** Indentation, then a bullet or cursor, a check box, a choice letter: what a wrapped line's text starts after. */
const LIST_MARKER = /^ *(?:[▶>•·*✓✗+x-] +)?(?:[([][^)\]]?[)\]] +)?(?:[a-z0-9]{1,2}[).] +)?/u;

/** blessed tags take no columns, except the escaped braces {open} and {close}, which show as one. */
const ATOM = /\{open\}|\{close\}|\{[^{}]*\}|[\s\S]/gu;

function atomWidth(atom: string): number {
  if (atom === '{open}' || atom === '{close}') return 1;
  return atom.length > 1 && atom.startsWith('{') ? 0 : columns(atom);
}

/**
 * Word wrap for blessed-tagged text at `width` columns. blessed wraps on its own, but it looks back
 * only ten characters for a space, so flags and paths were cut mid-word (`--tls-cert-f|ile`). A word
 * wider than the line is cut where it must. Continuation lines keep the line's indentation.
 */
export function wrapTagged(text: string, width: number): string {
  return text
    .split('\n')
    .flatMap((line) => wrapLine(line, Math.max(10, width)))
    .join('\n');
}

function wrapLine(line: string, width: number): string[] {
  const atoms = line.match(ATOM) ?? [];
  const total = atoms.reduce((sum, atom) => sum + atomWidth(atom), 0);
  if (total <= width) return [line];
  const visible = visibleText(atoms);
  const hanging = hangingIndent(visible, width);
  // a list (`DNS:kubernetes, IP Address:10.96.0.1, ...`) breaks after its commas, keeping each item whole
  const list = (visible.trimStart().match(/, /g) ?? []).length >= 2;
  const filler = lineFiller(width, hanging);
  let word: string[] = [];
  let wordWidth = 0;
  const placeWord = () => {
    if (word.length === 0) return;
    if (list && (wordWidth > width - hanging.length || isProse(word))) placeBetweenItsWords(filler, word);
    else filler.place(word, wordWidth);
    word = [];
    wordWidth = 0;
  };
  let previous = '';
  for (const atom of atoms) {
    if (atom === ' ' && (!list || previous === ',' || word.length === 0)) {
      placeWord();
      filler.space();
    } else {
      word.push(atom);
      wordWidth += atomWidth(atom);
    }
    if (atomWidth(atom) > 0) previous = atom;
  }
  placeWord();
  return filler.finish();
}

/**
 * A list item with a sentence break inside is prose, not a name to keep whole: the sentence around the
 * list (`Not repaired: #10, #11, #13. kubetls put those parts back…`) wraps word by word, or it would go
 * to the next line all at once with its item. `IP Address:10.96.0.1` and `서비스 CIDR 10.96.0.0/12` stay whole.
 */
function isProse(item: string[]): boolean {
  return /[.;:!?] /u.test(visibleText(item));
}

/** The text as shown: tags gone, escaped braces as the braces they show. */
function visibleText(atoms: string[]): string {
  return atoms.map((atom) => (atom === '{open}' ? '{' : atom === '{close}' ? '}' : atom.length > 1 && atom.startsWith('{') ? '' : atom)).join('');
}

/** Continuation lines start under the text, past the indent and any marker: "  ▶ ( ) a) ", "• ", "✓ ". */
function hangingIndent(visible: string, width: number): string {
  const indent = columns(LIST_MARKER.exec(visible)?.[0] ?? '');
  return indent < width / 2 ? ' '.repeat(indent) : '';
}

interface LineFiller {
  /** A word's atoms on the current line, or the next one when they do not fit; cut where a word is wider than a line. */
  place(atoms: string[], width: number): void;
  space(): void;
  finish(): string[];
}

function lineFiller(width: number, hanging: string): LineFiller {
  const lines: string[] = [];
  let current = '';
  let used = 0;
  const breakLine = () => {
    lines.push(current.trimEnd());
    current = hanging;
    used = hanging.length;
  };
  return {
    place(atomsOfWord, widthOfWord) {
      if (used + widthOfWord > width && used > hanging.length) breakLine();
      // a name too wide to follow the indent starts at the margin rather than be cut
      if (used + widthOfWord > width && widthOfWord <= width && current.trim() === '') {
        current = '';
        used = 0;
      }
      for (const atom of atomsOfWord) {
        const w = atomWidth(atom);
        if (used + w > width && used > hanging.length) breakLine();
        current += atom;
        used += w;
      }
    },
    space() {
      if (used < width) {
        current += ' ';
        used += 1;
      }
    },
    finish() {
      if (current.trim() !== '') lines.push(current.trimEnd());
      return lines;
    },
  };
}

/** A list item wider than a line: broken between its own words after all. */
function placeBetweenItsWords(filler: LineFiller, word: string[]): void {
  let part: string[] = [];
  let partWidth = 0;
  for (const [index, atom] of [...word, ' '].entries()) {
    if (atom !== ' ') {
      part.push(atom);
      partWidth += atomWidth(atom);
      continue;
    }
    filler.place(part, partWidth);
    if (index < word.length) filler.space();
    part = [];
    partWidth = 0;
  }
}
