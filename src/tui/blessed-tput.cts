/**
 * Two changes to blessed's terminfo handling (Tput), which otherwise costs a third of start-up.
 * Both keep what blessed does; they only stop it doing work it throws away.
 */

interface TerminfoData {
  [index: number]: number;
}
interface TputPrototype {
  parseTerminfo(this: unknown, data: TerminfoData, file: string): unknown;
  _compile(this: unknown, info: unknown, key: string, value: unknown): unknown;
}

const Tput = require('blessed/lib/tput') as { prototype: TputPrototype };

/** ncurses 6.1+ writes terminfo with 32-bit numbers under this magic number; blessed reads only 16-bit ones. */
const EXTENDED_NUMBERS_MAGIC = 0o1036;

const parseTerminfo = Tput.prototype.parseTerminfo;
Tput.prototype.parseTerminfo = function (data, file) {
  // blessed would read the whole file with the wrong number width and then fail its own length check,
  // falling back to the copy of the entry it ships; fail at once instead (the same fallback follows)
  if (((data[1]! << 8) | data[0]!) === EXTENDED_NUMBERS_MAGIC) throw new Error(`${file}: terminfo with 32-bit numbers`);
  return parseTerminfo.call(this, data, file);
};

const compileCapability = Tput.prototype._compile;
Tput.prototype._compile = function (info, key, value) {
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

export {};
