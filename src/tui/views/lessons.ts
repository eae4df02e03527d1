import type { Widgets } from 'blessed';
import blessed from '../blessed.cjs';
import type { View } from '../app.js';
import type { AppContext } from '../context.js';
import type { Binding } from '../keymap.js';
import type { Lesson } from '../../lessons/load.js';
import { escapeTags, paint } from '../theme.js';
import { selectList, type SelectList } from '../widgets.js';
import { padColumns } from '../width.js';
import { columns } from '../../text-width.cjs';
import { readCourseIndex } from '../../lessons/course-index.js';
import { prepareLesson, readerTextWidth } from '../lesson-renders.js';

/** The course in order, each lesson marked new, read n%, or done. */

/** How long the selection rests before its lesson is rendered ahead (keys held down never wait on it). */
const PREPARE_AFTER_MS = 60;

/** The list's state: its widgets while drawn, the lessons once loaded, the selection kept across visits. */
interface LessonList {
  context: AppContext;
  list?: SelectList;
  description?: Widgets.BoxElement;
  lessons: Lesson[];
  selected: number;
  bodyWidth: number;
  prepareTimer?: NodeJS.Timeout;
}

export function lessonsView(context: AppContext, openLesson: (lessons: Lesson[], index: number) => void, search: () => void): View {
  const state: LessonList = { context, lessons: [], selected: 0, bodyWidth: 80 };
  return {
    title: () => context.shell.t('lessonsTitle'),
    bindings: () => bindings(state, openLesson, search),
    mount: (body) => mountList(state, body),
    unmount: () => unmountList(state),
  };
}

function bindings(state: LessonList, openLesson: (lessons: Lesson[], index: number) => void, search: () => void): Binding[] {
  const open = () => {
    const index = state.list?.selected() ?? 0;
    if (state.lessons[index]) openLesson(state.lessons, index);
  };
  return [
    { keys: ['up', 'k'], display: '↑↓', ascii: 'Up/Down', label: 'keyMove', status: true, run: () => move(state, -1) },
    { keys: ['down', 'j'], display: '↓/j', label: 'keyMove', run: () => move(state, 1) },
    { keys: ['g', 'home'], display: 'g', label: 'keyTop', run: () => move(state, -state.lessons.length) },
    { keys: ['S-g', 'end'], display: 'G', label: 'keyBottom', run: () => move(state, state.lessons.length) },
    { keys: ['enter', 'l', 'right'], display: '⏎', ascii: 'Enter', label: 'keyOpen', status: true, run: open },
    { keys: ['/'], display: '/', label: 'keySearch', status: true, run: search },
  ];
}

function mountList(state: LessonList, body: Widgets.BoxElement): Promise<void> {
  const { shell } = state.context;
  state.bodyWidth = body.width as number;
  state.list = selectList(body, shell.theme(), { top: 0, left: 0, width: '100%', height: (body.height as number) - 5, items: [], border: true, label: shell.t('lessonsTitle') });
  state.description = blessed.box({ parent: body, bottom: 0, left: 1, width: '100%-2', height: 4, tags: true });
  let shown = false;
  const show = (outline: { id: string; title: string }[]) => {
    showOutline(state, outline);
    // the second time (the full library) the learner may have moved already
    if (!shown) state.list?.select(state.selected);
    shown = true;
  };
  // the course's titles at once from the quick index; the lessons themselves (descriptions, text) as they load
  const quick = state.context.session.lessonsDirs.length === 0 ? readCourseIndex(shell.preferences().language) : undefined;
  if (quick) show(quick);
  return state.context.lessons().then(async (library) => {
    const { lessonsInLanguage } = await import('../../lessons/load.js');
    state.lessons = lessonsInLanguage(library, shell.preferences().language);
    show(state.lessons);
    describe(state);
    shell.render();
    // the list has just appeared: its selected lesson is the likely next screen, so at once
    prepareSelected(state, 0);
  });
}

function unmountList(state: LessonList): void {
  clearTimeout(state.prepareTimer);
  state.selected = state.list?.selected() ?? state.selected;
  state.list?.element.destroy();
  state.description?.destroy();
  state.list = undefined;
  state.description = undefined;
}

function showOutline(state: LessonList, outline: { id: string; title: string }[]): void {
  // titles may be Korean (two columns a character): pad by columns, not characters
  const width = Math.max(...outline.map((l) => columns(l.title)), 10);
  state.list?.setItems(outline.map((lesson, index) => ({ label: padColumns(`${String(index + 1).padStart(2)}. ${lesson.title}`, width + 5), hint: status(state, lesson) })));
}

function status(state: LessonList, lesson: { id: string }): string {
  const { shell, session } = state.context;
  const saved = session.lessonState(lesson.id);
  if (saved?.done) return `${shell.unicode ? '✓' : '*'} ${shell.t('lessonDone')}`;
  if (saved && saved.percent > 0) return shell.t('lessonRead', { percent: saved.percent });
  return shell.t('lessonNew');
}

function describe(state: LessonList): void {
  const lesson = state.lessons[state.list?.selected() ?? 0];
  if (!lesson || !state.description) return;
  const theme = state.context.shell.theme();
  state.description.setContent(`${paint(theme, 'accent', lesson.title)}\n${escapeTags(lesson.description)}\n${paint(theme, 'muted', lesson.keywords.join(' · '))}`);
}

function move(state: LessonList, delta: number): void {
  state.list?.move(delta);
  describe(state);
  prepareSelected(state);
}

/** Once the selection rests, its lesson is rendered for the reader, at the reader's width. */
function prepareSelected(state: LessonList, afterMs = PREPARE_AFTER_MS): void {
  clearTimeout(state.prepareTimer);
  state.prepareTimer = setTimeout(() => {
    const lesson = state.lessons[state.list?.selected() ?? 0];
    const { shell } = state.context;
    if (lesson) void prepareLesson(lesson, { width: readerTextWidth(state.bodyWidth), boxDrawing: shell.unicode ? 'unicode' : 'ascii', language: shell.preferences().language });
  }, afterMs);
  state.prepareTimer.unref();
}
