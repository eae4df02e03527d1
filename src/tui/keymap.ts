import type { UiKey } from './strings.js';

/**
 * One keymap for the whole app: each screen lists its bindings, the app adds the global ones, and
 * the same list drives key handling, the status bar and the `?` help overlay.
 */

export interface Binding {
  /** blessed key names: `up`, `k`, `S-g` (G), `pageup`, `enter`, `C-c`, `?`. */
  keys: string[];
  /** How the keys are shown, e.g. `↑/k`; ASCII terminals get `ascii` when it is given. */
  display: string;
  ascii?: string;
  label: UiKey;
  /** Shown in the status bar, not only in help. */
  status?: boolean;
  /** Works, but another binding describes it (e.g. each choice letter, summed up as `a-d`). */
  hidden?: boolean;
  run: () => void | Promise<void>;
}

export interface KeyEvent {
  full: string;
  name: string | undefined;
  ch: string | undefined;
}

export function keyMatches(binding: Binding, event: KeyEvent): boolean {
  return binding.keys.includes(event.full);
}

export function findBinding(bindings: readonly Binding[], event: KeyEvent): Binding | undefined {
  return bindings.find((binding) => keyMatches(binding, event));
}

export function displayKeys(binding: Binding, unicode: boolean): string {
  return unicode ? binding.display : (binding.ascii ?? binding.display);
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
