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

/** The table's state: the class as last read, how it is sorted and filtered, and the widgets while drawn. */
interface ClassTable {
  context: AppContext;
  dir: string;
  classroom?: Classroom;
  rows: ClassRow[];
  topics: string[];
  exam?: ClassExam;
  problems: Words[];
  topicName?: (topic: string) => string;
  sortIndex: number;
  descending: boolean;
  filter: string;
  list?: SelectList;
  header?: Widgets.BoxElement;
  footer?: Widgets.BoxElement;
  timer?: NodeJS.Timeout;
}

export function classView(context: AppContext, dir: string): View {
  const table: ClassTable = { context, dir, rows: [], topics: [], problems: [], sortIndex: 0, descending: false, filter: '' };
  return {
    title: () => context.shell.t('classTitle', { dir }),
    bindings: () => classBindings(table),
    mount: (body) => mountTable(table, body),
    unmount: () => unmountTable(table),
  };
}

function classBindings(table: ClassTable): Binding[] {
  return [
    { keys: ['up', 'k'], display: '↑↓', ascii: 'Up/Down', label: 'keyMove', status: true, run: () => { table.list?.move(-1); draw(table); } },
    { keys: ['down', 'j'], display: '↓/j', label: 'keyMove', run: () => { table.list?.move(1); draw(table); } },
    { keys: ['s'], display: 's', label: 'keySort', status: true, run: () => { table.sortIndex = (table.sortIndex + 1) % sortKeys(table).length; void reload(table); } },
    { keys: ['S-s'], display: 'S', label: 'keySortOrder', status: true, run: () => { table.descending = !table.descending; void reload(table); } },
    { keys: ['/'], display: '/', label: 'keyFilter', status: true, run: () => askFilter(table) },
    { keys: ['r'], display: 'r', label: 'keyRefresh', run: () => void reload(table) },
  ];
}

function mountTable(table: ClassTable, body: Widgets.BoxElement): void {
  const { shell } = table.context;
  table.header = blessed.box({ parent: body, top: 0, left: 1, width: '100%-2', height: 1, tags: true });
  table.list = selectList(body, shell.theme(), { top: 1, left: 0, width: '100%', height: '100%-6', items: [], border: true });
  // the learner under the cursor, the order, and the topics (three lines of them at 80 columns)
  table.footer = blessed.box({ parent: body, bottom: 0, left: 1, width: '100%-2', height: 5, tags: true });
  void reload(table);
  // learners keep working: their files change while the teacher looks
  table.timer = setInterval(() => void reload(table), REFRESH_MS);
  table.timer.unref();
}

function unmountTable(table: ClassTable): void {
  if (table.timer) clearInterval(table.timer);
  table.header?.destroy();
  table.list?.element.destroy();
  table.footer?.destroy();
  table.header = undefined;
  table.list = undefined;
  table.footer = undefined;
}

const say = (table: ClassTable, key: string, params?: Record<string, string | number>) => translate(table.context.shell.preferences().language, key, params);
const sortKeys = (table: ClassTable): SortKey[] => [...FIXED, ...table.topics.map((topic): SortKey => `topic:${topic}`)];
const sortKey = (table: ClassTable) => sortKeys(table)[table.sortIndex % sortKeys(table).length]!;

async function askFilter(table: ClassTable): Promise<void> {
  const { shell } = table.context;
  const text = await input(shell.dialogs, shell.t('classFilterPrompt'), table.filter);
  if (text === undefined) return;
  table.filter = text;
  await reload(table);
}

/** Reads the class directory again: its learners, the topics, the class exam; sorted and filtered as asked. */
async function reload(table: ClassTable): Promise<void> {
  const { shell } = table.context;
  const classroom = (table.classroom ??= await import('../../classroom/index.js'));
  if (!table.topicName) {
    const course = await import('../../lessons/course.js');
    table.topicName = (topic) => course.topicName(topic, shell.preferences().language);
  }
  try {
    const roster = classroom.readRoster(table.dir);
    table.problems = roster.problems;
    table.topics = classroom.classTopics(roster.learners);
    table.exam = classroom.readClassExam(table.dir);
    table.rows = classroom.filterRows(classroom.sortRows(classroom.classRows(roster.learners, table.exam), sortKey(table), table.descending), table.filter);
  } catch (error) {
    shell.notify(isKubetlsError(error) ? describeError(error, shell.preferences().language) : error instanceof Error ? error.message : String(error), 'bad');
  }
  draw(table);
}

/** The widths of the table's columns at the screen's width: the name takes what the fixed columns leave. */
interface Layout {
  width: number;
  cell: number;
  nameWidth: number;
}

