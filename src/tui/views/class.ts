import type { Widgets } from 'blessed';
import blessed from '../blessed.cjs';
import type { View } from '../app.js';
import type { AppContext } from '../context.js';
import type { Binding } from '../keymap.js';
import { input } from '../dialogs.js';
import { escapeTags, paint } from '../theme.js';
import { selectList, type SelectList } from '../widgets.js';
import type { ClassExam, ClassRow, SortKey } from '../../classroom/index.js';
import { describeError, isKubetlsError, type Words } from '../../errors.js';
import { translate } from '../../locale/catalogue.js';
import { padColumns, truncate, wrapTagged } from '../width.js';
import { columns } from '../../text-width.cjs';

/**
 * The teacher's table (`kubetls class --dir`): one learner a row, the course's topics as a heat map of
 * mastery, lessons done, best practice score, the (class) exam, re-read every few seconds. `s` sorts by
 * the next column, `S` turns the order round, `/` filters by name or login.
 */

type Classroom = typeof import('../../classroom/index.js');

const REFRESH_MS = 3000;
const FIXED: SortKey[] = ['name', 'lessons', 'practice', 'exam', 'active'];

export function classView(context: AppContext, dir: string): View {
  const { shell } = context;
  let classroom: Classroom | undefined;
  let rows: ClassRow[] = [];
  let topics: string[] = [];
  let exam: ClassExam | undefined;
  let problems: Words[] = [];
  let topicName: ((topic: string) => string) | undefined;
  const say = (key: string, params?: Record<string, string | number>) => translate(shell.preferences().language, key, params);
  let sortIndex = 0;
  let descending = false;
  let filter = '';
  let list: SelectList | undefined;
  let header: Widgets.BoxElement | undefined;
  let footer: Widgets.BoxElement | undefined;
  let timer: NodeJS.Timeout | undefined;

  const sortKeys = (): SortKey[] => [...FIXED, ...topics.map((topic): SortKey => `topic:${topic}`)];
  const sortKey = () => sortKeys()[sortIndex % sortKeys().length]!;

  const reload = async () => {
    classroom ??= await import('../../classroom/index.js');
    if (!topicName) {
      const course = await import('../../lessons/course.js');
      topicName = (topic) => course.topicName(topic, shell.preferences().language);
    }
    try {
      const roster = classroom.readRoster(dir);
      problems = roster.problems;
      topics = classroom.classTopics(roster.learners);
      exam = classroom.readClassExam(dir);
      rows = classroom.filterRows(classroom.sortRows(classroom.classRows(roster.learners, exam), sortKey(), descending), filter);
    } catch (error) {
      shell.notify(isKubetlsError(error) ? describeError(error, shell.preferences().language) : error instanceof Error ? error.message : String(error), 'bad');
    }
    draw();
  };

  /** One cell of the heat map: green from 80%, yellow from the pass mark (66%), red below, a dot when never practised. */
  const heat = (value: number | null | undefined, width: number) => {
    if (value === null || value === undefined) return paint(shell.theme(), 'muted', '·'.padStart(width));
    const text = String(value).padStart(width);
    return paint(shell.theme(), value >= 80 ? 'ok' : value >= 66 ? 'warn' : 'bad', text);
  };

  const draw = () => {
    if (!list || !header || !footer) return;
    const width = (shell.screen.width as number) - 4;
    const cell = 4;
    const fixed = 6 + 5 + 6 + topics.length * cell;
    const nameWidth = Math.max(8, width - fixed);
    const key = sortKey();
    const mark = (label: string, column: SortKey) => (column === key ? `{underline}${label}{/underline}` : label);
    const cut = (text: string, size: number) => padColumns(truncate(text, size, shell.unicode), size);
    const right = (text: string, size: number) => `${' '.repeat(Math.max(0, size - columns(text)))}${text}`;
    header.setContent(
      [
        mark(cut(say('class.column.name'), nameWidth), 'name'),
        mark(right(say('class.short.lessons'), 6), 'lessons'),
        mark(right(say('class.short.practice'), 5), 'practice'),
        mark(right(say(exam ? 'class.short.classExam' : 'class.short.exam'), 6), 'exam'),
        ...topics.map((_, index) => mark(`T${index + 1}`.padStart(cell), `topic:${topics[index]}`)),
      ].join(''),
    );
    list.setItems(
      rows.map((row) => ({
        markup: true,
        label: [
          escapeTags(cut(row.name, nameWidth)),
          `${row.lessonsDone}/${row.lessonsTotal}`.padStart(6),
          heat(row.practiceBest, 5),
          row.exam ? paint(shell.theme(), row.exam.passed === false ? 'bad' : 'ok', `${row.exam.percent}${row.exam.passed === false ? '✗' : row.exam.passed ? '✓' : ' '}`.padStart(6)) : paint(shell.theme(), 'muted', '-'.padStart(6)),
          ...topics.map((topic) => heat(row.mastery[topic], cell)),
        ].join(''),
      })),
    );
    // the topics by name under the table: as many lines as they take, the table gives up the rest
    const legend = legendLines(topics.map((topic, index) => say('class.legend', { number: index + 1, name: topicName?.(topic) ?? topic })), width);
    const footerHeight = 2 + legend.split('\n').length;
    footer.height = footerHeight;
    list.element.height = `100%-${footerHeight + 1}`;
    const selected = rows[list.selected()];
    const sorted = key.startsWith('topic:') ? (topicName?.(key.slice('topic:'.length)) ?? key) : say(`class.sortName.${key}`);
    const when = selected?.lastActive ? selected.lastActive.slice(0, 16).replace('T', ' ') : say('class.never');
    const login = selected ? `${selected.user}${selected.profile === 'default' ? '' : `/${selected.profile}`}` : '';
    footer.setContent(
      [
        selected
          ? escapeTags(say(exam ? 'class.selectedExam' : 'class.selected', { name: selected.name, login, when, exam: exam?.id ?? '' }))
          : escapeTags(shell.t('classNobody')),
        escapeTags(shell.t('classSorted', { column: sorted, order: descending ? '↓' : '↑', count: rows.length, filter: filter ? ` "${filter}"` : '' })) + (problems.length ? paint(shell.theme(), 'bad', escapeTags(`  ${say(problems.length === 1 ? 'class.leftOutOne' : 'class.leftOutMany', { count: problems.length })}`)) : ''),
        paint(shell.theme(), 'muted', legend),
      ].join('\n'),
    );
    shell.render();
  };

  /** The topic legend, whole entries to a line ("T5 클라이언트 인증서" is never split), escaped for blessed. */
  const legendLines = (entries: string[], width: number): string => {
    const lines: string[] = [];
    for (const entry of entries) {
      const last = lines.at(-1);
      if (last !== undefined && columns(`${last}  ${entry}`) <= width) lines[lines.length - 1] = `${last}  ${entry}`;
      else lines.push(entry);
    }
    return wrapTagged(escapeTags(lines.join('\n')), width);
  };

  return {
    title: () => shell.t('classTitle', { dir }),
    bindings(): Binding[] {
      return [
        { keys: ['up', 'k'], display: '↑↓', ascii: 'Up/Down', label: 'keyMove', status: true, run: () => { list?.move(-1); draw(); } },
        { keys: ['down', 'j'], display: '↓/j', label: 'keyMove', run: () => { list?.move(1); draw(); } },
        { keys: ['s'], display: 's', label: 'keySort', status: true, run: () => { sortIndex = (sortIndex + 1) % sortKeys().length; void reload(); } },
        { keys: ['S-s'], display: 'S', label: 'keySortOrder', status: true, run: () => { descending = !descending; void reload(); } },
        {
          keys: ['/'],
          display: '/',
          label: 'keyFilter',
          status: true,
          run: async () => {
            const text = await input(shell.dialogs, shell.t('classFilterPrompt'), filter);
            if (text === undefined) return;
            filter = text;
            await reload();
          },
        },
        { keys: ['r'], display: 'r', label: 'keyRefresh', run: () => void reload() },
      ];
    },
    mount(body) {
      header = blessed.box({ parent: body, top: 0, left: 1, width: '100%-2', height: 1, tags: true });
      list = selectList(body, shell.theme(), { top: 1, left: 0, width: '100%', height: '100%-6', items: [], border: true });
      // the learner under the cursor, the order, and the topics (three lines of them at 80 columns)
      footer = blessed.box({ parent: body, bottom: 0, left: 1, width: '100%-2', height: 5, tags: true });
      void reload();
      // learners keep working: their files change while the teacher looks
      timer = setInterval(() => void reload(), REFRESH_MS);
      timer.unref();
    },
    unmount() {
      if (timer) clearInterval(timer);
      header?.destroy();
      list?.element.destroy();
      footer?.destroy();
      header = undefined;
      list = undefined;
      footer = undefined;
    },
  };
}
