import type { Widgets } from 'blessed';
import blessed from './blessed.cjs';
import { displayKeys, findBinding, helpEntries, type Binding, type KeyEvent } from './keymap.js';
import { translator, type UiKey, type UiLanguage } from './strings.js';
import { escapeTags, paint, themeFor, type Theme, type ThemeName } from './theme.js';
import { truncate, wrapTagged } from './width.js';
import { columns } from '../text-width.cjs';
import { forgetDestroyedElements } from './widgets.js';
import type { DialogHost, Modal } from './dialogs.js';

/**
 * The shell every screen lives in: a header, a body, a status bar with the keys that work here,
 * a stack of views, modal dialogs, the `?` overlay, and the "window too small" guard.
 */

export const MIN_COLUMNS = 80;
export const MIN_ROWS = 24;

export interface View {
  /** Breadcrumb shown in the header. */
  title(): string;
  bindings(): Binding[];
  /**
   * Draws the view into the body. A view that still loads what it shows returns the promise of that:
   * the shell shows it is working and keeps the keys typed meanwhile for the view once it is ready.
   */
  mount(body: Widgets.BoxElement): void | Promise<void>;
  unmount(): void;
  /**
   * After a resize or a settings change, rebuild what depends on width or language. Without it the
   * shell rebuilds the view by unmounting and mounting it again (views keep their state across that).
   */
  refresh?(): void;
  /** Asked before `q` quits (an exam in progress says so). */
  quitQuestion?(): string | undefined;
  /** The app is about to end: save what must not be lost (a finished or submitted run). */
  beforeQuit?(): void;
  /**
   * The learner asked to quit (not a signal): work that takes a moment and should finish first, such as
   * grading an exam's repairs on the sandbox and putting back what was not repaired.
   */
  settleBeforeQuit?(): Promise<void>;
}

export interface Preferences {
  language: UiLanguage;
  theme: ThemeName;
  monochrome: boolean;
}

export interface AppShell {
  screen: Widgets.Screen;
  dialogs: DialogHost;
  unicode: boolean;
  theme(): Theme;
  t: (key: UiKey, values?: Record<string, string | number>) => string;
  preferences(): Preferences;
  setPreferences(next: Partial<Preferences>): void;
  open(view: View): void;
  replace(view: View): void;
  back(): void;
  notify(message: string, kind?: 'info' | 'ok' | 'bad'): void;
  /**
   * Work that can take more than a moment (loading a screen, a handshake, setting up an exam): a
   * spinner and the label in the status bar from the first frame, and the keys typed meanwhile kept
   * and handed on, in order, when it is done (not lost, not sent to the screen being left).
   */
  working<T>(label: string, work: () => Promise<T> | T): Promise<T>;
  /** Puts text on the learner's clipboard (OSC 52, or tmux's buffer) and says where it went. */
  copy(text: string): Promise<void>;
  /** The `?` overlay: every key of the current screen, from the keymap. */
  help(): void;
  /** Every open screen saves what must not be lost (before q, and on SIGTERM/SIGHUP). */
  prepareToQuit(): void;
  render(): void;
  quit(): void;
}