function draw(table: ClassTable): void {
  const { list, header, footer } = table;
  if (!list || !header || !footer) return;
  const width = (table.context.shell.screen.width as number) - 4;
  const cell = 4;
  const fixed = 6 + 5 + 6 + table.topics.length * cell;
  const layout: Layout = { width, cell, nameWidth: Math.max(8, width - fixed) };
  header.setContent(headerLine(table, layout));
  list.setItems(table.rows.map((row) => ({ markup: true, label: rowLine(table, row, layout) })));
  drawFooter(table, list, footer, width);
  table.context.shell.render();
}

const cut = (table: ClassTable, text: string, size: number) => padColumns(truncate(text, size, table.context.shell.unicode), size);
const right = (text: string, size: number) => `${' '.repeat(Math.max(0, size - columns(text)))}${text}`;

/** The column titles, the one sorted by underlined. */
function headerLine(table: ClassTable, { cell, nameWidth }: Layout): string {
  const key = sortKey(table);
  const mark = (label: string, column: SortKey) => (column === key ? `{underline}${label}{/underline}` : label);
  return [
    mark(cut(table, say(table, 'class.column.name'), nameWidth), 'name'),
    mark(right(say(table, 'class.short.lessons'), 6), 'lessons'),
    mark(right(say(table, 'class.short.practice'), 5), 'practice'),
    mark(right(say(table, table.exam ? 'class.short.classExam' : 'class.short.exam'), 6), 'exam'),
    ...table.topics.map((_, index) => mark(`T${index + 1}`.padStart(cell), `topic:${table.topics[index]}`)),
  ].join('');
}

function rowLine(table: ClassTable, row: ClassRow, { cell, nameWidth }: Layout): string {
  const theme = table.context.shell.theme();
  return [
    escapeTags(cut(table, row.name, nameWidth)),
    `${row.lessonsDone}/${row.lessonsTotal}`.padStart(6),
    heat(table, row.practiceBest, 5),
    row.exam ? paint(theme, row.exam.passed === false ? 'bad' : 'ok', `${row.exam.percent}${row.exam.passed === false ? '✗' : row.exam.passed ? '✓' : ' '}`.padStart(6)) : paint(theme, 'muted', '-'.padStart(6)),
    ...table.topics.map((topic) => heat(table, row.mastery[topic], cell)),
  ].join('');
}

/** One cell of the heat map: green from 80%, yellow from the pass mark (66%), red below, a dot when never practised. */
function heat(table: ClassTable, value: number | null | undefined, width: number): string {
  const theme = table.context.shell.theme();
  if (value === null || value === undefined) return paint(theme, 'muted', '·'.padStart(width));
  const text = String(value).padStart(width);
  return paint(theme, value >= 80 ? 'ok' : value >= 66 ? 'warn' : 'bad', text);
}

/** Under the table: the learner selected, the order and the filter, the learners left out, and the topics by name. */
function drawFooter(table: ClassTable, list: SelectList, footer: Widgets.BoxElement, width: number): void {
  const { shell } = table.context;
  const { rows, exam, problems, topics, topicName, filter, descending } = table;
  // the topics by name under the table: as many lines as they take, the table gives up the rest
  const legend = legendLines(topics.map((topic, index) => say(table, 'class.legend', { number: index + 1, name: topicName?.(topic) ?? topic })), width);
  const footerHeight = 2 + legend.split('\n').length;
  footer.height = footerHeight;
  list.element.height = `100%-${footerHeight + 1}`;
  const selected = rows[list.selected()];
  const key = sortKey(table);
  const sorted = key.startsWith('topic:') ? (topicName?.(key.slice('topic:'.length)) ?? key) : say(table, `class.sortName.${key}`);
  const when = selected?.lastActive ? selected.lastActive.slice(0, 16).replace('T', ' ') : say(table, 'class.never');
  const login = selected ? `${selected.user}${selected.profile === 'default' ? '' : `/${selected.profile}`}` : '';
  footer.setContent(
    [
      selected
        ? escapeTags(say(table, exam ? 'class.selectedExam' : 'class.selected', { name: selected.name, login, when, exam: exam?.id ?? '' }))
        : escapeTags(shell.t('classNobody')),
      escapeTags(shell.t('classSorted', { column: sorted, order: descending ? '↓' : '↑', count: rows.length, filter: filter ? ` "${filter}"` : '' })) + (problems.length ? paint(shell.theme(), 'bad', escapeTags(`  ${say(table, problems.length === 1 ? 'class.leftOutOne' : 'class.leftOutMany', { count: problems.length })}`)) : ''),
      paint(shell.theme(), 'muted', legend),
    ].join('\n'),
  );
}

/** The topic legend, whole entries to a line ("T5 클라이언트 인증서" is never split), escaped for blessed. */
function legendLines(entries: string[], width: number): string {
  const lines: string[] = [];
  for (const entry of entries) {
    const last = lines.at(-1);
    if (last !== undefined && columns(`${last}  ${entry}`) <= width) lines[lines.length - 1] = `${last}  ${entry}`;
    else lines.push(entry);
  }
  return wrapTagged(escapeTags(lines.join('\n')), width);
}
