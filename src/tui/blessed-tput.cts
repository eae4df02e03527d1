/**
 * Two changes to blessed's terminfo handling (Tput): it reads the terminfo format ncurses 6.1+ writes
 * for 256-colour terminals, and it stops doing work it throws away (a third of start-up otherwise).
 */

interface TerminfoData {
  [index: number]: number;
  length: number;
}
interface TputPrototype {
  parseTerminfo(this: unknown, data: TerminfoData, file: string): unknown;
  _compile(this: unknown, info: unknown, key: string, value: unknown): unknown;
}

const Tput = require('blessed/lib/tput') as { prototype: TputPrototype };

/** The terminfo formats (term(5)): 16-bit numbers, and ncurses 6.1's with 32-bit numbers. */
const LEGACY_MAGIC = 0o432;
const EXTENDED_NUMBERS_MAGIC = 0o1036;

/**
 * The same entry in the legacy format, laid out the way blessed's parser expects.
 * - ncurses writes `tmux-256color`, `screen-256color` and `xterm-256color` with 32-bit numbers (for
 *   `pairs#0x10000`); the formats differ only in the width of the two numbers sections (standard and
 *   extended), so those are narrowed and the rest is copied. Numbers above 32767 become 32767, as
 *   ncurses does when it writes the legacy format. Without this blessed fell back to an 8-colour xterm
 *   entry and drew grey as black.
 * - blessed looks for the extended section one byte early when the string table ends on an odd byte
 *   (`screen-256color`), and read garbage there; one more NUL at the table's end moves it to even.
 */
export function legacyTerminfo(data: TerminfoData): Buffer {
  const source = Buffer.from(data as Uint8Array);
  const wide = source.readUInt16LE(0) === EXTENDED_NUMBERS_MAGIC;
  const output = Buffer.alloc(source.length + 1);
  const short = (at: number) => source.readUInt16LE(at);
  let from = 0;
  let to = 0;
  const copy = (count: number) => {
    source.copy(output, to, from, from + count);
    from += count;
    to += count;
  };
  const numbers = (count: number) => {
    if (!wide) return copy(count * 2);
    for (let n = 0; n < count; n++) {
      const value = source.readInt32LE(from);
      // -1 absent, -2 cancelled: the same meaning in 16 bits
      output.writeInt16LE(value < 0 ? Math.max(value, -2) : Math.min(value, 0x7fff), to);
      from += 4;
      to += 2;
    }
  };
  const [namesSize, boolCount, numCount, strCount, strTableSize] = [2, 4, 6, 8, 10].map(short) as [number, number, number, number, number];
  copy(12);
  output.writeUInt16LE(LEGACY_MAGIC, 0);
  copy(namesSize + boolCount);
  // numbers start on an even byte; narrowing them keeps every later offset's parity
  if (from % 2) copy(1);
  numbers(numCount);
  copy(strCount * 2 + strTableSize);
  if (from >= source.length) return output.subarray(0, to);
  if (to % 2) {
    // the pad byte, counted as part of the string table
    output[to++] = 0;
    output.writeUInt16LE(strTableSize + 1, 10);
    if (source[from] === 0) from++;
  }
  if (from + 10 <= source.length) {
    const [extBools, extNumbers] = [short(from), short(from + 2)];
    copy(10 + extBools);
    if (extBools % 2) copy(1);
    numbers(extNumbers);
    copy(source.length - from);
  }
  return output.subarray(0, to);
}

/**
 * Both changes replace methods of blessed 0.1.81 (pinned exactly in package.json). A blessed that
 * renamed them or changed their parameters would get a replacement written for another shape: then
 * blessed keeps its own methods (slower, 8 colours on modern terminfo) rather than break.
 * Returns whether the prototype was patched.
 */
export function patchTput(prototype: Partial<TputPrototype>): boolean {
  const { parseTerminfo, _compile: compileCapability } = prototype;
  // (data, file) and (info, key, str) in blessed 0.1.81's lib/tput.js
  if (typeof parseTerminfo !== 'function' || parseTerminfo.length !== 2) return false;
  if (typeof compileCapability !== 'function' || compileCapability.length !== 3) return false;
  prototype.parseTerminfo = function (data, file) {
    const magic = (data[1]! << 8) | data[0]!;
    return parseTerminfo.call(this, magic === EXTENDED_NUMBERS_MAGIC || magic === LEGACY_MAGIC ? legacyTerminfo(data) : data, file);
  };
  prototype._compile = function (info, key, value) {
    // blessed turns each of the terminal's ~400 string capabilities into a JavaScript function up front;
    // a screen uses a few dozen, so compile each on its first call
    if (typeof value !== 'string' || value === '' || key === 'init_file' || key === 'reset_file') return compileCapability.call(this, info, key, value);
    let compiled: ((...args: unknown[]) => unknown) | undefined;
    const tput = this;
    return function (this: unknown, ...args: unknown[]) {
      compiled ??= compileCapability.call(tput, info, key, value) as (...args: unknown[]) => unknown;
      return compiled.apply(this, args);
    };
  };
  return true;
}

export const tputPatched = patchTput(Tput.prototype);
