/**
 * The columns of `kubetls progress --csv`, in order. What each holds is said in `kubetls progress
 * --help`, in the learner's language (the catalogue part help); a test holds the two to the same list.
 */
export const CSV_COLUMNS = ['attempt_id', 'finished_at', 'mode', 'topics', 'questions', 'correct', 'score', 'max', 'percent', 'passed', 'duration_s'] as const;
