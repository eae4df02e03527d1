import type { Widgets } from 'blessed';
import blessed from '../blessed.cjs';
import type { View } from '../app.js';
import type { AppContext } from '../context.js';
import type { Binding } from '../keymap.js';
import type { Lesson } from '../../lessons/load.js';
import type { RenderedDocument } from '../../lessons/render.js';
import type { SandboxAction } from '../../lessons/catalog.js';
import { linesToTags } from '../lesson-style.js';
import { readerTextWidth, renderedLesson } from '../lesson-renders.js';
import { escapeTags } from '../theme.js';
import { columns } from '../../text-width.cjs';
import { scrollText, selectList, type ScrollText, type SelectList } from '../widgets.js';

/**
 * The lesson reader: the rendered lesson, its contents, position, next/previous, done when read to
 * the end, reopened where the learner left it, and "Try it" straight into the sandbox.
 */

export interface ReaderOptions {
  lessons: Lesson[];
  index: number;
  tryIt(actions: SandboxAction[]): void;
  /** Follow a link to another lesson (by id). */
  openLessonById(id: string): void;
  search(): void;
  /** Scroll to the first line containing this text after opening. */
  highlight?: string;
}

/** The reader's state beside the lessons: the lesson open, where it draws, the contents when they are open. */
interface Reader {
  context: AppContext;
  options: ReaderOptions;
  index: number;
  text?: ScrollText;
  footer?: Widgets.TextElement;
  contents?: SelectList;
  document?: RenderedDocument;
  parent?: Widgets.BoxElement;
  focus: 'text' | 'contents';
  highlight?: string;
}

export function readerView(context: AppContext, options: ReaderOptions): View {
  const reader: Reader = { context, options, index: options.index, focus: 'text', highlight: options.highlight };
  return {
    title: () => lesson(reader).title,
    bindings: (): Binding[] => (reader.focus === 'contents' && reader.contents ? [...contentsBindings(reader), ...commonBindings(reader)] : [...textBindings(reader), ...commonBindings(reader)]),
    mount: (body) => mountReader(reader, body),
    unmount: () => unmountReader(reader),
    refresh: () => rerender(reader, reader.text?.firstVisibleLine()),
  };
}

const lesson = (reader: Reader): Lesson => reader.options.lessons[reader.index]!;

function commonBindings(reader: Reader): Binding[] {
  return [
    { keys: ['c'], display: 'c', label: 'keyContents', status: true, run: () => toggleContents(reader) },
    { keys: ['n'], display: 'n', label: 'keyNext', status: true, run: () => openAt(reader, reader.index + 1) },
    { keys: ['p'], display: 'p', label: 'keyPrevious', run: () => openAt(reader, reader.index - 1) },
    { keys: ['t'], display: 't', label: 'keyTryIt', status: true, run: () => tryIt(reader) },
    { keys: ['/'], display: '/', label: 'keySearch', status: true, run: reader.options.search },
    { keys: ['o'], display: 'o', label: 'keyLinks', run: () => followLink(reader) },
    { keys: ['y'], display: 'y', label: 'keyCopy', run: () => copyCommand(reader) },
  ];
}

function textBindings(reader: Reader): Binding[] {
  const scrolling = (action: (text: ScrollText) => void) => () => scroll(reader, action);
  return [
    { keys: ['up', 'k'], display: '↑↓', ascii: 'Up/Down', label: 'keyScroll', status: true, run: scrolling((t) => t.scroll(-1)) },
    { keys: ['down', 'j'], display: '↓/j', label: 'keyScroll', run: scrolling((t) => t.scroll(1)) },
    { keys: ['pageup', 'C-b', 'b'], display: 'PgUp', label: 'keyPage', run: scrolling((t) => t.page(-1)) },
    { keys: ['pagedown', 'C-f', 'space'], display: 'PgDn', label: 'keyPage', run: scrolling((t) => t.page(1)) },
    { keys: ['g', 'home'], display: 'g', label: 'keyTop', run: scrolling((t) => t.top()) },
    { keys: ['S-g', 'end'], display: 'G', label: 'keyBottom', run: scrolling((t) => t.bottom()) },
  ];
}

function contentsBindings(reader: Reader): Binding[] {
  return [
    { keys: ['up', 'k'], display: '↑/k', ascii: 'Up/k', label: 'keyMove', run: () => reader.contents?.move(-1) },
    { keys: ['down', 'j'], display: '↓/j', ascii: 'Down/j', label: 'keyMove', run: () => reader.contents?.move(1) },
    { keys: ['enter', 'l', 'right'], display: '⏎', ascii: 'Enter', label: 'keyOpen', status: true, run: () => jumpToHeading(reader) },
    { keys: ['escape', 'c'], display: 'Esc', label: 'keyCloseContents', status: true, run: () => toggleContents(reader) },
  ];
}

