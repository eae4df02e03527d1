import type { AppShell } from './app.js';
import type { LessonLibrary } from '../lessons/load.js';
import type { ProgressStore } from '../progress/index.js';

/**
 * What screens need beyond the shell: the learner's saved state and the core modules, each
 * imported the first time a screen asks for it so the home screen starts fast.
 */

export interface LessonState {
  done: boolean;
  /** First visible line when the learner left, and how far that was (0..100). */
  line: number;
  percent: number;
}

export interface Session {
  profile: string;
  sandboxDir: string;
  lessonsDirs: string[];
  lessonState(id: string): LessonState | undefined;
  saveLessonPosition(id: string, line: number, percent: number): void;
  markLessonDone(id: string): void;
  /** The lesson the learner opened last. */
  lastLesson(): string | undefined;
  /** A notice to show once (a damaged progress file was moved aside, the disk is read-only). */
  takeNotice(): string | undefined;
  flush(): void;
}

export interface AppContext {
  shell: AppShell;
  session: Session;
  lessons(): Promise<LessonLibrary>;
  /** The progress store, opened in the background after the home screen is drawn. */
  progress(): Promise<ProgressStore>;
}

/** Loads the lesson library once, on first use. */
export function lessonLoader(extraDirs: readonly string[]): () => Promise<LessonLibrary> {
  let pending: Promise<LessonLibrary> | undefined;
  return () => {
    pending ??= import('../lessons/load.js').then(({ loadLessons }) => loadLessons({ extraDirs }));
    return pending;
  };
}
