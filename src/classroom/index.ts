/** A class on a shared server: learners' summaries in one directory, the teacher's table and class exam. */
export { learnerSummary, isLearnerSummary, SUMMARY_VERSION } from './summary.js';
export type { LearnerSummary, LearnerIdentity, ExamScore } from './summary.js';
export {
  EXAM_FILE, assertClassDir, classDirWarning, classExamFor, currentIdentity, endClassExam, learnerFileName, publishProgress, readClassExam, readRoster, setClassExam, withdrawProgress,
} from './files.js';
export type { ClassExam, Roster } from './files.js';
export { FIXED_SORT_KEYS, classCsv, classRows, classTopics, filterRows, sortRows } from './table.js';
export type { ClassRow, SortKey } from './table.js';
