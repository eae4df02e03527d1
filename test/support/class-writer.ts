import { joinClass, openProgressStore, recordAttempt, newAttemptId } from '../../src/progress/index.js';

/**
 * One learner of a class, in its own process: joins the class directory, then records practice runs as
 * fast as it can, each saved by the progress store (which writes the learner's summary into the class
 * directory after every save). Prints the number of runs it recorded. Used with 40 of these at once.
 *
 *   node class-writer.mjs CONFIG_DIR PROFILE CLASS_DIR NAME RUNS
 */

const [configDir, profile, classDir, name, runs] = process.argv.slice(2);
const store = openProgressStore({ dir: configDir!, profile: profile! });
store.update((progress) => joinClass(progress, { dir: classDir!, name: name!, at: Date.now() }));
for (let run = 0; run < Number(runs); run++) {
  const at = new Date().toISOString();
  store.update((progress) => recordAttempt(progress, {
    id: newAttemptId(), at, mode: 'practice', topics: ['wiring'],
    outcomes: [{ questionId: `wiring.q${run}`, topic: 'wiring', correct: run % 2 === 0 }], score: run % 2 === 0 ? 1 : 0, max: 1,
  }));
}
const warning = store.warning();
if (warning) {
  process.stderr.write(`${warning}\n`);
  process.exitCode = 1;
}
process.stdout.write(`${store.read().attempts.length}\n`);
