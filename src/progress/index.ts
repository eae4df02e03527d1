/** Saved progress: the public surface for the CLI, the TUI and the quiz engine. */
export * from './schema.js';
export { openProgressStore } from './store.js';
export type { OpenStoreOptions, ProgressStore, ResetResult } from './store.js';
export { DEFAULT_PROFILE, CONFIG_FILE_NAME, configDir, profileDir, resolveProfile, isValidProfileName } from './location.js';
export { DamagedProgressError, NewerProgressError, MIGRATIONS, migrateToCurrent, fileVersion } from './migrations.js';
export { withFileLock, LockTimeoutError } from './lock.js';
export type { LockOptions } from './lock.js';
export {
  saveLessonPosition, markLessonDone, recordAttempt, attemptProblem, newAttemptId, updateSettings, setSandboxDir, clearProgress,
  attemptFromPractice, attemptFromExam, joinClass, leaveClass,
} from './mutations.js';
export type { Mutation } from './mutations.js';
export { summarize, wholePercent, MASTERY_WINDOW } from './summary.js';
export type { ProgressSummary, SummaryOptions, TopicMastery, ScorePoint, DueCard, LessonCompletion } from './summary.js';
export { attemptsCsv, csvField, progressReport, CSV_COLUMNS } from './export.js';
export type { ProgressReport } from './export.js';
export { localDay, dayBefore } from './days.js';
