import { WIDE_RANGES, ZERO_WIDTH_RANGES, codePointColumns } from '../text-width.cjs';

/**
 * blessed lays text out with tables of its own (lib/unicode.js): with `fullUnicode` it puts a
 * placeholder cell after each character its `chars.all` matches, folds the characters of `combining`
 * into the cell before, and skips the cell after one `charWidth` calls two wide. Its tables predate
 * emoji (😀 and ✅ took one cell and pushed the rest of the line right). Here they are given
 * src/text-width.cts's tables, so every line the app measured is drawn in the cells it measured.
 */

interface BlessedUnicode {
  charWidth(str: string | number, i?: number): number;
  codePointAt(str: string, position: number): number;
  combining: Record<number, boolean>;
  chars: { all: RegExp };
}

/**
 * Written for blessed 0.1.81 (pinned in package.json). A blessed whose tables have another shape keeps
 * its own measure rather than get a half-patched one; returns whether it was patched.
 */
export function patchBlessedUnicode(unicode: Partial<BlessedUnicode>): boolean {
  const { charWidth, codePointAt, combining, chars } = unicode;
  if (typeof charWidth !== 'function' || typeof codePointAt !== 'function') return false;
  if (typeof combining !== 'object' || combining === null || !(chars?.all instanceof RegExp) || !chars.all.global) return false;
  unicode.charWidth = function (str, i) {
    const point = typeof str === 'number' ? str : codePointAt(str, i ?? 0);
    // NUL and tab stay blessed's (a tab is as wide as the screen's tab stop)
    return point === 0 || point === 0x09 ? charWidth.call(this, str, i) : codePointColumns(point);
  };
  for (const [from, to] of ZERO_WIDTH_RANGES) for (let point = from; point <= to; point++) combining[point] = true;
  chars.all = new RegExp(`([${WIDE_RANGES.map(([from, to]) => `\\u{${from.toString(16)}}-\\u{${to.toString(16)}}`).join('')}])`, 'gu');
  return true;
}

export const unicodePatched = patchBlessedUnicode(require('blessed/lib/unicode') as Partial<BlessedUnicode>);