function mountReader(reader: Reader, body: Widgets.BoxElement): Promise<void> {
  const { shell, session } = reader.context;
  reader.parent = body;
  reader.text = scrollText(body, shell.theme(), { top: 0, left: 0, width: '100%', height: '100%-1', content: '' });
  reader.footer = blessed.text({ parent: body, bottom: 0, left: 0, width: '100%', height: 1, tags: true, content: '' });
  const saved = session.lessonState(lesson(reader).id);
  return import('../../lessons/render.js').then(({ renderLesson }) => {
    if (!reader.text) return;
    const document = renderDocument(reader, reader.text, renderLesson);
    const found = reader.highlight ? findLine(document, reader.highlight) : undefined;
    reader.text.scrollToLine(found ?? saved?.line ?? 0);
    updateFooter(reader);
    shell.render();
  });
}

function unmountReader(reader: Reader): void {
  saveHere(reader);
  reader.contents?.element.destroy();
  reader.text?.element.destroy();
  reader.footer?.destroy();
  reader.contents = undefined;
  reader.text = undefined;
  reader.footer = undefined;
  reader.focus = 'text';
}

/** The lesson rendered at the width of the screen, in the learner's language, into the text. */
function renderDocument(reader: Reader, text: ScrollText, renderLesson: typeof import('../../lessons/render.js').renderLesson): RenderedDocument {
  const { shell } = reader.context;
  const width = readerTextWidth((reader.parent?.width as number) ?? 80);
  reader.document = renderedLesson(renderLesson, lesson(reader), { width, boxDrawing: shell.unicode ? 'unicode' : 'ascii', language: shell.preferences().language });
  text.element.setContent(linesToTags(reader.document.lines, shell.theme()));
  return reader.document;
}

/** After a resize or a change of language: rendered again, at the same place in the lesson (by proportion, lines rewrap). */
function rerender(reader: Reader, line?: number): void {
  void import('../../lessons/render.js').then(({ renderLesson }) => {
    if (!reader.text) return;
    const previousTotal = reader.document?.lines.length ?? 0;
    const document = renderDocument(reader, reader.text, renderLesson);
    const target = line === undefined ? undefined : previousTotal > 0 ? Math.round((line / previousTotal) * document.lines.length) : line;
    if (target !== undefined) reader.text.scrollToLine(target);
    updateFooter(reader);
    reader.context.shell.render();
  });
}

/** The position in the footer, saved as the learner reads; the lesson is done once read to the end. */
function updateFooter(reader: Reader): void {
  const { text, footer, document } = reader;
  const { shell, session } = reader.context;
  if (!text || !footer || !document) return;
  const percent = text.percent();
  const line = text.firstVisibleLine() + 1;
  footer.setContent(`{|}${escapeTags(shell.t('readerPosition', { percent, line, total: document.lines.length }))} `);
  session.saveLessonPosition(lesson(reader).id, text.firstVisibleLine(), percent);
  if (percent >= 100 && !session.lessonState(lesson(reader).id)?.done) {
    session.markLessonDone(lesson(reader).id);
    shell.notify(shell.t('readerMarkedDone'), 'ok');
  }
}

function scroll(reader: Reader, action: (text: ScrollText) => void): void {
  if (reader.focus === 'contents' && reader.contents) return;
  if (reader.text) action(reader.text);
  updateFooter(reader);
}

function saveHere(reader: Reader): void {
  if (reader.text) reader.context.session.saveLessonPosition(lesson(reader).id, reader.text.firstVisibleLine(), reader.text.percent());
}

/** n and p: the lesson being left keeps its own position; the next one opens at its own (it was given this one's). */
function openAt(reader: Reader, next: number): void {
  if (next < 0 || next >= reader.options.lessons.length || !reader.parent) return;
  const body = reader.parent;
  unmountReader(reader);
  reader.index = next;
  reader.highlight = undefined;
  void reader.context.shell.working(lesson(reader).title, () => mountReader(reader, body));
}

const contentsHeadings = (document: RenderedDocument) => document.headings.filter((h) => h.level <= 3);

function toggleContents(reader: Reader): void {
  if (!reader.parent || !reader.document) return;
  if (reader.contents) return closeContents(reader);
  openContents(reader, reader.parent, reader.document);
}

function closeContents(reader: Reader): void {
  reader.contents?.element.destroy();
  reader.contents = undefined;
  reader.focus = 'text';
}

