import { join } from 'node:path';
import type { Preferences } from './app.js';
import type { LessonState, Session } from './context.js';
import type { Progress, ProgressStore } from '../progress/index.js';
import { CONFIG_FILE_NAME, configDir, profileDir, resolveProfile } from '../progress/location.js';
import { quickReadProgress } from '../progress/quick-read.js';
import { isAvailableLanguage } from '../locale/catalogue.js';

/**
 * The learner's saved state for the app, on the progress store (src/progress). The store (conf and
 * its schema validator) takes longer to load than the whole home screen, so the first screen is
 * drawn from a plain read of the file and the store is opened right after; every change goes
 * through it, merged under its lock with whatever another kubetls process wrote meanwhile.
 */

export interface OpenSessionOptions {
  profile: string | undefined;
  env: NodeJS.ProcessEnv;
  defaultSandboxDir(profile: string): string;
  lessonsDirs: string[];
  defaults: Preferences;
}

export interface OpenedSession {
  session: Session;
  preferences: Preferences;
  savePreferences(next: Preferences): void;
  /** Opens the store in the background; call once the first screen is up. */
  connect(): Promise<void>;
  /** The store, once connected (the quiz screens record attempts with it). */
  store(): Promise<ProgressStore>;
}

/** How long a reading position may wait in memory before it is written (it is also written on leaving). */
const POSITION_SAVE_DELAY_MS = 2000;

export function openSession(options: OpenSessionOptions): OpenedSession {
  const profile = resolveProfile({ flag: options.profile, env: options.env });
  const file = join(profileDir(configDir({ env: options.env }), profile), CONFIG_FILE_NAME);
  let snapshot = quickReadProgress(file);
  const preferences: Preferences = snapshot?.settings
    ? { language: isAvailableLanguage(snapshot.settings.language) ? snapshot.settings.language : options.defaults.language, theme: snapshot.settings.theme, monochrome: snapshot.settings.monochrome || options.defaults.monochrome }
    : options.defaults;

  let store: ProgressStore | undefined;
  let progressModule: typeof import('../progress/index.js') | undefined;
  let connecting: Promise<ProgressStore> | undefined;
  let notice: string | undefined;
  const pendingPositions = new Map<string, { line: number; percent: number }>();
  let positionTimer: NodeJS.Timeout | undefined;

  const connect = (): Promise<ProgressStore> =>
    (connecting ??= import('../progress/index.js').then((module) => {
      progressModule = module;
      store = module.openProgressStore({ profile, env: options.env, defaultSettings: { ...preferences } });
      snapshot = store.read();
      notice = store.takeNotice() ?? store.warning();
      return store;
    }));

  /** Apply a change through the store (opening it if needed); the snapshot follows. */
  const change = (mutation: (progress: Progress) => Progress) => {
    void connect().then((opened) => {
      snapshot = opened.update(mutation);
      notice ??= opened.warning();
    });
  };

  /** One change that writes every pending reading position. */
  const positionsChange = (module: typeof import('../progress/index.js'), positions: [string, { line: number; percent: number }][]) => {
    const at = Date.now();
    return (progress: Progress) => positions.reduce((current, [lessonId, position]) => module.saveLessonPosition(current, { lessonId, ...position, at }), progress);
  };

  const flushPositions = () => {
    if (positionTimer) clearTimeout(positionTimer);
    positionTimer = undefined;
    if (pendingPositions.size === 0) return;
    const positions = [...pendingPositions];
    pendingPositions.clear();
    return import('../progress/index.js').then((module) => change(positionsChange(module, positions)));
  };

  const session: Session = {
    profile,
    sandboxDir: snapshot?.sandboxDir ?? options.defaultSandboxDir(profile),
    lessonsDirs: options.lessonsDirs,
    lessonState(id) {
      const saved = snapshot?.lessons[id];
      const pending = pendingPositions.get(id);
      if (!saved && !pending) return undefined;
      // how far read: the furthest point, as the store keeps it
      const state: LessonState = { done: saved?.done ?? false, line: pending?.line ?? saved?.line ?? 0, percent: saved?.done ? 100 : Math.max(pending?.percent ?? 0, saved?.percent ?? 0) };
      return state;
    },
    saveLessonPosition(id, line, percent) {
      pendingPositions.set(id, { line, percent: Math.max(percent, pendingPositions.get(id)?.percent ?? 0) });
      lastOpened = id;
      positionTimer ??= setTimeout(() => void flushPositions(), POSITION_SAVE_DELAY_MS);
      positionTimer.unref();
    },
    markLessonDone(id) {
      void flushPositions();
      lastOpened = id;
      void import('../progress/index.js').then(({ markLessonDone }) => change((progress) => markLessonDone(progress, { lessonId: id, at: Date.now() })));
      // shown at once; the store confirms it a moment later
      if (snapshot) snapshot = { ...snapshot, lessons: { ...snapshot.lessons, [id]: { ...(snapshot.lessons[id] ?? { line: 0 }), done: true, percent: 100 } } };
    },
    lastLesson: () => lastOpened ?? snapshot?.lastLesson,
    takeNotice() {
      const text = notice;
      notice = undefined;
      return text;
    },
    flush() {
      // on the way out: write synchronously what is still in memory
      if (!store || !progressModule) return;
      const positions = [...pendingPositions];
      pendingPositions.clear();
      if (positions.length > 0) store.update(positionsChange(progressModule, positions));
      store.flush();
    },
  };
  let lastOpened: string | undefined;

  return {
    session,
    preferences,
    savePreferences(next) {
      void import('../progress/index.js').then(({ updateSettings }) => change((progress) => updateSettings(progress, next)));
    },
    connect: async () => {
      await connect();
    },
    store: connect,
  };
}

