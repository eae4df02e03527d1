import type { Widgets } from 'blessed';
import { errorLine } from './error-line.js';
import blessed from './blessed.cjs';
import { displayKeys, findBinding, helpEntries, keyEventOf, type Binding, type KeyEvent } from './keymap.js';
import { translator, type UiKey, type UiLanguage } from './strings.js';
import { escapeTags, paint, themeFor, type Theme, type ThemeName } from './theme.js';
import { truncate, truncateStart, wrapTagged } from './width.js';
import { columns } from '../text-width.cjs';
import { asciiCell, asciiText } from '../terminal/ascii.js';
import { keepProcessWarnings } from '../terminal/warnings.js';
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

/** The app's words in a language; without Unicode, their symbols spelled in ASCII. */
function words(language: UiLanguage, unicode: boolean): AppShell['t'] {
  const t = translator(language);
  return unicode ? t : (key, values) => asciiText(t(key, values));
}

/**
 * blessed draws borders with the terminal's alternate character set, which many terminals show as
 * letters (`lqqk x mqqj`: PuTTY, some tmux setups, any UTF-8 terminal under LANG=C). Draw Unicode box
 * characters on a UTF-8 locale, and ASCII (`+-|`) on any other, whatever the terminfo entry claims
 * (tmux's says it takes UTF-8). Returns the terminal's number of colours.
 */
