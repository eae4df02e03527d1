/**
 * The quiz engine's public surface: the CLI, the TUI and progress use only this. Questions read
 * from a sandbox PKI come from `./sandbox-source.js`, imported on its own so that the certificate
 * engine loads only when a quiz asks about a sandbox.
 */
export * from './types.js';
export { courseLessonIds, courseQuizDir, loadQuestionBank, parseBankText } from './load.js';
// a topic as learners read it, for the quiz screens (the name lives in the lesson that teaches it)
export { topicName } from '../lessons/course.js';
export type { BankOptions, QuestionBank } from './load.js';
export { bankSource, gatherQuestions } from './source.js';
export type { QuestionSource, SourceQuestions } from './source.js';
export { parseDuration, pathCandidates, splitList, valueMatches, listMatches } from './normalize.js';
export { createRandom, shuffle, freshSeed, MAX_SEED } from './random.js';
export type { Random } from './random.js';
export { presentQuestion, displayedChoices, parseResponse, isCorrect, correctAnswerText, responseText, letterOf } from './present.js';
export type { PresentedQuestion, ParsedResponse } from './present.js';
export { selectQuestions } from './select.js';
export type { SelectOptions } from './select.js';
export { systemClock, manualClock } from './clock.js';
export type { Clock } from './clock.js';
export { startPractice, practiceReducer, practiceScore, currentItem, scoreOf } from './practice.js';
export type { PracticeState, PracticeAction, PracticeItem, Score } from './practice.js';
export { fixItTaskCount, examMinutes } from './exam-time.js';
export { PASS_MARK, startExam, examReducer, remainingMs, examOverview, gradeExam } from './exam.js';
export type { ExamState, ExamAction, ExamTask, ExamResult, TaskResult, GradeOptions } from './exam.js';
export {
  LEITNER_BOXES, LEITNER_INTERVAL_DAYS, recordAnswer, recordAnswers, dueQuestionIds, nextDueDate, isDue, startReview, applyPracticeRun,
} from './review.js';
export type { LeitnerCard, LeitnerDeck } from './review.js';
