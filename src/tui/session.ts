import type { Preferences } from './app.js';
import type { LessonState, Session } from './context.js';

/**
 * The learner's saved state for the app. Until the progress store (src/progress) is wired in, this
 * keeps it for the length of a run.
 */

export interface OpenSessionOptions {
  profile: string;
  env: NodeJS.ProcessEnv;
  sandboxDir: string;
  lessonsDirs: string[];
  defaults: Preferences;
}

export interface OpenedSession {
  session: Session;
  preferences: Preferences;
  savePreferences(next: Preferences): void;
}

export function openSession(options: OpenSessionOptions): OpenedSession {
  const lessons = new Map<string, LessonState>();
  let last: string | undefined;
  let preferences = options.defaults;
  const session: Session = {
    profile: options.profile,
    sandboxDir: options.sandboxDir,
    lessonsDirs: options.lessonsDirs,
    lessonState: (id) => lessons.get(id),
    saveLessonPosition(id, line, percent) {
      const previous = lessons.get(id);
      lessons.set(id, { done: previous?.done ?? false, line, percent: Math.max(percent, previous?.done ? 100 : 0) });
      last = id;
    },
    markLessonDone(id) {
      const previous = lessons.get(id);
      lessons.set(id, { done: true, line: previous?.line ?? 0, percent: 100 });
    },
    lastLesson: () => last,
    takeNotice: () => undefined,
    flush() {},
  };
  return { session, preferences, savePreferences: (next) => (preferences = next) };
}
