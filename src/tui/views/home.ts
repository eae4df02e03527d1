import type { Language } from '../../locale/catalogue.js';
import type { Widgets } from 'blessed';
import blessed from '../blessed.cjs';
import type { View } from '../app.js';
import type { AppContext } from '../context.js';
import type { UiKey } from '../strings.js';
import { escapeTags, paint } from '../theme.js';
import { selectList, type SelectList } from '../widgets.js';
import { padColumns } from '../width.js';
import { readCourseIndex } from '../../lessons/course-index.js';
import type { Binding } from '../keymap.js';

/** Home: the menu, where the learner left off, and what comes next. */

export interface MenuEntry {
  label: UiKey;
  hint: UiKey;
  open(): void | Promise<void>;
  /** Starts loading what the screen needs while the entry is selected, so Enter finds it ready. */
  prefetch?(): void;
}

/**
 * How long the selection rests on an entry before its screen starts loading: shorter than a held key's
 * repeat (30-40 ms apart), so scrolling past loads nothing, yet done before a quick Enter.
 */
const PREFETCH_AFTER_MS = 20;

const BANNER = ['┬┌─┬ ┬┌┐ ┌─┐┌┬┐┬  ┌─┐', '├┴┐│ │├┴┐├┤  │ │  └─┐', '┴ ┴└─┘└─┘└─┘ ┴ ┴─┘└─┘'];

type Outline = { id: string; title: string }[];

/** Titles in course order from the quick index (no YAML parser), so the first frame is complete; else undefined. */
function quickOutline(context: AppContext, language: Language): Outline | undefined {
  return context.session.lessonsDirs.length === 0 ? readCourseIndex(language) : undefined;
}

/** Titles in course order from the full loader (other lesson folders, or files the quick index cannot read). */
async function fullOutline(context: AppContext, language: Language): Promise<Outline> {
  const [library, { lessonsInLanguage }] = await Promise.all([context.lessons(), import('../../lessons/load.js')]);
  return lessonsInLanguage(library, language);
}

/** The home screen's state: the menu and the line under it while drawn, the entry selected, the prefetch waiting. */
interface Home {
  context: AppContext;
  entries: MenuEntry[];
  list?: SelectList;
  widgets: Widgets.BlessedElement[];
  nextLine?: Widgets.BoxElement;
  selected: number;
  prefetchTimer?: NodeJS.Timeout;
}

export function homeView(context: AppContext, entries: MenuEntry[]): View {
  const home: Home = { context, entries, widgets: [], selected: 0 };
  return {
    title: () => '',
    bindings: () => homeBindings(home),
    mount: (body) => mountHome(home, body),
    unmount: () => unmountHome(home),
  };
}

function homeBindings(home: Home): Binding[] {
  const move = (action: (list: SelectList | undefined) => void) => () => {
    action(home.list);
    prefetchSelected(home);
  };
  return [
    { keys: ['up', 'k'], display: '↑↓', ascii: 'Up/Down', label: 'keyMove', status: true, run: move((list) => list?.move(-1)) },
    { keys: ['down', 'j'], display: '↓/j', label: 'keyMove', run: move((list) => list?.move(1)) },
    { keys: ['g', 'home'], display: 'g', label: 'keyTop', run: move((list) => list?.select(0)) },
    { keys: ['S-g', 'end'], display: 'G', label: 'keyBottom', run: move((list) => list?.select(home.entries.length - 1)) },
    { keys: ['enter', 'l', 'right'], display: '⏎', ascii: 'Enter', label: 'keyOpen', status: true, run: () => openSelected(home) },
  ];
}

function prefetchSelected(home: Home): void {
  clearTimeout(home.prefetchTimer);
  home.prefetchTimer = setTimeout(() => home.entries[home.list?.selected() ?? home.selected]?.prefetch?.(), PREFETCH_AFTER_MS);
  home.prefetchTimer.unref();
}

function openSelected(home: Home): void | Promise<void> {
  home.selected = home.list?.selected() ?? 0;
  const entry = home.entries[home.selected];
  if (entry) return entry.open();
}

/** The banner, the tagline, the menu, and under it where the learner left off (once the course's titles are known). */
function mountHome(home: Home, body: Widgets.BoxElement): void {
  const { shell } = home.context;
  const theme = shell.theme();
  const banner = shell.unicode ? BANNER : ['k u b e t l s'];
  const top = blessed.box({ parent: body, top: 1, left: 'center', width: 40, height: banner.length + 1, tags: true, align: 'center', content: banner.map((l) => paint(theme, 'accent', l)).join('\n') });
  const tagline = blessed.text({ parent: body, top: banner.length + 2, left: 'center', tags: true, content: escapeTags(shell.t('tagline')) });
  const menuTop = banner.length + 4;
  const list = selectList(body, theme, {
    top: menuTop,
    left: 'center',
    width: Math.min(76, (body.width as number) - 4),
    height: home.entries.length,
    items: home.entries.map((e) => ({ label: padColumns(shell.t(e.label), 16), hint: shell.t(e.hint) })),
  });
  list.select(home.selected);
  home.list = list;
  home.nextLine = blessed.box({ parent: body, top: menuTop + home.entries.length + 1, left: 0, width: '100%', height: 1, align: 'center', tags: true, content: '' });
  home.widgets = [top, tagline, list.element, home.nextLine];
  prefetchSelected(home);
  showNextStep(home);
}

/** From the quick course index when it can be read, so the first frame is complete; else once the lessons load. */
function showNextStep(home: Home): void {
  const { context } = home;
  const { shell } = context;
  const theme = shell.theme();
  const showNext = (lessons: Outline) => home.nextLine?.setContent(`{center}${paint(theme, 'accent', describeNext(context, lessons))}{/center}`);
  const quick = quickOutline(context, shell.preferences().language);
  if (quick) showNext(quick);
  else
    void fullOutline(context, shell.preferences().language).then((lessons) => {
      showNext(lessons);
      shell.render();
    });
}

/** Where the learner left off, what comes next, or that the course is done. */
function describeNext(context: AppContext, lessons: Outline): string {
  const { shell, session } = context;
  const last = session.lastLesson();
  const lastLesson = lessons.find((l) => l.id === last);
  const lastState = last ? session.lessonState(last) : undefined;
  if (lastLesson && lastState && !lastState.done) return shell.t('continueAt', { title: lastLesson.title, percent: lastState.percent });
  const next = lessons.find((l) => !session.lessonState(l.id)?.done);
  if (!next) return shell.t('courseDone');
  if (!last) return shell.t('startHere', { title: next.title });
  return shell.t('nextUp', { title: next.title });
}

function unmountHome(home: Home): void {
  clearTimeout(home.prefetchTimer);
  home.selected = home.list?.selected() ?? home.selected;
  for (const widget of home.widgets) widget.destroy();
  home.widgets = [];
  home.list = undefined;
}
