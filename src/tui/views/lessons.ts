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

/** The course in order, each lesson marked new, read n%, or done. */

export function lessonsView(context: AppContext, openLesson: (lessons: Lesson[], index: number) => void, search: () => void): View {
  const { shell } = context;
  let list: SelectList | undefined;
  let description: Widgets.BoxElement | undefined;
  let lessons: Lesson[] = [];
  let selected = 0;

  const status = (lesson: { id: string }): string => {
    const state = context.session.lessonState(lesson.id);
    if (state?.done) return `${shell.unicode ? '✓' : '*'} ${shell.t('lessonDone')}`;
    if (state && state.percent > 0) return shell.t('lessonRead', { percent: state.percent });
    return shell.t('lessonNew');
  };

  const describe = () => {
    const lesson = lessons[list?.selected() ?? 0];
    if (!lesson || !description) return;
    description.setContent(`${paint(shell.theme(), 'accent', lesson.title)}\n${escapeTags(lesson.description)}\n${paint(shell.theme(), 'muted', lesson.keywords.join(' · '))}`);
  };

  const move = (delta: number) => {
    list?.move(delta);
    describe();
  };

  const view: View = {
    title: () => shell.t('lessonsTitle'),
    bindings(): Binding[] {
      return [
        { keys: ['up', 'k'], display: '↑↓', ascii: 'Up/Down', label: 'keyMove', status: true, run: () => move(-1) },
        { keys: ['down', 'j'], display: '↓/j', label: 'keyMove', run: () => move(1) },
        { keys: ['g', 'home'], display: 'g', label: 'keyTop', run: () => move(-lessons.length) },
        { keys: ['S-g', 'end'], display: 'G', label: 'keyBottom', run: () => move(lessons.length) },
        { keys: ['enter', 'l', 'right'], display: '⏎', ascii: 'Enter', label: 'keyOpen', status: true, run: () => { const index = list?.selected() ?? 0; if (lessons[index]) openLesson(lessons, index); } },
        { keys: ['/'], display: '/', label: 'keySearch', status: true, run: search },
      ];
    },
    mount(body) {
      const height = (body.height as number) - 5;
      list = selectList(body, shell.theme(), { top: 0, left: 0, width: '100%', height, items: [], border: true, label: shell.t('lessonsTitle') });
      description = blessed.box({ parent: body, bottom: 0, left: 1, width: '100%-2', height: 4, tags: true });
      let shown = false;
      const show = (outline: { id: string; title: string }[]) => {
        // titles may be Korean (two columns a character): pad by columns, not characters
        const width = Math.max(...outline.map((l) => columns(l.title)), 10);
        list?.setItems(outline.map((lesson, index) => ({ label: padColumns(`${String(index + 1).padStart(2)}. ${lesson.title}`, width + 5), hint: status(lesson) })));
        // the second time (the full library) the learner may have moved already
        if (!shown) list?.select(selected);
        shown = true;
      };
      // the course's titles at once from the quick index; the lessons themselves (descriptions, text) as they load
      const quick = context.session.lessonsDirs.length === 0 ? readCourseIndex(shell.preferences().language) : undefined;
      if (quick) show(quick);
      return context.lessons().then(async (library) => {
        const { lessonsInLanguage } = await import('../../lessons/load.js');
        lessons = lessonsInLanguage(library, shell.preferences().language);
        show(lessons);
        describe();
        shell.render();
      });
    },
    unmount() {
      selected = list?.selected() ?? selected;
      list?.element.destroy();
      description?.destroy();
      list = undefined;
      description = undefined;
    },
  };
  return view;
}
