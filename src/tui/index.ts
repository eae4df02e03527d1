import { join } from 'node:path';
import { kubetlsPlaces } from '../places.cjs';
import { isUtf8Locale, localeLanguage } from '../terminal/language.js';
import { BASE_LANGUAGE, languageNameInBase, needsUnicode, type Language } from '../locale/catalogue.js';
import { createShell, type AppShell, type Preferences } from './app.js';
import { lessonLoader, type AppContext } from './context.js';
import type { OpenedSession } from './session.js';
import { installLifecycle } from './lifecycle.js';
import { keysAheadOnceLearning } from './keys-ahead.js';
import { homeView, type MenuEntry } from './views/home.js';
import type { Lesson } from '../lessons/load.js';
import type { SandboxAction } from '../lessons/catalog.js';

/** `kubetls` with no command: the full-screen app. */

export interface AppConfig {
  profile: string;
  lessonsDirs: string[];
  env: NodeJS.ProcessEnv;
  start?: 'practice' | 'exam' | 'review';
  /** The teacher's table of a class directory, opened over the home screen. */
  classDir?: string;
  /** `--lang`: this run's language, over the saved setting (which a change in Settings still replaces). */
  language?: Language;
}

export function defaultPreferences(env: NodeJS.ProcessEnv): Preferences {
  return {
    language: localeLanguage(env),
    theme: 'dark',
    // https://no-color.org, and terminals that have no colour at all
    monochrome: Boolean(env['NO_COLOR']) || ['vt100', 'vt220', 'dumb'].includes(env['TERM'] ?? ''),
  };
}

export async function runApp(config: AppConfig, opened: OpenedSession): Promise<void> {
  const { shell, unreadableLanguage } = startShell(config, opened);
  const context: AppContext = { shell, session: opened.session, lessons: lessonLoader(config.lessonsDirs), progress: opened.store };
  const quiz = quizScreens(context);
  shell.open(homeView(context, homeMenu(context, quiz)));
  if (unreadableLanguage) shell.notify(shell.t('languageNeedsUtf8', { language: languageNameInBase(unreadableLanguage) }), 'bad');
  openScreensAsked(config, context, quiz);
  // the home screen is up: now open the progress store, and say so if it had to set a file aside
  setImmediate(() => void connectStore(context, opened));
}

/**
 * The shell in this run's language, saved on SIGTERM/SIGHUP. Hangul needs a UTF-8 terminal: in any
 * other locale every Korean label would be '??', Settings included, so the base language is shown and
 * the one asked for is returned to be named.
 */
function startShell(config: AppConfig, opened: OpenedSession): { shell: AppShell; unreadableLanguage?: Language } {
  const { session } = opened;
  const unicode = isUtf8Locale(config.env);
  const saved = opened.preferences;
  const wanted = config.language ?? saved.language;
  const languageUnreadable = !unicode && needsUnicode(wanted);
  const shown = languageUnreadable ? BASE_LANGUAGE : wanted;
  let lifecycle: { exit(code: number): void } | undefined;
  const shell = createShell({
    preferences: { ...saved, language: shown },
    profile: config.profile,
    unicode,
    env: config.env,
    // --lang and the fallback are for this run only: the saved language changes when the learner changes it
    onPreferencesChange: (next) => opened.savePreferences(next.language === shown ? { ...next, language: saved.language } : next),
    onQuit: () => lifecycle?.exit(0),
  });
  lifecycle = installLifecycle({
    screen: shell.screen,
    flush: () => {
      shell.prepareToQuit();
      session.flush();
    },
  });
  keysAheadOnceLearning(shell.screen, session.sandboxDir);
  return { shell, unreadableLanguage: languageUnreadable ? wanted : undefined };
}

// screens other than home are imported when first opened: start-up loads only what it draws

const opening = (context: AppContext, what: string) => context.shell.t('opening', { what });

/** The Sandbox screen's code, then its look at the sandbox (in slices: keys pressed meanwhile are answered between them). */
async function lookAheadAtSandbox(context: AppContext): Promise<void> {
  const [view, p] = await Promise.all([import('./views/sandbox.js'), import('../pki/index.js')]);
  await view.lookAtSandboxAhead(context, p);
}

function openSandbox(context: AppContext, actions: SandboxAction[] = []): Promise<void> {
  return context.shell.working(opening(context, context.shell.t('sandboxTitle')), async () => {
    const { sandboxView } = await import('./views/sandbox.js');
    context.shell.open(sandboxView(context, { actions }));
  });
}

function openLesson(context: AppContext, lessons: Lesson[], index: number, highlight?: string): Promise<void> {
  return context.shell.working(opening(context, lessons[index]?.title ?? ''), async () => {
    const { readerView } = await import('./views/reader.js');
    context.shell.open(
      readerView(context, {
        lessons,
        index,
        tryIt: (actions) => void openSandbox(context, actions),
        openLessonById: (id) => {
          const target = lessons.findIndex((lesson) => lesson.id === id);
          if (target >= 0) void openLesson(context, lessons, target);
        },
        search: () => void searchLessons(context),
        highlight,
      }),
    );
  });
}

/** The course's lessons in the language chosen now (the library loads on first use). */
async function lessonsInChosenLanguage(context: AppContext): Promise<Lesson[]> {
  const [library, { lessonsInLanguage }] = await Promise.all([context.lessons(), import('../lessons/load.js')]);
  return lessonsInLanguage(library, context.shell.preferences().language);
}

