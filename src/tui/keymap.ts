import type { UiKey } from './strings.js';

/**
 * One keymap for the whole app: each screen lists its bindings, the app adds the global ones, and
 * the same list drives key handling, the status bar and the `?` help overlay.
 */

/** In a binding's keys: any character that types (letters, digits, punctuation, space, Hangul). */
export const PRINTABLE = '<printable>';

export interface Binding {
  /** blessed key names: `up`, `k`, `S-g` (G), `pageup`, `enter`, `C-c`, `?`; or PRINTABLE. */
  keys: string[];
  /** How the keys are shown, e.g. `↑/k`; ASCII terminals get `ascii` when it is given. */
  display: string;
  ascii?: string;
  label: UiKey;
  /** Shown in the status bar, not only in help. */
  status?: boolean;
  /** Works, but another binding describes it (e.g. each choice letter, summed up as `a-d`). */
  hidden?: boolean;
  run: (event: KeyEvent) => void | Promise<void>;
}

export interface KeyEvent {
  full: string;
  name: string | undefined;
  ch: string | undefined;
}

/**
 * A key as blessed reports it, as the app's bindings see it. Enter typed while kubetls starts, before
 * the terminal is switched to raw input, arrives as a line feed (the tty has already turned its \r
 * into \n), and so does Ctrl-J: both are Enter, as in a shell. blessed also reports Enter twice, as
 * `return` and then `enter`: the first is none (undefined), so it acts once.
 */
export function keyEventOf(ch: string | undefined, key: { full?: string; name?: string } | undefined): KeyEvent | undefined {
  if (key?.full === 'return') return undefined;
  if (key?.full === 'linefeed') return { full: 'enter', name: 'enter', ch: '\r' };
  return { full: key?.full ?? ch ?? '', name: key?.name, ch };
}

/** A key that types a character, as opposed to Enter, Tab, Esc, Backspace, arrows and Ctrl/Alt combinations. */
export function isPrintable(event: KeyEvent): boolean {
  const char = event.ch;
  if (char === undefined || [...char].length !== 1 || /^[CM]-/.test(event.full)) return false;
  const code = char.codePointAt(0)!;
  return code >= 0x20 && code !== 0x7f;
}

export function keyMatches(binding: Binding, event: KeyEvent): boolean {
  return binding.keys.includes(event.full) || (binding.keys.includes(PRINTABLE) && isPrintable(event));
}

export function findBinding(bindings: readonly Binding[], event: KeyEvent): Binding | undefined {
  return bindings.find((binding) => keyMatches(binding, event));
}

export function displayKeys(binding: Binding, unicode: boolean): string {
  return unicode ? binding.display : (binding.ascii ?? binding.display);
}

const KEY_NAMES: Record<string, [unicode: string, ascii: string]> = {
  up: ['↑', 'Up'],
  down: ['↓', 'Down'],
  left: ['←', 'Left'],
  right: ['→', 'Right'],
  enter: ['⏎', 'Enter'],
  escape: ['Esc', 'Esc'],
  backspace: ['Bksp', 'Bksp'],
  pageup: ['PgUp', 'PgUp'],
  pagedown: ['PgDn', 'PgDn'],
  home: ['Home', 'Home'],
  end: ['End', 'End'],
  space: ['Space', 'Space'],
  tab: ['Tab', 'Tab'],
  [PRINTABLE]: ['abc…', 'abc...'],
};

/** One blessed key name as the learner knows it: `S-g` is G, `C-b` Ctrl-B, `pageup` PgUp. */
export function keyName(key: string, unicode: boolean): string {
  const named = KEY_NAMES[key];
  if (named) return unicode ? named[0] : named[1];
  if (key.startsWith('S-')) return key.slice(2).toUpperCase();
  if (key.startsWith('C-')) return `Ctrl-${key.slice(2).toUpperCase()}`;
  return key;
}

/**
 * The `?` overlay's lines: one per action, with every key that does it, each key once. Written from
 * the keys the bindings answer to, so the list cannot leave one out (k beside ↑) or show one twice.
 */
export function helpEntries(bindings: readonly Binding[], unicode: boolean): { keys: string; label: UiKey }[] {
  const byLabel = new Map<UiKey, string[]>();
  const seen = new Set<string>();
  for (const binding of bindings) {
    if (binding.hidden) continue;
    const keys = binding.keys.filter((key) => !seen.has(key));
    keys.forEach((key) => seen.add(key));
    if (keys.length === 0) continue;
    const names = byLabel.get(binding.label) ?? [];
    names.push(keys.map((key) => keyName(key, unicode)).join('/'));
    byLabel.set(binding.label, names);
  }
  return [...byLabel].map(([label, names]) => ({ keys: names.join(' '), label }));
}

/** Bindings for moving through a list or a text, shared by every screen that has one. */
export function movementBindings(actions: { up(): void; down(): void; pageUp(): void; pageDown(): void; top(): void; bottom(): void }, label: UiKey = 'keyMove'): Binding[] {
  return [
    { keys: ['up', 'k'], display: '↑/k', ascii: 'Up/k', label, run: actions.up },
    { keys: ['down', 'j'], display: '↓/j', ascii: 'Down/j', label, run: actions.down },
    { keys: ['pageup', 'C-b'], display: 'PgUp', label: 'keyPage', run: actions.pageUp },
    { keys: ['pagedown', 'C-f', 'space'], display: 'PgDn', label: 'keyPage', run: actions.pageDown },
    { keys: ['g', 'home'], display: 'g', label: 'keyTop', run: actions.top },
    { keys: ['S-g', 'end'], display: 'G', label: 'keyBottom', run: actions.bottom },
  ];
}