function useBoxCharacters(screen: Widgets.Screen, unicode: boolean): number {
  const tput = (screen as unknown as { tput: { brokenACS: boolean; unicode: boolean; colors: number; numbers: Record<string, number>; utoa: object } }).tput;
  tput.brokenACS = true;
  if (!unicode) {
    tput.unicode = false;
    tput.numbers['U8'] = 0;
    // blessed draws a character it has no ASCII for as `?`: give it the app's stand-ins
    tput.utoa = new Proxy({}, { get: (_, character) => (typeof character === 'string' ? asciiCell(character) : undefined) });
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

/** What the shell draws around the screens: a header, the body a view draws in, the status bar, the "too small" guard. */
interface Chrome {
  header: Widgets.BoxElement;
  body: Widgets.BoxElement;
  status: Widgets.BoxElement;
  tooSmall: Widgets.BoxElement;
}

/** Work under way (innermost label last), the spinner's frame, and the keys typed meanwhile. */
interface Work {
  labels: string[];
  spinnerFrame: number;
  spinner: NodeJS.Timeout | undefined;
  typedAhead: [string | undefined, unknown][];
  /**
   * A dialog was just answered and what the answer starts has not yet begun: keys that came in the
   * same burst (Enter then Esc, typed quickly) wait for it rather than go to the screen underneath.
   */
  dialogJustClosed: boolean;
}

/** A message stays until the next key; the log keeps the earlier ones for the M key. */
interface MessageLog {
  notice: Message | undefined;
  earlier: Message[];
}

/** Everything the shell keeps between keys; the functions below take it and are each one part of the shell. */
interface ShellState {
  options: ShellOptions;
  screen: Widgets.Screen;
  /** The terminal's number of colours, for the theme. */
  colors: number;
  preferences: Preferences;
  theme: Theme;
  t: AppShell['t'];
  /** The open screens, the current one last. */
  stack: View[];
  /** The open dialogs, the one that takes keys last. */
  modals: Modal[];
  chrome: Chrome;
  work: Work;
  log: MessageLog;
  dialogs: DialogHost;
}

export function createShell(options: ShellOptions): AppShell {
  const state = newShellState(options);
  listenToScreen(state);
  // on the process's own terminal, Node's warnings are kept in the log, not written over the screen
  if (!options.output) keepProcessWarnings((warning) => keepMessage(state, `${warning.name}: ${warning.message}`));
  styleChrome(state);
  checkSize(state);
  return shellOf(state);
}

function newShellState(options: ShellOptions): ShellState {
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
  const { preferences } = options;
  const state: ShellState = {
    options,
    screen,
    colors,
    preferences,
    theme: themeFor(preferences.theme, preferences.monochrome, colors),
    t: words(preferences.language, options.unicode),
    stack: [],
    modals: [],
    chrome: createChrome(screen),
    work: { labels: [], spinnerFrame: 0, spinner: undefined, typedAhead: [], dialogJustClosed: false },
    log: { notice: undefined, earlier: [] },
    // the dialogs reach back into the shell (its modals, theme and words), so they read the record once it exists
    dialogs: dialogHost(() => state),
  };
  return state;
}

function createChrome(screen: Widgets.Screen): Chrome {
  return {
    header: blessed.box({ parent: screen, top: 0, left: 0, width: '100%', height: 1, tags: true }),
    body: blessed.box({ parent: screen, top: 1, left: 0, width: '100%', height: '100%-2', tags: true }),
    status: blessed.box({ parent: screen, bottom: 0, left: 0, width: '100%', height: 1, tags: true }),
    tooSmall: blessed.box({ parent: screen, top: 0, left: 0, width: '100%', height: '100%', tags: true, hidden: true, valign: 'middle', align: 'center' }),
  };
}

/** What other modules see of the shell: each member one of the functions below. */
function shellOf(state: ShellState): AppShell {
  const shell: AppShell = {
    screen: state.screen,
    dialogs: state.dialogs,
    unicode: state.options.unicode,
    theme: () => state.theme,
    get t() {
      return state.t;
    },
    preferences: () => state.preferences,
    setPreferences: (next) => setPreferences(state, next),
    open: (view) => openView(state, view),
    replace: (view) => replaceView(state, view),
    back: () => back(state),
    working: (label, work) => showWorkWhile(state, label, work),
    notify: (message, kind) => notify(state, message, kind),
    copy: (text) => copy(state, text),
    help: () => void showHelp(state),
    prepareToQuit: () => prepareToQuit(state),
    render: () => render(state),
    quit: () => quit(state),
  };
  return shell;
}

function dialogHost(shell: () => ShellState): DialogHost {
  return {
    get screen() {
      return shell().screen;
    },
    get theme() {
      return shell().theme;
    },
    open: (modal) => {
      shell().modals.push(modal);
    },
    closed: (modal) => {
      const state = shell();
      const index = state.modals.indexOf(modal);
      if (index >= 0) state.modals.splice(index, 1);
      render(state);
      // the answer's code runs in the promise jobs of this turn; the keys after it, in the next
      state.work.dialogJustClosed = true;
      setImmediate(() => {
        state.work.dialogJustClosed = false;
        if (state.work.labels.length === 0) replayTypedAhead(state);
      });
    },
    render: () => render(shell()),
    get hint() {
      const { t, options } = shell();
      return { close: t('closeHint'), more: t('moreHint'), yesNo: t('yesNo'), yesEnterNo: t(options.unicode ? 'yesEnterNo' : 'yesEnterNoAscii'), copy: t('copyHint') };
    },
    get unicode() {
      return shell().options.unicode;
    },
    copy: (text) => copy(shell(), text),
  };
}

// ---- the screens on the stack -------------------------------------------------------------------

const current = (state: ShellState): View | undefined => state.stack[state.stack.length - 1];

function openView(state: ShellState, view: View): void {
  current(state)?.unmount();
  state.stack.push(view);
  mountView(state, view);
}

function replaceView(state: ShellState, view: View): void {
  current(state)?.unmount();
  state.stack.pop();
  state.stack.push(view);
  mountView(state, view);
}

function back(state: ShellState): void {
  if (state.stack.length <= 1) return;
  state.stack.pop()?.unmount();
  const view = current(state);
  if (view) mountView(state, view);
}

/** A view that loads what it shows is worked on under its title; its errors are said in the status line. */
function mountView(state: ShellState, view: View): void {
  const ready = view.mount(state.chrome.body);
  render(state);
  if (ready instanceof Promise) void showWorkWhile(state, view.title(), () => ready).catch((error: unknown) => notifyError(state, error));
}

function refreshCurrent(state: ShellState): void {
  const view = current(state);
  if (!view) return;
  if (view.refresh) return view.refresh();
  view.unmount();
  mountView(state, view);
}

function setPreferences(state: ShellState, next: Partial<Preferences>): void {
  const preferences = { ...state.preferences, ...next };
  state.preferences = preferences;
  state.theme = themeFor(preferences.theme, preferences.monochrome, state.colors);
  state.t = words(preferences.language, state.options.unicode);
  styleChrome(state);
  state.options.onPreferencesChange(preferences);
  refreshCurrent(state);
  render(state);
}

// ---- drawing ------------------------------------------------------------------------------------

function render(state: ShellState): void {
  const { screen } = state;
  forgetDestroyedElements(screen);
  drawHeader(state);
  drawStatus(state);
  screen.render();
  // blessed sends a frame on the next tick, which waits for every promise callback queued before it:
  // a screen drawn just before loading its data would appear only once the data was in
  (screen as unknown as { program: { flush(): void } }).program.flush();
}

function styleChrome({ theme, chrome }: ShellState): void {
  const bar = theme.monochrome ? { inverse: true } : { fg: theme.barFg, bg: theme.barBg };
  chrome.header.style = { ...bar } as never;
  chrome.status.style = { ...bar } as never;
}

function drawHeader({ options, stack, t, preferences, screen, chrome }: ShellState): void {
  const separator = options.unicode ? ' › ' : ' > ';
  const titles = stack.map((view) => view.title()).filter(Boolean);
  const right = `${t('profile')}: ${options.profile}  ${preferences.language.toUpperCase()} `;
  const width = screen.width as number;
  // the profile and the language always show: the breadcrumb gives way, its start first (the screen shown is its end)
  const room = width - columns(right) - columns(' kubetls ') - columns(separator.trimStart()) - 1;
  const trail = titles.length ? `${separator.trimStart()}${fitCrumbs(titles, separator, Math.max(0, room), options.unicode)}` : '';
  // padded here rather than by blessed's {|}, which counts UTF-16 units and wraps a full line, the tag included
  const gap = ' '.repeat(Math.max(1, width - columns(` kubetls ${trail}`) - columns(right)));
  chrome.header.setContent(`{bold} kubetls{/bold} ${escapeTags(trail)}${gap}${escapeTags(right)}`);
}

/** The screens' titles joined in `room` columns: the longest before the screen's own is cut first, at its end. */
function fitCrumbs(titles: string[], separator: string, room: number, unicode: boolean): string {
  const shown = [...titles];
  for (;;) {
    const over = columns(shown.join(separator)) - room;
    if (over <= 0) return shown.join(separator);
    const widths = shown.slice(0, -1).map(columns);
    const longest = widths.indexOf(Math.max(...widths));
    if (longest < 0 || widths[longest]! <= 1) return truncateStart(shown.join(separator), room, unicode);
    shown[longest] = truncate(shown[longest]!, Math.max(1, widths[longest]! - over), unicode);
  }
}

/** The status bar: the work under way, else the message of the moment, else the keys that work here. */
function drawStatus(state: ShellState): void {
  if (state.work.labels.length > 0) return drawWorkUnderWay(state);
  if (state.log.notice) return drawNotice(state, state.log.notice);
  drawKeys(state);
}

function drawWorkUnderWay({ options, work, theme, screen, chrome }: ShellState): void {
  const frames = options.unicode ? SPINNER : ASCII_SPINNER;
  chrome.status.height = 1;
  chrome.status.setContent(` ${paint(theme, 'accent', frames[work.spinnerFrame % frames.length]!)} ${escapeTags(truncate(work.labels[work.labels.length - 1]!, (screen.width as number) - 4, options.unicode))}`);
}

/** The whole message, wrapped, the status bar growing upwards over the screen until the next key. */
function drawNotice({ theme, t, screen, chrome }: ShellState, notice: Message): void {
  const width = (screen.width as number) - 2;
  let lines = wrapTagged(paintMessage(theme, notice), width).split('\n');
  const room = Math.max(1, (screen.height as number) - 4);
  if (lines.length > room) lines = [...lines.slice(0, room - 1), paint(theme, 'muted', t('messageCut'))];
  chrome.status.height = lines.length;
  chrome.status.setContent(lines.map((line) => ` ${line}`).join('\n'));
}

const paintMessage = (theme: Theme, message: Message) => (message.kind === 'info' ? escapeTags(message.text) : paint(theme, message.kind, message.text));

/** The screen's own keys first, then help and quit, which always fit: help lists the rest. */
function drawKeys(state: ShellState): void {
  const { options, t, screen, chrome } = state;
  chrome.status.height = 1;
  // a binding whose keys an earlier one takes (a typed answer takes s) never runs: not worth a place
  const bindings = current(state)?.bindings() ?? [];
  const own = bindings.filter((b) => b.status && b.keys.some((key) => findBinding(bindings, keyEvent(key)) === b));
  const always = globalBindingsShown(state).filter((b) => b.status);
  const shown = keysThatFit(own, always, (b) => `${displayKeys(b, options.unicode)} ${t(b.label)}`, (screen.width as number) - 2);
  const parts = shown.map((binding) => `{bold}${escapeTags(displayKeys(binding, options.unicode))}{/bold} ${escapeTags(t(binding.label))}`);
  chrome.status.setContent(` ${parts.join('  ')}`);
}

/** As many of `own` as fit beside all of `always` (two columns between entries), an entry said twice only once. */
function keysThatFit(own: Binding[], always: Binding[], text: (binding: Binding) => string, width: number): Binding[] {
  let used = always.reduce((sum, binding) => sum + columns(text(binding)) + 2, 0);
  const chosen: Binding[] = [];
  const seen = new Set<string>();
  for (const binding of own) {
    const said = text(binding);
    const cost = columns(said) + 2;
    if (seen.has(said) || used + cost > width) continue;
    seen.add(said);
    chosen.push(binding);
    used += cost;
  }
  return [...chosen, ...always];
}

function checkSize({ screen, chrome, t }: ShellState): boolean {
  const width = screen.width as number;
  const height = screen.height as number;
  const small = width < MIN_COLUMNS || height < MIN_ROWS;
  chrome.tooSmall.setContent(escapeTags(t('tooSmall', { need: `${MIN_COLUMNS}x${MIN_ROWS}`, have: `${width}x${height}` })));
  if (small) {
    chrome.tooSmall.show();
    chrome.tooSmall.setFront();
  } else {
    chrome.tooSmall.hide();
  }
  return !small;
}

// ---- messages -----------------------------------------------------------------------------------

function notify(state: ShellState, text: string, kind: Message['kind'] = 'info'): void {
  state.log.notice = keepMessage(state, text, kind);
  render(state);
}

/** A message for the log (M) only: shown when the learner asks, never over what they are doing. */
function keepMessage(state: ShellState, text: string, kind: Message['kind'] = 'info'): Message {
  const { log } = state;
  const message = { text, kind, at: new Date() };
  log.earlier.push(message);
  if (log.earlier.length > MESSAGES_KEPT) log.earlier.shift();
  return message;
}

function notifyError(state: ShellState, error: unknown): void {
  notify(state, errorLine(error, state.preferences.language), 'bad');
}

async function copy(state: ShellState, text: string): Promise<void> {
  const { copyToClipboard } = await import('./clipboard.js');
  const program = (state.screen as unknown as { program: { write(sequence: string): void } }).program;
  const route = await copyToClipboard(text, { env: state.options.env ?? process.env, write: (sequence) => program.write(sequence) });
  notify(state, state.t(route === 'tmux' ? 'copiedTmux' : 'copiedTerminal', { text: text.replace(/\\\n\s*/g, '') }), 'ok');
}

/** M: the earlier messages, the newest first. */
async function showMessages({ log, t, theme, dialogs }: ShellState): Promise<void> {
  const { showText } = await import('./dialogs.js');
  const time = (at: Date) => at.toTimeString().slice(0, 8);
  const content = log.earlier.length === 0 ? escapeTags(t('messagesNone')) : [...log.earlier].reverse().map((message) => `${paint(theme, 'muted', time(message.at))}  ${paintMessage(theme, message)}`).join('\n\n');
  await showText(dialogs, t('messagesTitle'), content);
}

// ---- keys ---------------------------------------------------------------------------------------

function globalBindings(state: ShellState): Binding[] {
  return [
    { keys: ['?'], display: '?', label: 'keyHelp', status: true, run: () => void showHelp(state) },
    { keys: ['escape', 'backspace'], display: 'Esc', label: 'keyBack', status: state.stack.length > 1, run: () => back(state) },
    { keys: ['q'], display: 'q', label: 'keyQuit', status: true, run: () => void requestQuit(state) },
    { keys: ['C-c'], display: 'Ctrl-C', label: 'keyQuit', run: () => void requestQuit(state) },
    { keys: ['S-m'], display: 'M', label: 'keyMessages', run: () => void showMessages(state) },
  ];
}

/** The global keys the current screen does not take for itself (an exam's Esc submits; a typed answer takes q and ?). */
function globalBindingsShown(state: ShellState): Binding[] {
  const own = current(state)?.bindings() ?? [];
  return globalBindings(state).filter((binding) => !binding.keys.some((key) => findBinding(own, keyEvent(key))));
}

function listenToScreen(state: ShellState): void {
  state.screen.on('keypress', (ch: string | undefined, key: { full?: string; name?: string } | undefined) => onKeypress(state, ch, key));
  state.screen.on('resize', () => {
    if (checkSize(state)) refreshCurrent(state);
    render(state);
  });
}

function onKeypress(state: ShellState, ch: string | undefined, key: { full?: string; name?: string } | undefined): void {
  const event = keyEventOf(ch, key);
  if (!event) return;
  // while work is under way, keys wait for it (a dialog it opens takes its keys at once; Ctrl-C never waits)
  if ((state.work.labels.length > 0 || state.work.dialogJustClosed) && state.modals.length === 0 && event.full !== 'C-c') {
    state.work.typedAhead.push([ch, key]);
    return;
  }
  if (state.log.notice) {
    state.log.notice = undefined;
    render(state);
  }
  if (!state.chrome.tooSmall.hidden) {
    if (event.full === 'C-c' || event.full === 'q') quit(state);
    return;
  }
  const modal = state.modals[state.modals.length - 1];
  if (modal) {
    if (!modal.readsOwnInput) modal.onKey(event);
    return;
  }
  const binding = findBinding([...(current(state)?.bindings() ?? []), ...globalBindings(state)], event);
  if (!binding) return;
  const result = binding.run(event);
  if (result instanceof Promise) result.catch((error: unknown) => notifyError(state, error));
  render(state);
}

/** The `?` overlay: the keys the current screen answers to (a key it takes over is not also listed as global). */
async function showHelp(state: ShellState): Promise<void> {
  const { options, t, dialogs } = state;
  const here = helpEntries(current(state)?.bindings() ?? [], options.unicode);
  const everywhere = helpEntries(globalBindingsShown(state), options.unicode);
  // one column for the keys; the rare longer list (PgUp/Ctrl-B/b PgDn/Ctrl-F/Space) runs past it
  const column = Math.max(10, ...[...here, ...everywhere].map((entry) => columns(entry.keys)).filter((width) => width <= 16));
  const line = (entry: { keys: string; label: UiKey }) => `  {bold}${escapeTags(entry.keys)}{/bold}${' '.repeat(Math.max(2, column + 2 - columns(entry.keys)))}${escapeTags(t(entry.label))}`;
  const content = [`{bold}${escapeTags(t('helpHere'))}{/bold}`, ...here.map(line), '', `{bold}${escapeTags(t('helpGlobal'))}{/bold}`, ...everywhere.map(line)].join('\n');
  const widest = Math.max(...content.split('\n').map((text) => columns(text.replace(/\{[^{}]*\}/g, ''))));
  const { showText } = await import('./dialogs.js');
  await showText(dialogs, t('helpTitle'), content, { width: Math.max(60, widest + 6), anyKeyCloses: true, closeHint: t('helpClose') });
}

// ---- work under way -----------------------------------------------------------------------------

async function showWorkWhile<T>(state: ShellState, label: string, work: () => Promise<T> | T): Promise<T> {
  startWork(state, label);
  // drawn before the work starts: work that holds the event loop still shows it began
  render(state);
  await new Promise((resolve) => setImmediate(resolve));
  try {
    return await work();
  } finally {
    finishWork(state, label);
  }
}

function startWork(state: ShellState, label: string): void {
  const { work } = state;
  work.labels.push(label);
  work.spinner ??= setInterval(() => {
    work.spinnerFrame += 1;
    drawStatus(state);
    state.screen.render();
  }, 100);
}

function finishWork(state: ShellState, label: string): void {
  const { work } = state;
  work.labels.splice(work.labels.lastIndexOf(label), 1);
  if (work.labels.length > 0) return;
  clearInterval(work.spinner);
  work.spinner = undefined;
  render(state);
  replayTypedAhead(state);
}

/** The keys typed meanwhile, for what is on the screen now, in order; one that starts work again waits for it. */
function replayTypedAhead(state: ShellState): void {
  const keys = state.work.typedAhead.splice(0);
  if (keys.length > 0) setImmediate(() => keys.forEach(([ch, key]) => state.screen.emit('keypress', ch, key)));
}

// ---- quitting -----------------------------------------------------------------------------------

/** q: asks first when the screen says so, lets every screen settle, saves, ends. */
async function requestQuit(state: ShellState): Promise<void> {
  const question = current(state)?.quitQuestion?.();
  if (question) {
    const { confirm } = await import('./dialogs.js');
    if (!(await confirm(state.dialogs, question))) return;
  }
  for (const view of [...state.stack].reverse()) await view.settleBeforeQuit?.().catch(() => undefined);
  prepareToQuit(state);
  quit(state);
}

function prepareToQuit(state: ShellState): void {
  for (const view of [...state.stack].reverse()) view.beforeQuit?.();
}

function quit(state: ShellState): void {
  for (const modal of [...state.modals]) modal.close();
  state.options.onQuit();
}
