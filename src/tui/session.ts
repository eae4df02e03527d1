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
  const quick = quickReadProgress(file);
  const preferences: Preferences = quick?.settings
    ? { language: isAvailableLanguage(quick.settings.language) ? quick.settings.language : options.defaults.language, theme: quick.settings.theme, monochrome: quick.settings.monochrome || options.defaults.monochrome }
    : options.defaults;

  const connection = storeConnection({ profile, env: options.env, preferences }, quick);
  const { connect, change } = connection;
  const pendingPositions = new Map<string, Position>();
  let positionTimer: NodeJS.Timeout | undefined;

  /** Writes every pending reading position, in one change. */
  const flushPositions = () => {
    if (positionTimer) clearTimeout(positionTimer);
    positionTimer = undefined;
    if (pendingPositions.size === 0) return;
    const positions = [...pendingPositions];
    pendingPositions.clear();
    return import('../progress/index.js').then((module) => change(positionsChange(module, positions)));
  };

  const snapshotNow = () => connection.snapshot();
  const session: Session = {
    profile,
    sandboxDir: quick?.sandboxDir ?? options.defaultSandboxDir(profile),
    lessonsDirs: options.lessonsDirs,
    lessonState(id) {
      const saved = snapshotNow()?.lessons[id];
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
      connection.showDone(id);
    },
    lastLesson: () => lastOpened ?? snapshotNow()?.lastLesson,
    takeNotice: () => connection.takeNotice(),
    flush() {
      // on the way out: write synchronously what is still in memory
      const opened = connection.opened();
      if (!opened) return;
      const positions = [...pendingPositions];
      pendingPositions.clear();
      if (positions.length > 0) opened.store.update(positionsChange(opened.module, positions));
      opened.store.flush();
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

type ProgressModule = typeof import('../progress/index.js');
type Position = { line: number; percent: number };

/** One change that writes every pending reading position. */
function positionsChange(module: ProgressModule, positions: [string, Position][]): (progress: Progress) => Progress {
  const at = Date.now();
  return (progress) => positions.reduce((current, [lessonId, position]) => module.saveLessonPosition(current, { lessonId, ...position, at }), progress);
}

interface StoreConnection {
  /** What the screens show: the quick read until the store is open, then the store's. */
  snapshot(): Progress | undefined;
  connect(): Promise<ProgressStore>;
  /** Apply a change through the store (opening it if needed); the snapshot follows. */
  change(mutation: (progress: Progress) => Progress): void;
  /** A lesson shown done before the store confirms it. */
  showDone(id: string): void;
  takeNotice(): string | undefined;
  opened(): { store: ProgressStore; module: ProgressModule } | undefined;
}

function storeConnection(options: { profile: string; env: NodeJS.ProcessEnv; preferences: Preferences }, quick: Progress | undefined): StoreConnection {
  let snapshot = quick;
  let opened: { store: ProgressStore; module: ProgressModule } | undefined;
  let connecting: Promise<ProgressStore> | undefined;
  let notice: string | undefined;
  const connect = (): Promise<ProgressStore> =>
    (connecting ??= import('../progress/index.js').then((module) => {
      const store = module.openProgressStore({ profile: options.profile, env: options.env, defaultSettings: { ...options.preferences } });
      opened = { store, module };
      snapshot = store.read();
      notice = store.takeNotice(options.preferences.language) ?? store.warning(options.preferences.language);
      return store;
    }));
  return {
    snapshot: () => snapshot,
    connect,
    change(mutation) {
      void connect().then((store) => {
        snapshot = store.update(mutation);
        notice ??= store.warning(options.preferences.language);
      });
    },
    showDone(id) {
      if (snapshot) snapshot = { ...snapshot, lessons: { ...snapshot.lessons, [id]: { ...(snapshot.lessons[id] ?? { line: 0 }), done: true, percent: 100 } } };
    },
    takeNotice() {
      const text = notice;
      notice = undefined;
      return text;
    },
    opened: () => opened,
  };
}