/** The headings, the one the text is at selected, drawn over the text, which keeps its width (beside it, a table at 50 columns broke mid-word). */
function openContents(reader: Reader, parent: Widgets.BoxElement, document: RenderedDocument): void {
  const { shell } = reader.context;
  const headings = contentsHeadings(document);
  const labels = headings.map((h) => `${'  '.repeat(Math.max(0, h.level - 1))}${h.text}`);
  const contents = selectList(parent, shell.theme(), {
    top: 0,
    left: 0,
    width: Math.min(Math.max(28, ...labels.map((label) => columns(label) + 3)), Math.floor(((parent.width as number) * 2) / 3)),
    height: '100%-1',
    border: true,
    label: shell.t('contentsTitle'),
    items: labels.map((label) => ({ label })),
  });
  const here = reader.text?.firstVisibleLine() ?? 0;
  contents.select(headings.reduce((best, h, i) => (h.line <= here ? i : best), 0));
  contents.element.setFront();
  reader.contents = contents;
  reader.focus = 'contents';
}

/** Enter in the contents: the text at that heading, the contents put away. */
function jumpToHeading(reader: Reader): void {
  if (!reader.contents || !reader.document) return;
  const heading = contentsHeadings(reader.document)[reader.contents.selected()];
  if (heading && reader.text) reader.text.scrollToLine(heading.line);
  toggleContents(reader);
  updateFooter(reader);
}

function tryIt(reader: Reader): void {
  const { document } = reader;
  if (!document || document.sandboxActions.length === 0) {
    reader.context.shell.notify(reader.context.shell.t('readerNoTryIt'));
    return;
  }
  saveHere(reader);
  reader.options.tryIt(document.sandboxActions);
}

type Link = RenderedDocument['links'][number];
type Catalog = typeof import('../../lessons/catalog.js');

/** o: links in the lesson, to other lessons, to sandbox actions, to the web (shown, since we are offline); the nearest one below selected. */
async function followLink(reader: Reader): Promise<void> {
  const { document } = reader;
  if (!document || document.links.length === 0) return;
  const { choose } = await import('../dialogs.js');
  const links = document.links;
  const here = reader.text?.firstVisibleLine() ?? 0;
  const nearest = Math.max(0, links.findIndex((l) => l.line >= here));
  const catalog = await import('../../lessons/catalog.js');
  const labels = links.map((link) => `${link.text}  → ${linkDestination(catalog, link.target)}`);
  const picked = await choose(reader.context.shell.dialogs, reader.context.shell.t('keyLinks'), labels, nearest);
  const target = picked === undefined ? undefined : links[picked]?.target;
  if (target) goTo(reader, document, catalog, target);
}

/** Where a link leads, as the list of links says it: a lesson's id, the sandbox command, the address, the anchor. */
function linkDestination({ parseSandboxAction, sandboxActionCommand }: Catalog, target: Link['target']): string {
  if (target.kind === 'lesson') return target.id;
  if (target.kind === 'sandbox') {
    const parsed = parseSandboxAction(target.action);
    return parsed.ok ? `$ ${sandboxActionCommand(parsed.action)}` : target.action;
  }
  return target.kind === 'url' ? target.url : `#${target.anchor}`;
}

function goTo(reader: Reader, document: RenderedDocument, { parseSandboxAction }: Catalog, target: Link['target']): void {
  if (target.kind === 'lesson') {
    saveHere(reader);
    reader.options.openLessonById(target.id);
  } else if (target.kind === 'sandbox') {
    const parsed = parseSandboxAction(target.action);
    if (parsed.ok) reader.options.tryIt([parsed.action]);
  } else if (target.kind === 'anchor') {
    const heading = document.headings.find((h) => h.text.toLowerCase().replace(/[^a-z0-9가-힣]+/g, '-').replace(/^-|-$/g, '') === target.anchor);
    if (heading && reader.text) reader.text.scrollToLine(heading.line);
    updateFooter(reader);
  } else {
    reader.context.shell.notify(target.url);
  }
}

/** y: a command shown on the screen onto the clipboard (asks which when several are in view). */
async function copyCommand(reader: Reader): Promise<void> {
  const { document, text } = reader;
  const { shell } = reader.context;
  if (!document || !text) return;
  const first = text.firstVisibleLine();
  const rows = text.element.height as number;
  const shown = document.commands.filter((command) => command.line >= first && command.line < first + rows);
  if (shown.length === 0) {
    shell.notify(shell.t('copyNone'));
    return;
  }
  const { choose } = await import('../dialogs.js');
  const picked = shown.length === 1 ? 0 : await choose(shell.dialogs, shell.t('copyChoose'), shown.map((command) => `$ ${command.text.replace(/\\\n\s*/g, '')}`));
  if (picked === undefined) return;
  await shell.copy(shown[picked]!.text);
}

function findLine(document: RenderedDocument, query: string): number | undefined {
  const needle = query.toLowerCase();
  const index = document.lines.findIndex((line) => line.map((s) => s.text).join('').toLowerCase().includes(needle));
  return index >= 0 ? index : undefined;
}
