import { displayWidth } from '../terminal/width.js';

// the columns of short strings are measured below the app, where the CLI's tables measure them too
export { displayWidth, padColumns, truncate } from '../terminal/width.js';

/** Indentation, then a bullet or cursor, a check box, a choice letter: what a wrapped line's text starts after. */
const LIST_MARKER = /^ *(?:[▶>•·*✓✗+x-] +)?(?:[([][^)\]]?[)\]] +)?(?:[a-z0-9]{1,2}[).] +)?/u;

/** blessed tags take no columns, except the escaped braces {open} and {close}, which show as one. */
const ATOM = /\{open\}|\{close\}|\{[^{}]*\}|[\s\S]/gu;

function atomWidth(atom: string): number {
  if (atom === '{open}' || atom === '{close}') return 1;
  return atom.length > 1 && atom.startsWith('{') ? 0 : displayWidth(atom);
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
  // continuation lines start under the text, past the indent and any marker: "  ▶ ( ) a) ", "• ", "✓ "
  const visible = atoms.map((atom) => (atom === '{open}' ? '{' : atom === '{close}' ? '}' : atom.length > 1 && atom.startsWith('{') ? '' : atom)).join('');
  const marker = LIST_MARKER.exec(visible)?.[0] ?? '';
  const indent = displayWidth(marker);
  const hanging = indent < width / 2 ? ' '.repeat(indent) : '';
  // a list (`DNS:kubernetes, IP Address:10.96.0.1, ...`) breaks after its commas, keeping each item whole
  const list = (visible.trimStart().match(/, /g) ?? []).length >= 2;
  const lines: string[] = [];
  let current = '';
  let used = 0;
  let word: string[] = [];
  let wordWidth = 0;
  const breakLine = () => {
    lines.push(current.trimEnd());
    current = hanging;
    used = hanging.length;
  };
  const placeAtoms = (atomsOfWord: string[], widthOfWord: number) => {
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
  };
  const placeWord = () => {
    if (word.length === 0) return;
    if (list && wordWidth > width - hanging.length && word.includes(' ')) {
      // an item wider than a line: between its own words after all
      let part: string[] = [];
      let partWidth = 0;
      for (const [index, atom] of [...word, ' '].entries()) {
        if (atom !== ' ') {
          part.push(atom);
          partWidth += atomWidth(atom);
          continue;
        }
        placeAtoms(part, partWidth);
        if (index < word.length && used < width) {
          current += ' ';
          used += 1;
        }
        part = [];
        partWidth = 0;
      }
    } else {
      placeAtoms(word, wordWidth);
    }
    word = [];
    wordWidth = 0;
  };
  let previous = '';
  for (const atom of atoms) {
    if (atom === ' ' && (!list || previous === ',' || word.length === 0)) {
      placeWord();
      if (used < width) {
        current += ' ';
        used += 1;
      }
    } else {
      word.push(atom);
      wordWidth += atomWidth(atom);
    }
    if (atomWidth(atom) > 0) previous = atom;
  }
  placeWord();
  if (current.trim() !== '') lines.push(current.trimEnd());
  return lines;
}
