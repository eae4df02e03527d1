import type { Widgets } from 'blessed';
import blessed from './blessed.cjs';
import type { Theme } from './theme.js';
import { escapeTags, paint } from './theme.js';
import { wrapTagged } from './width.js';

/** The few widget shapes every screen shares, styled from the theme and driven by the central keymap. */

export type Element = Widgets.BlessedElement;

/**
 * blessed keeps every element that ever listened to the mouse or keys (list items included) in
 * `screen.clickable` and `screen.keyable`, and never takes them out when they are destroyed, so each
 * screen visit would leak its widgets (a rendered lesson is hundreds of kilobytes). The shell calls
 * this on every render.
 */
export function forgetDestroyedElements(screen: Widgets.Screen): void {
  const lists = screen as unknown as { clickable?: { destroyed?: boolean; detached?: boolean }[]; keyable?: { destroyed?: boolean; detached?: boolean }[] };
  const alive = (element: { destroyed?: boolean; detached?: boolean }) => !element.destroyed && !element.detached;
  if (lists.clickable && !lists.clickable.every(alive)) lists.clickable = lists.clickable.filter(alive);
  if (lists.keyable && !lists.keyable.every(alive)) lists.keyable = lists.keyable.filter(alive);
}

/** Where a pane sits, and its optional frame with a title. */
export interface Placement {
  top: number | string;
  left: number | string;
  width: number | string;
  height: number | string;
  label?: string;
  border?: boolean;
}

/** The blessed options for a placement, the same for lists and text panes. */
function placed(parent: Element, placement: Placement) {
  return {
    parent,
    top: placement.top,
    left: placement.left,
    width: placement.width,
    height: placement.height,
    border: placement.border ? ({ type: 'line' } as const) : undefined,
    label: placement.label ? ` ${escapeTags(placement.label)} ` : undefined,
  };
}

export interface ListItem {
  label: string;
  /** Shown dimmed after the label. */
  hint?: string;
  /** The label already holds blessed tags (and escaped text): use it as it is. */
  markup?: boolean;
}

export interface SelectList {
  element: Widgets.ListElement;
  selected(): number;
  select(index: number): void;
  setItems(items: ListItem[]): void;
  move(delta: number): void;
  page(direction: 1 | -1): void;
}

export function selectList(parent: Element, theme: Theme, options: Placement & { items: ListItem[] }): SelectList {
  const element = blessed.list({
    ...placed(parent, options),
    tags: true,
    keys: false,
    mouse: true,
    style: {
      border: { fg: theme.border },
      selected: theme.monochrome ? { inverse: true, bold: true } : { fg: theme.selectedFg, bg: theme.selectedBg, bold: true },
      item: { fg: theme.fg },
    },
  });
  let items: ListItem[] = [];
  const label = (item: ListItem) => (item.markup ? item.label : escapeTags(item.label));
  const render = (list: ListItem[]) => list.map((item) => (item.hint ? `${label(item)}  ${paint(theme, 'muted', item.hint)}` : label(item)));
  const api: SelectList = {
    element,
    selected: () => (element as unknown as { selected: number }).selected,
    select: (index) => {
      element.select(Math.max(0, Math.min(items.length - 1, index)));
    },
    setItems: (next) => {
      items = next;
      const keep = api.selected();
      element.setItems(render(theme.monochrome ? next.map((i) => ({ ...i, label: i.hint ? `${i.label}  ${i.hint}` : i.label, hint: undefined })) : next) as never);
      api.select(keep);
    },
    move: (delta) => api.select(api.selected() + delta),
    page: (direction) => api.select(api.selected() + direction * Math.max(1, (element.height as number) - 2)),
  };
  api.setItems(options.items);
  return api;
}

/**
 * How far through a text a view is: the share of its lines that have been on screen, down to the
 * view's bottom edge. Measured from what is shown (not blessed's getScroll, which is the bottom row
 * after scrolling down and the top row after scrolling up), so the same view gives the same figure
 * whichever way it was reached. The bottom edge, so that 100 means the end is on screen: a lesson is
 * done at 100, and rounding down keeps 99.6 from claiming it.
 */
export function percentShown(firstVisibleLine: number, rows: number, totalLines: number): number {
  const bottom = Math.min(totalLines, Math.max(0, firstVisibleLine) + Math.max(1, rows));
  return bottom >= totalLines ? 100 : Math.floor((bottom / totalLines) * 100);
}

export interface ScrollText {
  element: Widgets.BoxElement;
  scroll(delta: number): void;
  page(direction: 1 | -1): void;
  top(): void;
  bottom(): void;
  /** 0..100, from the lines shown (percentShown). */
  percent(): number;
  /** Whether lines are hidden below the bottom edge. */
  moreBelow(): boolean;
  firstVisibleLine(): number;
  scrollToLine(line: number): void;
}

export function scrollText(parent: Element, theme: Theme, options: Placement & { content: string; wrap?: boolean }): ScrollText {
  const element = blessed.box({
    ...placed(parent, options),
    tags: true,
    scrollable: true,
    alwaysScroll: true,
    keys: false,
    mouse: true,
    // words wrap here (wrapTagged), never again in blessed: it re-wrapped a full line that ends in a tag
    wrap: false,
    content: options.content,
    scrollbar: theme.monochrome ? { ch: '|' } : { ch: ' ', style: { bg: theme.scrollbar } } as never,
    style: { border: { fg: theme.border }, fg: theme.fg },
  });
  const visible = () => Math.max(1, (element.height as number) - (options.border ? 2 : 0));
  const setContent = element.setContent.bind(element);
  element.setContent = (content: string) => {
    // at the width the box has now, less the scroll bar; views set content again on resize
    setContent(options.wrap ? wrapTagged(content, (element.width as number) - (options.border ? 2 : 0) - 1) : content);
  };
  element.setContent(options.content);
  const api: ScrollText = {
    element,
    scroll: (delta) => element.scroll(delta),
    page: (direction) => element.scroll(direction * Math.max(1, visible() - 1)),
    top: () => element.setScroll(0),
    bottom: () => element.setScrollPerc(100),
    percent: () => percentShown(api.firstVisibleLine(), visible(), element.getScrollHeight()),
    moreBelow: () => api.firstVisibleLine() + visible() < element.getScrollHeight(),
    firstVisibleLine: () => (element as unknown as { childBase: number }).childBase ?? 0,
    scrollToLine: (line) => {
      element.setScroll(line);
      // setScroll puts the line at the bottom edge when scrolling down; put it at the top instead
      (element as unknown as { childBase: number }).childBase = Math.max(0, Math.min(line, element.getScrollHeight() - visible()));
    },
  };
  return api;
}
