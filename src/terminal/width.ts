/**
 * Terminal columns of kubetls' own short strings (menus, status bar, the CLI's tables). Lesson text is measured by
 * the lesson renderer with string-width; this avoids loading it just to draw the home screen.
 */

const WIDE = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
] as const;

export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x20 || (code >= 0x300 && code <= 0x36f)) continue;
    width += WIDE.some(([from, to]) => code >= from && code <= to) ? 2 : 1;
  }
  return width;
}

/** Cut to at most `width` columns, marking the cut with an ellipsis. */
export function truncate(text: string, width: number, unicode: boolean): string {
  if (displayWidth(text) <= width) return text;
  const ellipsis = unicode ? '…' : '~';
  let result = '';
  for (const char of text) {
    if (displayWidth(result + char) > width - 1) break;
    result += char;
  }
  return result + ellipsis;
}

/** Pad with spaces to `width` columns (Korean characters count two). */
export function padColumns(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}
