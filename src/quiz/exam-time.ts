/** How long an exam is and how many of its tasks are repairs: one rule for the CLI and the app. */

/** Exam time per question: multiple-choice tasks go faster than the CKA's. */
export const MINUTES_PER_QUESTION = 1.5;
/** A repair in the sandbox takes about as long as a CKA task (two hours for fifteen to twenty). */
export const MINUTES_PER_FIX_IT_TASK = 6;
/** In an exam with a sandbox, about one task in five is a fix-it task. */
const TASKS_PER_FIX_IT = 5;

/** How many of an exam's `count` tasks are fix-it tasks when the learner has a sandbox: at least one. */
export function fixItTaskCount(count: number): number {
  return Math.min(count, Math.max(1, Math.round(count / TASKS_PER_FIX_IT)));
}

/** The time an exam allows, in whole minutes. */
export function examMinutes(questions: number, fixItTasks: number): number {
  return Math.ceil(questions * MINUTES_PER_QUESTION + fixItTasks * MINUTES_PER_FIX_IT_TASK);
}
