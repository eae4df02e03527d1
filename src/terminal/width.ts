import { columns } from '../text-width.cjs';

/**
 * Fitting kubetls' own short strings (menus, status bar, the command line's tables) to columns, measured
 * by the one width function (src/text-width.cts): cut and pad. The app's word wrap is in src/tui/width.ts.
 */

/** Cut to at most `width` columns, marking the cut with an ellipsis. */
export function truncate(text: string, width: number, unicode: boolean): string {
  if (columns(text) <= width) return text;
  const ellipsis = unicode ? '…' : '~';
  let result = '';
  for (const char of text) {
    if (columns(result + char) > width - 1) break;
    result += char;
  }
  return result + ellipsis;
}

/** Cut from the start to at most `width` columns, keeping the end (a breadcrumb's last screens). */
export function truncateStart(text: string, width: number, unicode: boolean): string {
  if (columns(text) <= width) return text;
  const ellipsis = unicode ? '…' : '~';
  let result = '';
  for (const char of [...text].reverse()) {
    if (columns(char + result) > width - 1) break;
    result = char + result;
  }
  return width > 0 ? ellipsis + result : '';
}

/**
 * Cut as `truncate` does, but between words, so a sentence (a question in a list) ends on a whole word
 * and the ellipsis. A first word longer than half the room is cut inside instead.
 */
export function truncateAtWord(text: string, width: number, unicode: boolean): string {
  const cut = truncate(text, width, unicode);
  if (cut === text) return text;
  const kept = cut.slice(0, -1);
  const ellipsis = cut.slice(-1);
  if (/\s/u.test(text.charAt(kept.length))) return kept.trimEnd() + ellipsis;
  const space = kept.lastIndexOf(' ');
  return space > 0 && columns(kept.slice(0, space)) >= width / 2 ? kept.slice(0, space).trimEnd() + ellipsis : cut;
}

/** Pad with spaces to `width` columns (Korean characters count two). */
export function padColumns(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - columns(text)));
}
