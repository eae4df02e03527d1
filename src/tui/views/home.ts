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

/** How long the selection rests on an entry before its screen starts loading (scrolling past loads nothing). */
const PREFETCH_AFTER_MS = 60;

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

export function homeView(context: AppContext, entries: MenuEntry[]): View {
  const { shell } = context;
  let list: SelectList | undefined;
  let widgets: Widgets.BlessedElement[] = [];
  let nextLine: Widgets.BoxElement | undefined;
  let selected = 0;
  let prefetchTimer: NodeJS.Timeout | undefined;

  const prefetchSelected = () => {
    clearTimeout(prefetchTimer);
    prefetchTimer = setTimeout(() => entries[list?.selected() ?? selected]?.prefetch?.(), PREFETCH_AFTER_MS);
    prefetchTimer.unref();
  };
  const move = (action: () => void) => () => {
    action();
    prefetchSelected();
  };

  const describeNext = (lessons: Outline): string => {
    const last = context.session.lastLesson();
    const lastLesson = lessons.find((l) => l.id === last);
    const lastState = last ? context.session.lessonState(last) : undefined;
    if (lastLesson && lastState && !lastState.done) return shell.t('continueAt', { title: lastLesson.title, percent: lastState.percent });
    const next = lessons.find((l) => !context.session.lessonState(l.id)?.done);
    if (!next) return shell.t('courseDone');
    if (!last) return shell.t('startHere', { title: next.title });
    return shell.t('nextUp', { title: next.title });
  };

  const open = () => {
    selected = list?.selected() ?? 0;
    const entry = entries[selected];
    if (entry) return entry.open();
  };

  const view: View = {
    title: () => '',
    bindings(): Binding[] {
      return [
        { keys: ['up', 'k'], display: '↑↓', ascii: 'Up/Down', label: 'keyMove', status: true, run: move(() => list?.move(-1)) },
        { keys: ['down', 'j'], display: '↓/j', label: 'keyMove', run: move(() => list?.move(1)) },
        { keys: ['g', 'home'], display: 'g', label: 'keyTop', run: move(() => list?.select(0)) },
        { keys: ['S-g', 'end'], display: 'G', label: 'keyBottom', run: move(() => list?.select(entries.length - 1)) },
        { keys: ['enter', 'l', 'right'], display: '⏎', ascii: 'Enter', label: 'keyOpen', status: true, run: open },
      ];
    },
    mount(body) {
      const theme = shell.theme();
      const banner = shell.unicode ? BANNER : ['k u b e t l s'];
      const top = blessed.box({ parent: body, top: 1, left: 'center', width: 40, height: banner.length + 1, tags: true, align: 'center', content: banner.map((l) => paint(theme, 'accent', l)).join('\n') });
      const tagline = blessed.text({ parent: body, top: banner.length + 2, left: 'center', tags: true, content: escapeTags(shell.t('tagline')) });
      const menuTop = banner.length + 4;
      list = selectList(body, theme, {
        top: menuTop,
        left: 'center',
        width: Math.min(76, (body.width as number) - 4),
        height: entries.length,
        items: entries.map((e) => ({ label: padColumns(shell.t(e.label), 16), hint: shell.t(e.hint) })),
      });
      list.select(selected);
      nextLine = blessed.box({ parent: body, top: menuTop + entries.length + 1, left: 0, width: '100%', height: 1, align: 'center', tags: true, content: '' });
      widgets = [top, tagline, list.element, nextLine];
      const showNext = (lessons: Outline) => nextLine?.setContent(`{center}${paint(theme, 'accent', describeNext(lessons))}{/center}`);
      prefetchSelected();
      const quick = quickOutline(context, shell.preferences().language);
      if (quick) showNext(quick);
      else
        void fullOutline(context, shell.preferences().language).then((lessons) => {
          showNext(lessons);
          shell.render();
        });
    },
    unmount() {
      clearTimeout(prefetchTimer);
      selected = list?.selected() ?? selected;
      for (const widget of widgets) widget.destroy();
      widgets = [];
      list = undefined;
    },
  };
  return view;
}
