import type { Widgets } from 'blessed';
import blessed from './blessed.cjs';
import type { Theme } from './theme.js';
import { truncate, wrapTagged } from './width.js';
import { columns } from '../text-width.cjs';
import { escapeTags, paint } from './theme.js';
import type { KeyEvent } from './keymap.js';
import { scrollText, selectList } from './widgets.js';

/**
 * Modal dialogs. While one is open it receives every key (the app routes them here), so a
 * dialog never fights the screen underneath for input.
 */

export interface Modal {
  onKey(event: KeyEvent): void;
  /** A text field reads keys itself; the app must not also act on them. */
  readsOwnInput: boolean;
  close(): void;
}

export interface DialogHost {
  screen: Widgets.Screen;
  theme: Theme;
  open(modal: Modal): void;
  closed(modal: Modal): void;
  render(): void;
  hint: { close: string; more: string; yesNo: string; yesEnterNo: string; copy: string };
  unicode: boolean;
  /** Puts text on the learner's clipboard and says so. */
  copy(text: string): Promise<void>;
}

/** The columns of text inside a showText dialog that takes `share` of the screen. */
export function textColumns(host: DialogHost, share = 0.9): number {
  return Math.floor((host.screen.width as number) * share) - 5;
}

function frame(host: DialogHost, title: string, height: number | string, width: number | string = '80%'): Widgets.BoxElement {
  return blessed.box({
    parent: host.screen,
    top: 'center',
    left: 'center',
    width,
    height,
    tags: true,
    border: { type: 'line' },
    label: ` ${escapeTags(title)} `,
    style: { border: { fg: host.theme.accent }, bg: host.theme.bg },
  });
}

/**
 * Opens a dialog that ends with a value and returns its `finish`: the first call takes the box down,
 * gives the keys back to the app and resolves; when the app closes it (q, a signal), it resolves
 * to `dismissed`.
 */
function openDialog<T>(host: DialogHost, box: Widgets.BoxElement, resolve: (value: T) => void, dismissed: T, keys: { readsOwnInput?: boolean; onKey?(event: KeyEvent, finish: (value: T) => void): void } = {}): (value: T) => void {
  let done = false;
  const finish = (value: T) => {
    if (done) return;
    done = true;
    box.destroy();
    host.closed(modal);
    resolve(value);
  };
  const modal: Modal = { readsOwnInput: keys.readsOwnInput ?? false, onKey: (event) => keys.onKey?.(event, finish), close: () => finish(dismissed) };
  host.open(modal);
  return finish;
}

export interface TextOptions {
  /** Off keeps tables intact (the lines must fit). */
  wrap?: boolean;
  /** How much of the screen's width the dialog takes (tables want nearly all); `width` sets it in columns. */
  share?: number;
  width?: number;
  /** The `?` overlay: any key but the scrolling ones closes it. */
  anyKeyCloses?: boolean;
  /** What the last line says closes it. */
  closeHint?: string;
  /** A command the dialog shows: y copies it (runnable as it is, paths in full). */
  copy?: string;
}

/**
 * A scrollable text (results, handshake steps, the keys); Esc, q or Enter closes it. As tall as its
 * text within the screen, with ↑↓ PgUp PgDn g G to read the rest.
 */
export function showText(host: DialogHost, title: string, content: string, options: TextOptions = {}): Promise<void> {
  const { wrap = true, share = 0.9, anyKeyCloses = false } = options;
  const closeHint = options.copy === undefined ? (options.closeHint ?? host.hint.close) : `${host.hint.copy} · ${options.closeHint ?? host.hint.close}`;
  return new Promise((resolve) => {
    const width = Math.min(host.screen.width as number, options.width ?? Math.floor((host.screen.width as number) * share));
    // long lines wrap (the text area is the dialog less border, margin and scroll bar): the dialog fits them when it can
    const rows = (wrap ? wrapTagged(content, width - 5) : content).split('\n').length;
    const box = frame(host, title, Math.min(rows + 4, Math.max(8, (host.screen.height as number) - 2)), width);
    const text = scrollText(box, host.theme, { top: 0, left: 1, width: '100%-4', height: '100%-3', content, wrap });
    const hint = blessed.text({ parent: box, bottom: 0, left: 1, height: 1, tags: true, content: '' });
    // say so while lines are hidden below: at 80x24 a handshake's verdict can be one page down
    const showHint = () => hint.setContent(paint(host.theme, 'muted', text.moreBelow() ? `${host.hint.more} · ${closeHint}` : closeHint));
    openDialog<void>(host, box, resolve, undefined, {
      onKey(event, finish) {
        const key = event.full;
        if (key === 'up' || key === 'k') text.scroll(-1);
        else if (key === 'down' || key === 'j') text.scroll(1);
        else if (key === 'pageup') text.page(-1);
        else if (key === 'pagedown' || key === 'space') text.page(1);
        else if (key === 'g') text.top();
        else if (key === 'S-g') text.bottom();
        else if (key === 'y' && options.copy !== undefined) void host.copy(options.copy);
        else if (anyKeyCloses || ['escape', 'q', 'enter', 'backspace'].includes(key)) return finish();
        showHint();
        host.render();
      },
    });
    host.render();
    showHint();
    host.render();
  });
}

