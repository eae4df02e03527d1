import { join } from 'node:path';
import { kubetlsPlaces } from '../places.cjs';
import { isUtf8Locale, localeLanguage } from '../terminal/language.js';
import { BASE_LANGUAGE, languageNameInBase, needsUnicode, type Language } from '../locale/catalogue.js';
import { createShell, type Preferences } from './app.js';
import { lessonLoader, type AppContext } from './context.js';
import type { OpenedSession } from './session.js';
import { installLifecycle } from './lifecycle.js';
import { keysAheadOnceLearning } from './keys-ahead.js';
import { homeView } from './views/home.js';
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
  const { session } = opened;
  const unicode = isUtf8Locale(config.env);

  // Hangul needs a UTF-8 terminal: in any other locale every Korean label would be '??', Settings included
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

  const context: AppContext = { shell, session, lessons: lessonLoader(config.lessonsDirs), progress: opened.store };

  // screens other than home are imported when first opened: start-up loads only what it draws
  const opening = (what: string) => shell.t('opening', { what });
  const openSandbox = (actions: SandboxAction[] = []) =>
    shell.working(opening(shell.t('sandboxTitle')), async () => {
      const { sandboxView } = await import('./views/sandbox.js');
      shell.open(sandboxView(context, { actions }));
    });
  const openLesson = (lessons: Lesson[], index: number, highlight?: string): Promise<void> =>
    shell.working(opening(lessons[index]?.title ?? ''), async () => {
      const { readerView } = await import('./views/reader.js');
      shell.open(
        readerView(context, {
          lessons,
          index,
          tryIt: (actions) => void openSandbox(actions),
          openLessonById: (id) => {
            const target = lessons.findIndex((lesson) => lesson.id === id);
            if (target >= 0) void openLesson(lessons, target);
          },
          search: () => void search(),
          highlight,
        }),
      );
    });

  const search = async () => {
    const { input, choose } = await import('./dialogs.js');
    const query = await input(shell.dialogs, shell.t('searchPrompt'));
    if (!query?.trim()) return;
    const [library, { lessonsInLanguage }] = await Promise.all([context.lessons(), import('../lessons/load.js')]);
    const lessons = lessonsInLanguage(library, shell.preferences().language);
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
    await openLesson(lessons, matches[picked]!.index, query.trim());
  };

  const openLessonById = async (id: string) => {
    const [library, { lessonsInLanguage }] = await Promise.all([context.lessons(), import('../lessons/load.js')]);
    const lessons = lessonsInLanguage(library, shell.preferences().language);
    const index = lessons.findIndex((lesson) => lesson.id === id);
    if (index >= 0) await openLesson(lessons, index);
  };
  // the quiz screens' code loads when one of them is first opened, not at start-up
  let flows: Promise<import('./quiz-flows.js').QuizFlows> | undefined;
  const loadFlows = () => (flows ??= import('./quiz-flows.js').then(({ quizFlows }) => quizFlows(context, (id) => void openLessonById(id))));
  const quiz = (name: Exclude<keyof import('./quiz-flows.js').QuizFlows, 'prefetch'>) => async () => {
    const ready = await shell.working(shell.t('loadingQuestions'), loadFlows);
    await ready[name]();
  };
  // what a menu entry's screen loads, started while the entry is selected (a failure shows when it opens)
  const quietly = (load: () => Promise<unknown>) => () => void load().catch(() => undefined);
  const prefetchFlow = (name: 'practice' | 'exam' | 'review') => quietly(async () => (await loadFlows()).prefetch(name));

  shell.open(
    homeView(context, [
      {
        label: 'menuLessons',
        hint: 'menuLessonsHint',
        open: () =>
          shell.working(opening(shell.t('lessonsTitle')), async () => {
            const { lessonsView } = await import('./views/lessons.js');
            shell.open(lessonsView(context, (lessons, index) => void openLesson(lessons, index), () => void search()));
          }),
        // the list draws from the quick course index; the library loads when it opens (not at start: memory)
        prefetch: quietly(() => import('./views/lessons.js')),
      },
      { label: 'menuSandbox', hint: 'menuSandboxHint', open: () => openSandbox(), prefetch: quietly(() => Promise.all([import('./views/sandbox.js'), import('../pki/index.js')])) },
      { label: 'menuPractice', hint: 'menuPracticeHint', open: quiz('practice'), prefetch: prefetchFlow('practice') },
      { label: 'menuExam', hint: 'menuExamHint', open: quiz('exam'), prefetch: prefetchFlow('exam') },
      { label: 'menuReview', hint: 'menuReviewHint', open: quiz('review'), prefetch: prefetchFlow('review') },
      { label: 'menuProgress', hint: 'menuProgressHint', open: quiz('progress') },
      {
        label: 'menuSettings',
        hint: 'menuSettingsHint',
        open: () =>
          shell.working(opening(shell.t('settingsTitle')), async () => {
            const { settingsView } = await import('./views/settings.js');
            shell.open(settingsView(context));
          }),
      },
      { label: 'menuHelp', hint: 'menuHelpHint', open: () => shell.help() },
      { label: 'menuQuit', hint: 'menuQuitHint', open: () => shell.quit() },
    ]),
  );
  if (languageUnreadable) shell.notify(shell.t('languageNeedsUtf8', { language: languageNameInBase(wanted) }), 'bad');
  if (config.classDir) {
    const dir = config.classDir;
    void import('./views/class.js').then(({ classView }) => shell.open(classView(context, dir)));
  }
  if (config.start) void quiz(config.start)().catch((error: unknown) => shell.notify(error instanceof Error ? error.message : String(error), 'bad'));
  // the home screen is up: now open the progress store, and say so if it had to set a file aside
  setImmediate(() => {
    void opened.connect().then(async () => {
      const notice = session.takeNotice();
      if (!notice) return;
      // too long for the status line, and said only once: a dialog the learner closes
      const { showText } = await import('./dialogs.js');
      await showText(shell.dialogs, shell.t('noticeTitle'), notice);
    });
  });
}

/** Where a profile's sandbox lives unless the learner chose another place. */
export function defaultSandboxDir(profile: string, env: NodeJS.ProcessEnv): string {
  return join(kubetlsPlaces({ env }).data, profile, 'sandbox');
}