/** /: the lessons whose title, description, keywords or text hold what was typed; the one picked opens at it. */
async function searchLessons(context: AppContext): Promise<void> {
  const { shell } = context;
  const { input, choose } = await import('./dialogs.js');
  const query = await input(shell.dialogs, shell.t('searchPrompt'));
  if (!query?.trim()) return;
  const lessons = await lessonsInChosenLanguage(context);
  const needle = query.trim().toLowerCase();
  const matches = lessons
    .map((lesson, index) => ({ lesson, index }))
    .filter(({ lesson }) => [lesson.title, lesson.description, lesson.keywords.join(' '), lesson.body].some((text) => text.toLowerCase().includes(needle)));
  if (matches.length === 0) {
    shell.notify(shell.t('searchNone', { query }), 'bad');
    return;
  }
  const picked = await choose(shell.dialogs, shell.t('searchResults', { query }), matches.map(({ lesson }) => lesson.title));
  if (picked === undefined) return;
  await openLesson(context, lessons, matches[picked]!.index, query.trim());
}

async function openLessonById(context: AppContext, id: string): Promise<void> {
  const lessons = await lessonsInChosenLanguage(context);
  const index = lessons.findIndex((lesson) => lesson.id === id);
  if (index >= 0) await openLesson(context, lessons, index);
}

type QuizFlows = import('./quiz-flows.js').QuizFlows;
type PrefetchedFlow = Parameters<QuizFlows['prefetch']>[0];

/** Practice, exam, review and progress: opening one, and loading one ahead while its menu entry is selected. */
interface QuizScreens {
  open(name: Exclude<keyof QuizFlows, 'prefetch'>): () => Promise<void>;
  prefetch(name: PrefetchedFlow): () => void;
}

/** The quiz screens' code loads when one of them is first opened (or prefetched), not at start-up. */
function quizScreens(context: AppContext): QuizScreens {
  let flows: Promise<QuizFlows> | undefined;
  const loadFlows = () => (flows ??= import('./quiz-flows.js').then(({ quizFlows }) => quizFlows(context, (id) => void openLessonById(context, id))));
  return {
    open: (name) => async () => {
      const ready = await context.shell.working(context.shell.t('loadingQuestions'), loadFlows);
      await ready[name]();
    },
    prefetch: (name) => quietly(async () => (await loadFlows()).prefetch(name)),
  };
}

/** What a menu entry's screen loads, started while the entry is selected (a failure shows when it opens). */
const quietly = (load: () => Promise<unknown>) => () => void load().catch(() => undefined);

function homeMenu(context: AppContext, quiz: QuizScreens): MenuEntry[] {
  const { shell } = context;
  return [
    {
      label: 'menuLessons',
      hint: 'menuLessonsHint',
      open: () =>
        shell.working(opening(context, shell.t('lessonsTitle')), async () => {
          const { lessonsView } = await import('./views/lessons.js');
          shell.open(lessonsView(context, (lessons, index) => void openLesson(context, lessons, index), () => void searchLessons(context)));
        }),
      // the list draws from the quick course index; the library loads when it opens (not at start: memory)
      prefetch: quietly(() => import('./views/lessons.js')),
    },
    { label: 'menuSandbox', hint: 'menuSandboxHint', open: () => openSandbox(context), prefetch: quietly(() => lookAheadAtSandbox(context)) },
    { label: 'menuPractice', hint: 'menuPracticeHint', open: quiz.open('practice'), prefetch: quiz.prefetch('practice') },
    { label: 'menuExam', hint: 'menuExamHint', open: quiz.open('exam'), prefetch: quiz.prefetch('exam') },
    { label: 'menuReview', hint: 'menuReviewHint', open: quiz.open('review'), prefetch: quiz.prefetch('review') },
    { label: 'menuProgress', hint: 'menuProgressHint', open: quiz.open('progress') },
    {
      label: 'menuSettings',
      hint: 'menuSettingsHint',
      open: () =>
        shell.working(opening(context, shell.t('settingsTitle')), async () => {
          const { settingsView } = await import('./views/settings.js');
          shell.open(settingsView(context));
        }),
    },
    { label: 'menuHelp', hint: 'menuHelpHint', open: () => shell.help() },
    { label: 'menuQuit', hint: 'menuQuitHint', open: () => shell.quit() },
  ];
}

/** The screens the command line asked for, over the home screen: a class's table, a quiz flow. */
function openScreensAsked(config: AppConfig, context: AppContext, quiz: QuizScreens): void {
  const { shell } = context;
  if (config.classDir) {
    const dir = config.classDir;
    void import('./views/class.js').then(({ classView }) => shell.open(classView(context, dir)));
  }
  if (config.start) void quiz.open(config.start)().catch((error: unknown) => shell.notify(error instanceof Error ? error.message : String(error), 'bad'));
}

/** Opens the progress store; a file it had to set aside is too long for the status line, and said only once: a dialog the learner closes. */
async function connectStore(context: AppContext, opened: OpenedSession): Promise<void> {
  await opened.connect();
  const notice = context.session.takeNotice();
  if (!notice) return;
  const { showText } = await import('./dialogs.js');
  await showText(context.shell.dialogs, context.shell.t('noticeTitle'), notice);
}

/** Where a profile's sandbox lives unless the learner chose another place. */
export function defaultSandboxDir(profile: string, env: NodeJS.ProcessEnv): string {
  return join(kubetlsPlaces({ env }).data, profile, 'sandbox');
}
