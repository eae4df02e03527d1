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

/** Pad with spaces to `width` columns (Korean characters count two). */
export function padColumns(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - columns(text)));
}