/** Yes or no; Enter means no unless `enter` says it means yes (starting what the learner just chose). */
export function confirm(host: DialogHost, question: string, options: { enter?: boolean } = {}): Promise<boolean> {
  return new Promise((resolve) => {
    // as tall as the question needs, wrapped between words (Korean too), within the screen
    const width = Math.floor((host.screen.width as number) * 0.9) - 6;
    const lines = wrapTagged(escapeTags(question), width).split('\n');
    const rows = Math.min(lines.length, Math.max(1, (host.screen.height as number) - 9));
    // a blank line between the question and the keys, as before
    const box = frame(host, '?', rows + 6, '90%');
    blessed.text({ parent: box, top: 1, left: 2, width: '100%-6', height: rows, tags: true, wrap: false, content: lines.join('\n') });
    blessed.text({ parent: box, top: rows + 2, left: 2, height: 1, tags: true, content: `{bold}${escapeTags(options.enter ? host.hint.yesEnterNo : host.hint.yesNo)}{/bold}` });
    openDialog<boolean>(host, box, resolve, false, {
      onKey(event, finish) {
        if (event.full === 'y' || event.full === 'S-y' || (event.full === 'enter' && options.enter)) finish(true);
        else if (['n', 'S-n', 'escape', 'q', 'enter', 'backspace'].includes(event.full)) finish(false);
      },
    });
    host.render();
  });
}

/**
 * Pick one of several; resolves to the index, or undefined on Esc. The dialog is as wide as its longest
 * choice, up to the screen; a choice still wider than that is shown whole, wrapped, under the list
 * while it is selected (fault descriptions, exam questions).
 */
export function choose(host: DialogHost, title: string, options: string[], initial = 0): Promise<number | undefined> {
  return new Promise((resolve) => {
    const screenWidth = host.screen.width as number;
    const screenHeight = host.screen.height as number;
    const widest = Math.max(0, ...options.map(columns));
    const width = Math.min(screenWidth - 2, Math.max(Math.floor(screenWidth * 0.7), widest + 5, columns(title) + 8));
    const room = width - 5;
    const wrapped = options.map((option) => (columns(option) > room ? wrapTagged(escapeTags(option), room).split('\n') : []));
    const detailRows = Math.min(5, Math.max(0, ...wrapped.map((lines) => lines.length)));
    const listRows = Math.max(3, Math.min(options.length, screenHeight - 4 - (detailRows > 0 ? detailRows + 1 : 0)));
    const box = frame(host, title, listRows + 2 + (detailRows > 0 ? detailRows + 1 : 0), width);
    const list = selectList(box, host.theme, { top: 0, left: 1, width: '100%-4', height: listRows, items: options.map((label) => ({ label: truncate(label, room, host.unicode) })) });
    const detail = detailRows > 0 ? blessed.text({ parent: box, top: listRows + 1, left: 1, width: '100%-4', height: detailRows, tags: true, wrap: false, content: '' }) : undefined;
    const showSelected = () => detail?.setContent((wrapped[list.selected()] ?? []).slice(0, detailRows).join('\n'));
    list.select(initial);
    showSelected();
    openDialog<number | undefined>(host, box, resolve, undefined, {
      onKey(event, finish) {
        const key = event.full;
        if (key === 'up' || key === 'k') list.move(-1);
        else if (key === 'down' || key === 'j') list.move(1);
        else if (key === 'pageup') list.page(-1);
        else if (key === 'pagedown') list.page(1);
        else if (key === 'g') list.select(0);
        else if (key === 'S-g') list.select(options.length - 1);
        else if (key === 'enter') return finish(list.selected());
        else if (key === 'escape' || key === 'q' || key === 'backspace') return finish(undefined);
        else if (/^[1-9]$/.test(key) && Number(key) <= options.length) return finish(Number(key) - 1);
        showSelected();
        host.render();
      },
    });
    host.render();
  });
}

/** One line of text; resolves to it, or undefined on Esc. */
export function input(host: DialogHost, label: string, initial = ''): Promise<string | undefined> {
  return new Promise((resolve) => {
    const box = frame(host, label, 5, '70%');
    const field = blessed.textbox({
      parent: box,
      top: 1,
      left: 1,
      width: '100%-4',
      height: 1,
      inputOnFocus: false,
      value: initial,
      style: { fg: host.theme.fg, bg: host.theme.monochrome ? undefined : 'black', underline: host.theme.monochrome },
    });
    const finish = openDialog<string | undefined>(host, box, resolve, undefined, { readsOwnInput: true });
    field.focus();
    field.readInput((error, value) => finish(error || value === null || value === undefined ? undefined : String(value)));
    host.render();
  });
}

export interface ProgressDialog {
  update(done: number, total: number, step: string): void;
  close(): void;
}

/** A progress bar for long work; the work runs off the UI path and reports here. */
export function progress(host: DialogHost, title: string, unicodeBar: boolean): ProgressDialog {
  const box = frame(host, title, 7, '80%');
  const bar = blessed.progressbar({
    parent: box,
    top: 1,
    left: 1,
    width: '100%-4',
    height: 1,
    orientation: 'horizontal',
    filled: 0,
    pch: unicodeBar ? '█' : '#',
    style: { bar: host.theme.monochrome ? {} : { fg: host.theme.accent } } as never,
  } as never) as Widgets.ProgressBarElement;
  const label = blessed.text({ parent: box, top: 3, left: 1, width: '100%-4', height: 1, tags: true, content: '' });
  const modal: Modal = { readsOwnInput: false, onKey() {}, close: () => api.close() };
  const api: ProgressDialog = {
    update(done, total, step) {
      bar.setProgress(Math.round((done / total) * 100));
      label.setContent(escapeTags(`${done}/${total}  ${step}`));
      host.render();
    },
    close() {
      box.destroy();
      host.closed(modal);
      host.render();
    },
  };
  host.open(modal);
  host.render();
  return api;
}
