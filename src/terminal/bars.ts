/** What the app and the command line both draw. */

/** A text bar's two parts, filled and empty, for `fraction` (0..1) of `width` cells: █░ or #. */
export function barParts(fraction: number, width: number, unicode: boolean): [filled: string, empty: string] {
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return unicode ? ['█'.repeat(filled), '░'.repeat(width - filled)] : ['#'.repeat(filled), '.'.repeat(width - filled)];
}
