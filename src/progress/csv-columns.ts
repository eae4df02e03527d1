/**
 * The columns of `kubetls progress --csv`, in order, with what each holds. A module of its own,
 * with no imports, so the command's --help can list them without loading the store.
 */
export const CSV_COLUMNS = [
  ['attempt_id', 'unique id of the attempt'],
  ['finished_at', 'when it finished, ISO 8601 in UTC'],
  ['mode', 'practice, exam or review'],
  ['topics', 'the topics it covered, separated by ";"'],
  ['questions', 'questions asked (in an exam every task, answered or not)'],
  ['correct', 'of those, answered right (or repaired)'],
  ['score', 'points earned (exams weigh questions)'],
  ['max', 'points possible'],
  ['percent', 'score as a whole percent, rounded down'],
  ['passed', 'exams: yes or no; empty otherwise'],
  ['duration_s', 'seconds taken, when known'],
] as const;
