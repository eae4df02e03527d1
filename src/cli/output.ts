import { isUtf8Locale } from '../terminal/language.js';
import { barParts } from '../terminal/bars.js';
/** How plain (line) mode draws: Unicode or ASCII, colour or not, decided once from the environment. */

export interface Style {
  unicode: boolean;
  color: boolean;
  ok: string;
  fail: string;
  info: string;
  skip: string;
  green(text: string): string;
  red(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
  tree: { branch: string; last: string; pipe: string; space: string };
}

export function colorWanted(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  // https://no-color.org: any non-empty NO_COLOR disables colour
  if (env['NO_COLOR']) return false;
  if (env['FORCE_COLOR'] && env['FORCE_COLOR'] !== '0') return true;
  return Boolean(stream.isTTY) && env['TERM'] !== 'dumb';
}

export function styleFor(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): Style {
  const unicode = isUtf8Locale(env);
  const color = colorWanted(stream, env);
  const paint = (code: number) => (text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const green = paint(32);
  const red = paint(31);
  return {
    unicode,
    color,
    ok: green(unicode ? '✓' : 'OK'),
    fail: red(unicode ? '✗' : 'FAIL'),
    info: unicode ? '•' : '-',
    skip: unicode ? '·' : '.',
    green,
    red,
    dim: paint(2),
    bold: paint(1),
    tree: unicode ? { branch: '├── ', last: '└── ', pipe: '│   ', space: '    ' } : { branch: '|-- ', last: '`-- ', pipe: '|   ', space: '    ' },
  };
}

/** A one-line progress bar on stderr, redrawn in place; silent when stderr is not a terminal. */
export function progressLine(stream: NodeJS.WriteStream = process.stderr): { update(done: number, total: number, label: string): void; end(): void } {
  if (!stream.isTTY) return { update() {}, end() {} };
  const unicode = isUtf8Locale();
  let drawn = false;
  return {
    update(done, total, label) {
      const bar = barParts(done / total, 24, unicode).join('');
      const columns = stream.columns || 80;
      const text = `${bar} ${String(done).padStart(String(total).length)}/${total} ${label}`;
      stream.write(`\r${text.slice(0, columns - 1).padEnd(Math.min(columns - 1, text.length + 10))}`);
      drawn = true;
    },
    end() {
      if (drawn) stream.write('\r\u001b[2K');
    },
  };
}
