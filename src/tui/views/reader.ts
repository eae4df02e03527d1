import type { Widgets } from 'blessed';
import blessed from '../blessed.cjs';
import type { View } from '../app.js';
import type { AppContext } from '../context.js';
import type { Binding } from '../keymap.js';
import type { Lesson } from '../../lessons/load.js';
import type { RenderedDocument } from '../../lessons/render.js';
import type { SandboxAction } from '../../lessons/catalog.js';
import { linesToTags } from '../lesson-style.js';
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

export function readerView(context: AppContext, options: ReaderOptions): View {
  const { shell } = context;
  let index = options.index;
  let text: ScrollText | undefined;
  let footer: Widgets.TextElement | undefined;
  let contents: SelectList | undefined;
  let document: RenderedDocument | undefined;
  let parent: Widgets.BoxElement | undefined;
  let focus: 'text' | 'contents' = 'text';
  let highlight = options.highlight;
  const lesson = () => options.lessons[index]!;

  const updateFooter = () => {
    if (!text || !footer || !document) return;
    const percent = text.percent();
    const line = text.firstVisibleLine() + 1;
    footer.setContent(`{|}${escapeTags(shell.t('readerPosition', { percent, line, total: document.lines.length }))} `);
    context.session.saveLessonPosition(lesson().id, text.firstVisibleLine(), percent);
    if (percent >= 100 && !context.session.lessonState(lesson().id)?.done) {
      context.session.markLessonDone(lesson().id);
      shell.notify(shell.t('readerMarkedDone'), 'ok');
    }
  };

  const scroll = (action: (t: ScrollText) => void) => {
    if (focus === 'contents' && contents) return;
    if (text) action(text);
    updateFooter();
  };

  const openAt = (next: number) => {
    if (next < 0 || next >= options.lessons.length || !parent) return;
    const body = parent;
    // the lesson being left keeps its own position; the next one opens at its own (it was given this one's)
    view.unmount();
    index = next;
    highlight = undefined;
    void shell.working(lesson().title, () => view.mount(body));
  };

  const saveHere = () => {
    if (text) context.session.saveLessonPosition(lesson().id, text.firstVisibleLine(), text.percent());
  };

  const toggleContents = () => {
    if (!parent || !document) return;
    if (contents) {
      contents.element.destroy();
      contents = undefined;
      focus = 'text';
      return;
    }
    const headings = document.headings.filter((h) => h.level <= 3);
    const labels = headings.map((h) => `${'  '.repeat(Math.max(0, h.level - 1))}${h.text}`);
    contents = selectList(parent, shell.theme(), {
      top: 0,
      left: 0,
      width: Math.min(Math.max(28, ...labels.map((label) => columns(label) + 3)), Math.floor(((parent.width as number) * 2) / 3)),
      height: '100%-1',
      border: true,
      label: shell.t('contentsTitle'),
      items: labels.map((label) => ({ label })),
    });
    const here = text?.firstVisibleLine() ?? 0;
    const currentHeading = headings.reduce((best, h, i) => (h.line <= here ? i : best), 0);
    contents.select(currentHeading);
    // drawn over the text, which keeps its width (beside it, a table at 50 columns broke mid-word)
    contents.element.setFront();
    focus = 'contents';
  };

  /** Enter in the contents: the text at that heading, the contents put away. */
  const jumpToHeading = () => {
    if (!contents || !document) return;
    const heading = document.headings.filter((h) => h.level <= 3)[contents.selected()];
    if (heading && text) text.scrollToLine(heading.line);
    toggleContents();
    updateFooter();
  };

  const renderWidth = () => Math.max(20, ((parent?.width as number) ?? 80) - 3);

  const renderInto = (line?: number) => {
    void import('../../lessons/render.js').then(({ renderLesson }) => {
      if (!text) return;
      const previousTotal = document?.lines.length ?? 0;
      document = renderLesson(lesson(), { width: renderWidth(), boxDrawing: shell.unicode ? 'unicode' : 'ascii', language: shell.preferences().language });
      text.element.setContent(linesToTags(document.lines, shell.theme()));
      const target = line === undefined ? undefined : previousTotal > 0 ? Math.round((line / previousTotal) * document.lines.length) : line;
      if (target !== undefined) text.scrollToLine(target);
      updateFooter();
      shell.render();
    });
  };

  const tryIt = () => {
    if (!document || document.sandboxActions.length === 0) {
      shell.notify(shell.t('readerNoTryIt'));
      return;
    }
    saveHere();
    options.tryIt(document.sandboxActions);
  };

  /** Links in the lesson: to other lessons, to sandbox actions, to the web (shown, since we are offline). */
  const followLink = async () => {
    if (!document || document.links.length === 0) return;
    const { choose } = await import('../dialogs.js');
    const links = document.links;
    const here = text?.firstVisibleLine() ?? 0;
    const nearest = Math.max(0, links.findIndex((l) => l.line >= here));
    const { parseSandboxAction, sandboxActionCommand } = await import('../../lessons/catalog.js');
    const sandboxCommand = (action: string) => {
      const parsed = parseSandboxAction(action);
      return parsed.ok ? `$ ${sandboxActionCommand(parsed.action)}` : action;
    };
    const labels = links.map((l) => `${l.text}  → ${l.target.kind === 'lesson' ? l.target.id : l.target.kind === 'sandbox' ? sandboxCommand(l.target.action) : l.target.kind === 'url' ? l.target.url : `#${l.target.anchor}`}`);
    const picked = await choose(shell.dialogs, shell.t('keyLinks'), labels, nearest);
    const target = picked === undefined ? undefined : links[picked]?.target;
    if (!target) return;
    if (target.kind === 'lesson') {
      saveHere();
      options.openLessonById(target.id);
    } else if (target.kind === 'sandbox') {
      const parsed = parseSandboxAction(target.action);
      if (parsed.ok) options.tryIt([parsed.action]);
    } else if (target.kind === 'anchor') {
      const heading = document.headings.find((h) => h.text.toLowerCase().replace(/[^a-z0-9가-힣]+/g, '-').replace(/^-|-$/g, '') === target.anchor);
      if (heading && text) text.scrollToLine(heading.line);
      updateFooter();
    } else {
      shell.notify(target.url);
    }
  };

  /** y: a command shown on the screen onto the clipboard (asks which when several are in view). */
  const copyCommand = async () => {
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
  };

  const contentsBindings = (): Binding[] => [
    { keys: ['up', 'k'], display: '↑/k', ascii: 'Up/k', label: 'keyMove', run: () => contents?.move(-1) },
    { keys: ['down', 'j'], display: '↓/j', ascii: 'Down/j', label: 'keyMove', run: () => contents?.move(1) },
    { keys: ['enter', 'l', 'right'], display: '⏎', ascii: 'Enter', label: 'keyOpen', status: true, run: jumpToHeading },
    { keys: ['escape', 'c'], display: 'Esc', label: 'keyCloseContents', status: true, run: toggleContents },
  ];

  const view: View = {
    title: () => lesson().title,
    bindings(): Binding[] {
      const common: Binding[] = [
        { keys: ['c'], display: 'c', label: 'keyContents', status: true, run: toggleContents },
        { keys: ['n'], display: 'n', label: 'keyNext', status: true, run: () => openAt(index + 1) },
        { keys: ['p'], display: 'p', label: 'keyPrevious', run: () => openAt(index - 1) },
        { keys: ['t'], display: 't', label: 'keyTryIt', status: true, run: tryIt },
        { keys: ['/'], display: '/', label: 'keySearch', status: true, run: options.search },
        { keys: ['o'], display: 'o', label: 'keyLinks', run: followLink },
        { keys: ['y'], display: 'y', label: 'keyCopy', run: copyCommand },
      ];
      if (focus === 'contents' && contents) return [...contentsBindings(), ...common];
      return [
        { keys: ['up', 'k'], display: '↑↓', ascii: 'Up/Down', label: 'keyScroll', status: true, run: () => scroll((t) => t.scroll(-1)) },
        { keys: ['down', 'j'], display: '↓/j', label: 'keyScroll', run: () => scroll((t) => t.scroll(1)) },
        { keys: ['pageup', 'C-b', 'b'], display: 'PgUp', label: 'keyPage', run: () => scroll((t) => t.page(-1)) },
        { keys: ['pagedown', 'C-f', 'space'], display: 'PgDn', label: 'keyPage', run: () => scroll((t) => t.page(1)) },
        { keys: ['g', 'home'], display: 'g', label: 'keyTop', run: () => scroll((t) => t.top()) },
        { keys: ['S-g', 'end'], display: 'G', label: 'keyBottom', run: () => scroll((t) => t.bottom()) },
        ...common,
      ];
    },
    mount(body) {
      parent = body;
      text = scrollText(body, shell.theme(), { top: 0, left: 0, width: '100%', height: '100%-1', content: '' });
      footer = blessed.text({ parent: body, bottom: 0, left: 0, width: '100%', height: 1, tags: true, content: '' });
      const saved = context.session.lessonState(lesson().id);
      return import('../../lessons/render.js').then(({ renderLesson }) => {
        if (!text) return;
        document = renderLesson(lesson(), { width: renderWidth(), boxDrawing: shell.unicode ? 'unicode' : 'ascii', language: shell.preferences().language });
        text.element.setContent(linesToTags(document.lines, shell.theme()));
        const found = highlight ? findLine(document, highlight) : undefined;
        text.scrollToLine(found ?? saved?.line ?? 0);
        updateFooter();
        shell.render();
      });
    },
    unmount() {
      saveHere();
      contents?.element.destroy();
      text?.element.destroy();
      footer?.destroy();
      contents = undefined;
      text = undefined;
      footer = undefined;
      focus = 'text';
    },
    refresh() {
      renderInto(text?.firstVisibleLine());
    },
  };
  return view;
}

function findLine(document: RenderedDocument, query: string): number | undefined {
  const needle = query.toLowerCase();
  const index = document.lines.findIndex((line) => line.map((s) => s.text).join('').toLowerCase().includes(needle));
  return index >= 0 ? index : undefined;
}