export interface ShellOptions {
  preferences: Preferences;
  profile: string;
  unicode: boolean;
  onPreferencesChange(next: Preferences): void;
  onQuit(): void;
  /** The environment the app runs in (TMUX decides how to reach the clipboard). */
  env?: NodeJS.ProcessEnv;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

/**
 * blessed draws borders with the terminal's alternate character set, which many terminals show as
 * letters (`lqqk x mqqj`: PuTTY, some tmux setups, any UTF-8 terminal under LANG=C). Draw Unicode box
 * characters on a UTF-8 locale, and ASCII (`+-|`) on any other, whatever the terminfo entry claims
 * (tmux's says it takes UTF-8). Returns the terminal's number of colours.
 */
function useBoxCharacters(screen: Widgets.Screen, unicode: boolean): number {
  const tput = (screen as unknown as { tput: { brokenACS: boolean; unicode: boolean; colors: number; numbers: Record<string, number> } }).tput;
  tput.brokenACS = true;
  if (!unicode) {
    tput.unicode = false;
    tput.numbers['U8'] = 0;
  }
  return tput.colors;
}

/** The key event a key name stands for: `s`, `S-s` (S), `escape`. */
function keyEvent(key: string): KeyEvent {
  const ch = key.length === 1 ? key : key.startsWith('S-') && key.length === 3 ? key.slice(2).toUpperCase() : undefined;
  return { full: key, name: key, ch };
}

interface Message {
  text: string;
  kind: 'info' | 'ok' | 'bad';
  at: Date;
}

const MESSAGES_KEPT = 100;
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const ASCII_SPINNER = ['|', '/', '-', '\\'];

export function createShell(options: ShellOptions): AppShell {
  const screen = blessed.screen({
    smartCSR: true,
    fullUnicode: true,
    autoPadding: true,
    warnings: false,
    title: 'kubetls',
    dockBorders: false,
    resizeTimeout: 100,
    input: options.input as never,
    output: options.output as never,
  });
  const colors = useBoxCharacters(screen, options.unicode);
  let preferences = options.preferences;
  let theme = themeFor(preferences.theme, preferences.monochrome, colors);
  let t = translator(preferences.language);
  const stack: View[] = [];
  const modals: Modal[] = [];
  // a message stays until the next key; the log keeps the earlier ones for the M key
  let notice: Message | undefined;
  // work under way (innermost label last), the spinner's frame, and the keys typed meanwhile
  const busy: string[] = [];
  let spinnerFrame = 0;
  let spinner: NodeJS.Timeout | undefined;
  const typedAhead: [string | undefined, unknown][] = [];
  const messages: Message[] = [];

  const header = blessed.box({ parent: screen, top: 0, left: 0, width: '100%', height: 1, tags: true });
  const body = blessed.box({ parent: screen, top: 1, left: 0, width: '100%', height: '100%-2', tags: true });
  const status = blessed.box({ parent: screen, bottom: 0, left: 0, width: '100%', height: 1, tags: true });
  const tooSmall = blessed.box({ parent: screen, top: 0, left: 0, width: '100%', height: '100%', tags: true, hidden: true, valign: 'middle', align: 'center' });

  const current = (): View | undefined => stack[stack.length - 1];

  const globalBindings = (): Binding[] => [
    { keys: ['?'], display: '?', label: 'keyHelp', status: true, run: () => void showHelp() },
    { keys: ['escape', 'backspace'], display: 'Esc', label: 'keyBack', status: stack.length > 1, run: () => shell.back() },
    { keys: ['q'], display: 'q', label: 'keyQuit', status: true, run: () => void requestQuit() },
    { keys: ['C-c'], display: 'Ctrl-C', label: 'keyQuit', run: () => void requestQuit() },
    { keys: ['S-m'], display: 'M', label: 'keyMessages', run: () => void showMessages() },
  ];

  /** The global keys the current screen does not take for itself (an exam's Esc submits; a typed answer takes q and ?). */
  const globalBindingsShown = (): Binding[] => {
    const own = current()?.bindings() ?? [];
    return globalBindings().filter((binding) => !binding.keys.some((key) => findBinding(own, keyEvent(key))));
  };

  function styleChrome(): void {
    const bar = theme.monochrome ? { inverse: true } : { fg: theme.barFg, bg: theme.barBg };
    header.style = { ...bar } as never;
    status.style = { ...bar } as never;
  }

  function drawHeader(): void {
    const separator = options.unicode ? ' › ' : ' > ';
    const crumbs = stack.map((view) => view.title()).filter(Boolean).join(separator);
    const right = `${t('profile')}: ${options.profile}  ${preferences.language.toUpperCase()} `;
    const room = (screen.width as number) - columns(right) - ' kubetls'.length - 4;
    const trail = crumbs ? `${separator.trimStart()}${truncate(crumbs, Math.max(0, room), options.unicode)}` : '';
    header.setContent(`{bold} kubetls{/bold} ${escapeTags(trail)}{|}${escapeTags(right)}`);
  }

  const paintMessage = (message: Message) => (message.kind === 'info' ? escapeTags(message.text) : paint(theme, message.kind, message.text));

  function drawStatus(): void {
    if (busy.length > 0) {
      const frames = options.unicode ? SPINNER : ASCII_SPINNER;
      status.height = 1;
      status.setContent(` ${paint(theme, 'accent', frames[spinnerFrame % frames.length]!)} ${escapeTags(truncate(busy[busy.length - 1]!, (screen.width as number) - 4, options.unicode))}`);
      return;
    }
    if (notice) {
      // the whole message, wrapped, the status bar growing upwards over the screen until the next key
      const width = (screen.width as number) - 2;
      let lines = wrapTagged(paintMessage(notice), width).split('\n');
      const room = Math.max(1, (screen.height as number) - 4);
      if (lines.length > room) lines = [...lines.slice(0, room - 1), paint(theme, 'muted', t('messageCut'))];
      status.height = lines.length;
      status.setContent(lines.map((line) => ` ${line}`).join('\n'));
      return;
    }
    status.height = 1;
    // the screen's own keys first, then help and quit, which always fit: help lists the rest
    // a binding whose keys an earlier one takes (a typed answer takes s) never runs: not worth a place
    const bindings = current()?.bindings() ?? [];
    const own = bindings.filter((b) => b.status && b.keys.some((key) => findBinding(bindings, keyEvent(key)) === b));
    const always = globalBindingsShown().filter((b) => b.status);
    const width = (screen.width as number) - 2;
    const entry = (b: Binding) => ({ text: `${displayKeys(b, options.unicode)} ${t(b.label)}`, binding: b });
    const fixed = always.map(entry);
    let used = fixed.reduce((sum, e) => sum + columns(e.text) + 2, 0);
    const chosen: { text: string; binding: Binding }[] = [];
    const seen = new Set<string>();
    for (const candidate of own.map(entry)) {
      const cost = columns(candidate.text) + 2;
      if (seen.has(candidate.text) || used + cost > width) continue;
      seen.add(candidate.text);
      chosen.push(candidate);
      used += cost;
    }
    const parts = [...chosen, ...fixed].map(({ binding }) => `{bold}${escapeTags(displayKeys(binding, options.unicode))}{/bold} ${escapeTags(t(binding.label))}`);
    status.setContent(` ${parts.join('  ')}`);
  }

  function checkSize(): boolean {
    const width = screen.width as number;
    const height = screen.height as number;
    const small = width < MIN_COLUMNS || height < MIN_ROWS;
    tooSmall.setContent(escapeTags(t('tooSmall', { need: `${MIN_COLUMNS}x${MIN_ROWS}`, have: `${width}x${height}` })));
    if (small) {
      tooSmall.show();
      tooSmall.setFront();
    } else {
      tooSmall.hide();
    }
    return !small;
  }

  async function showHelp(): Promise<void> {
    // the keys the current screen answers to (a key it takes over is not also listed as global)
    const here = helpEntries(current()?.bindings() ?? [], options.unicode);
    const everywhere = helpEntries(globalBindingsShown(), options.unicode);
    // one column for the keys; the rare longer list (PgUp/Ctrl-B/b PgDn/Ctrl-F/Space) runs past it
    const column = Math.max(10, ...[...here, ...everywhere].map((entry) => columns(entry.keys)).filter((width) => width <= 16));
    const line = (entry: { keys: string; label: UiKey }) => `  {bold}${escapeTags(entry.keys)}{/bold}${' '.repeat(Math.max(2, column + 2 - columns(entry.keys)))}${escapeTags(t(entry.label))}`;
    const content = [`{bold}${escapeTags(t('helpHere'))}{/bold}`, ...here.map(line), '', `{bold}${escapeTags(t('helpGlobal'))}{/bold}`, ...everywhere.map(line)].join('\n');
    const widest = Math.max(...content.split('\n').map((text) => columns(text.replace(/\{[^{}]*\}/g, ''))));
    const { showText } = await import('./dialogs.js');
    await showText(dialogs, t('helpTitle'), content, { width: Math.max(60, widest + 6), anyKeyCloses: true, closeHint: t('helpClose') });
  }

  async function showMessages(): Promise<void> {
    const { showText } = await import('./dialogs.js');
    const time = (at: Date) => at.toTimeString().slice(0, 8);
    const content = messages.length === 0 ? escapeTags(t('messagesNone')) : [...messages].reverse().map((message) => `${paint(theme, 'muted', time(message.at))}  ${paintMessage(message)}`).join('\n\n');
    await showText(dialogs, t('messagesTitle'), content);
  }

  async function requestQuit(): Promise<void> {
    const question = current()?.quitQuestion?.();
    if (question) {
      const { confirm } = await import('./dialogs.js');
      if (!(await confirm(dialogs, question))) return;
    }
    for (const view of [...stack].reverse()) await view.settleBeforeQuit?.().catch(() => undefined);
    shell.prepareToQuit();
    shell.quit();
  }

  /** A view that loads what it shows is worked on under its title; its errors are said in the status line. */
  function mountView(view: View): void {
    const ready = view.mount(body);
    render();
    if (ready instanceof Promise) void working(view.title(), () => ready).catch((error: unknown) => shell.notify(error instanceof Error ? error.message : String(error), 'bad'));
  }

  function refreshCurrent(): void {
    const view = current();
    if (!view) return;
    if (view.refresh) return view.refresh();
    view.unmount();
    mountView(view);
  }

  function render(): void {
    forgetDestroyedElements(screen);
    drawHeader();
    drawStatus();
    screen.render();
    // blessed sends a frame on the next tick, which waits for every promise callback queued before it:
    // a screen drawn just before loading its data would appear only once the data was in
    (screen as unknown as { program: { flush(): void } }).program.flush();
  }

  async function working<T>(label: string, work: () => Promise<T> | T): Promise<T> {
    busy.push(label);
    spinner ??= setInterval(() => {
      spinnerFrame += 1;
      drawStatus();
      screen.render();
    }, 100);
    // drawn before the work starts: work that holds the event loop still shows it began
    render();
    await new Promise((resolve) => setImmediate(resolve));
    try {
      return await work();
    } finally {
      busy.splice(busy.lastIndexOf(label), 1);
      if (busy.length === 0) {
        clearInterval(spinner);
        spinner = undefined;
        render();
        // the keys typed meanwhile, for what is on the screen now, in order; one that starts work again waits for it
        const keys = typedAhead.splice(0);
        if (keys.length > 0) setImmediate(() => keys.forEach(([ch, key]) => screen.emit('keypress', ch, key)));
      }
    }
  }

  screen.on('keypress', (ch: string | undefined, key: { full?: string; name?: string } | undefined) => {
    const event: KeyEvent = { full: key?.full ?? ch ?? '', name: key?.name, ch };
    // blessed reports Enter twice: as `return`, then again as `enter`; act on one of them
    if (event.full === 'return') return;
    // while work is under way, keys wait for it (a dialog it opens takes its keys at once; Ctrl-C never waits)
    if (busy.length > 0 && modals.length === 0 && event.full !== 'C-c') {
      typedAhead.push([ch, key]);
      return;
    }
    if (notice) {
      notice = undefined;
      render();
    }
    if (!tooSmall.hidden) {
      if (event.full === 'C-c' || event.full === 'q') shell.quit();
      return;
    }
    const modal = modals[modals.length - 1];
    if (modal) {
      if (!modal.readsOwnInput) modal.onKey(event);
      return;
    }
    const binding = findBinding([...(current()?.bindings() ?? []), ...globalBindings()], event);
    if (!binding) return;
    const result = binding.run(event);
    if (result instanceof Promise) result.catch((error: unknown) => shell.notify(error instanceof Error ? error.message : String(error), 'bad'));
    render();
  });

  screen.on('resize', () => {
    if (checkSize()) refreshCurrent();
    render();
  });

  const dialogs: DialogHost = {
    screen,
    get theme() {
      return theme;
    },
    open: (modal) => {
      modals.push(modal);
    },
    closed: (modal) => {
      const index = modals.indexOf(modal);
      if (index >= 0) modals.splice(index, 1);
      render();
    },
    render,
    get hint() {
      return { close: t('closeHint'), more: t('moreHint'), yesNo: t('yesNo'), yesEnterNo: t(options.unicode ? 'yesEnterNo' : 'yesEnterNoAscii'), copy: t('copyHint') };
    },
    unicode: options.unicode,
    copy: (text) => shell.copy(text),
  };

  const shell: AppShell = {
    screen,
    dialogs,
    unicode: options.unicode,
    theme: () => theme,
    get t() {
      return t;
    },
    preferences: () => preferences,
    setPreferences(next) {
      preferences = { ...preferences, ...next };
      theme = themeFor(preferences.theme, preferences.monochrome, colors);
      t = translator(preferences.language);
      styleChrome();
      options.onPreferencesChange(preferences);
      refreshCurrent();
      render();
    },
    open(view) {
      current()?.unmount();
      stack.push(view);
      mountView(view);
    },
    replace(view) {
      current()?.unmount();
      stack.pop();
      stack.push(view);
      mountView(view);
    },
    back() {
      if (stack.length <= 1) return;
      stack.pop()?.unmount();
      const view = current();
      if (view) mountView(view);
    },
    working,
    notify(message, kind = 'info') {
      notice = { text: message, kind, at: new Date() };
      messages.push(notice);
      if (messages.length > MESSAGES_KEPT) messages.shift();
      render();
    },
    async copy(text) {
      const { copyToClipboard } = await import('./clipboard.js');
      const program = (screen as unknown as { program: { write(sequence: string): void } }).program;
      const route = await copyToClipboard(text, { env: options.env ?? process.env, write: (sequence) => program.write(sequence) });
      shell.notify(t(route === 'tmux' ? 'copiedTmux' : 'copiedTerminal', { text: text.replace(/\\\n\s*/g, '') }), 'ok');
    },
    help: () => void showHelp(),
    prepareToQuit() {
      for (const view of [...stack].reverse()) view.beforeQuit?.();
    },
    render,
    quit() {
      for (const modal of [...modals]) modal.close();
      options.onQuit();
    },
  };
  styleChrome();
  checkSize();
  return shell;
}
