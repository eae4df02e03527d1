import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runPlainExam, runPlainQuiz } from '../src/cli/commands/quiz.js';
import * as engine from '../src/quiz/index.js';
import type { PresentedQuestion } from '../src/quiz/index.js';
import { openProgressStore, recordAttempt, type Progress } from '../src/progress/index.js';
import { removeTempDirs, runCli, tempDir } from './helpers.js';

/**
 * `kubetls quiz --plain` and `kubetls exam --plain` as a learner runs them: node bin/kubetls.cjs,
 * answers piped to stdin. The right answers are worked out here from the same seed, so the run
 * checks the whole path from bank file to Score line.
 */

const bank = engine.loadQuestionBank().questions;

/** What a learner types to answer right on this screen. */
function rightAnswer(presented: PresentedQuestion): string {
  const shown = engine.correctAnswerText(presented, 'en');
  return presented.question.type === 'single' ? (shown.split(')')[0] ?? '') : shown;
}

/** A wrong answer that is still a valid one (so it is not asked again). */
function wrongAnswer(presented: PresentedQuestion): string {
  const { question } = presented;
  if (question.type === 'text') return 'certainly not this';
  if (question.type === 'order') return rightAnswer(presented).split(' ').reverse().join(' ');
  const right = new Set(rightAnswer(presented).split(/[\s,]+/));
  const other = 'abcdefgh'.slice(0, question.choices.length).split('').find((letter) => !right.has(letter)) ?? 'a';
  return other;
}

function quizRun(args: string[], input: string, configDir: string): ReturnType<typeof runCli> {
  return runCli(args, { input, env: { KUBETLS_CONFIG_DIR: configDir, LANG: 'C.UTF-8' } });
}

function lastLine(text: string): string {
  return text.trimEnd().split('\n').pop() ?? '';
}

function assertOneLineError(result: ReturnType<typeof runCli>, pattern: RegExp): void {
  assert.is(result.status, 2, result.stderr);
  const lines = result.stderr.trimEnd().split('\n');
  assert.is(lines.length, 1, `one line, got:\n${result.stderr}`);
  assert.match(lines[0] ?? '', pattern);
  assert.not.match(result.stderr, /\n\s+at /, 'no stack trace');
}

test('quiz --plain --seed 1 --count 3: right answers score 3/3, and the attempt is saved', () => {
  const config = tempDir('kubetls-quiz-');
  const questions = engine.selectQuestions(bank, { count: 3, seed: 1 });
  const result = quizRun(['quiz', '--plain', '--seed', '1', '--count', '3'], `${questions.map(rightAnswer).join('\n')}\n`, config);
  assert.is(result.status, 0, result.stderr);
  assert.is(result.stderr, '');
  assert.is(lastLine(result.stdout), 'Score: 3/3 (100%)');
  assert.is(result.stdout.match(/^Correct\.$/gm)?.length, 3);
  for (const presented of questions) {
    assert.ok(result.stdout.includes(presented.question.prompt.en), presented.question.id);
    assert.ok(result.stdout.includes(`Read: kubetls lessons show ${presented.question.lesson}`));
  }
  const saved = JSON.parse(readFileSync(join(config, 'config.json'), 'utf8')) as Progress;
  assert.is(saved.attempts.length, 1);
  assert.equal([saved.attempts[0]?.mode, saved.attempts[0]?.score, saved.attempts[0]?.max], ['practice', 3, 3]);
  assert.equal(saved.attempts[0]?.outcomes.map((outcome) => outcome.questionId), questions.map((presented) => presented.question.id));
  assert.equal(saved.review, {}, 'nothing wrong, nothing to review');
});

test('quiz --plain: wrong answers are marked with the right one; the same seed asks the same questions', () => {
  const config = tempDir('kubetls-quiz-');
  const questions = engine.selectQuestions(bank, { count: 3, seed: 1 });
  const result = quizRun(['quiz', '--plain', '--seed', '1', '--count', '3'], `${questions.map(wrongAnswer).join('\n')}\n`, config);
  assert.is(result.status, 0, result.stderr);
  assert.is(lastLine(result.stdout), 'Score: 0/3 (0%)');
  for (const presented of questions) assert.ok(result.stdout.includes(`Wrong. The answer: ${engine.correctAnswerText(presented, 'en')}`), presented.question.id);
  const again = quizRun(['quiz', '--plain', '--seed', '1', '--count', '3'], `${questions.map(wrongAnswer).join('\n')}\n`, config);
  assert.is(again.stdout, result.stdout, 'reproducible with --seed');
  const saved = JSON.parse(readFileSync(join(config, 'config.json'), 'utf8')) as Progress;
  assert.equal(Object.keys(saved.review).sort(), questions.map((presented) => presented.question.id).sort(), 'wrong answers enter the review deck');
  assert.ok(Object.values(saved.review).every((card) => card.box === 1));
});

test('quiz --plain: a bad answer is asked again, Enter skips, and end of input stops cleanly with the rest counted wrong', () => {
  const config = tempDir('kubetls-quiz-');
  const questions = engine.selectQuestions(bank, { count: 4, seed: 5 });
  const first = questions[0];
  assert.ok(first);
  const retry = first?.question.type === 'text' ? [] : ['zz'];
  const input = [...retry, rightAnswer(first!), ''].join('\n');
  const result = quizRun(['quiz', '--plain', '--seed', '5', '--count', '4'], `${input}\n`, config);
  assert.is(result.status, 0, result.stderr);
  if (retry.length > 0) assert.match(result.stdout, /"zz" is not an answer here/);
  assert.match(result.stdout, /^Skipped\. The answer: /m);
  assert.match(result.stdout, /^Stopped at question 3 without an answer; it and the 1 question after it are not counted\.$/m);
  assert.is(lastLine(result.stdout), 'Score: 1/2 (50%)', 'out of the questions reached: one right, one skipped');
  const attempts = () => (JSON.parse(readFileSync(join(config, 'config.json'), 'utf8')) as Progress).attempts.length;
  assert.is(attempts(), 1);
  const empty = quizRun(['quiz', '--plain', '--count', '2'], '', config);
  assert.is(empty.status, 0, empty.stderr);
  assert.is(lastLine(empty.stdout), 'Score: 0/0 (0%)');
  assert.match(empty.stdout, /seed \d+ \(repeat this run with --seed \d+\)/);
  assert.is(attempts(), 1, 'a run stopped before the first question is not saved as a 0% attempt');
});

test('quiz --plain stopped with :q at question 2 says it was shown, not answered, and how many were not reached', () => {
  const config = tempDir('kubetls-quiz-');
  const questions = engine.selectQuestions(bank, { count: 3, seed: 2 });
  const stoppedAt2 = quizRun(['quiz', '--plain', '--seed', '2', '--count', '3'], `${rightAnswer(questions[0]!)}\n:q\n`, config);
  assert.is(stoppedAt2.status, 0, stoppedAt2.stderr);
  assert.match(stoppedAt2.stdout, /^Question 2\/3/m);
  assert.match(stoppedAt2.stdout, /^Stopped at question 2 without an answer; it and the 1 question after it are not counted\.$/m);
  assert.is(lastLine(stoppedAt2.stdout), 'Score: 1/1 (100%)');
  const atTheLast = quizRun(['quiz', '--plain', '--seed', '2', '--count', '3'], `${questions.slice(0, 2).map(rightAnswer).join('\n')}\n`, config);
  assert.match(atTheLast.stdout, /^Stopped at question 3 \(the last\) without an answer; it is not counted\.$/m);
  const korean = quizRun(['quiz', '--plain', '--seed', '2', '--count', '3', '--lang', 'ko'], `${rightAnswer(questions[0]!)}\n:q\n`, config);
  assert.match(korean.stdout, /^2번 문제에 답하지 않고 멈췄습니다\. 이 문제와 뒤의 1문제는 점수에 넣지 않습니다\.$/m);
  const allAnswered = quizRun(['quiz', '--plain', '--seed', '2', '--count', '3'], `${questions.map(rightAnswer).join('\n')}\n`, config);
  assert.not.match(allAnswered.stdout, /Stopped/);
});

test('quiz --plain --topic and --lang ko', () => {
  const config = tempDir('kubetls-quiz-');
  const questions = engine.selectQuestions(bank, { count: 3, seed: 4, topics: ['wiring', 'renewal'] });
  assert.ok(questions.every((presented) => ['wiring', 'renewal'].includes(presented.question.topic)));
  const result = quizRun(['quiz', '--plain', '--topic', 'wiring,renewal', '--seed', '4', '--count', '3', '--lang', 'ko'], `${questions.map(rightAnswer).join('\n')}\n`, config);
  assert.is(result.status, 0, result.stderr);
  for (const presented of questions) assert.ok(result.stdout.includes(presented.question.prompt["ko"] ?? "missing"));
  assert.is(result.stdout.match(/^정답입니다\.$/gm)?.length, 3);
  assert.is(lastLine(result.stdout), '점수: 3/3 (100%)');
});

test('quiz --plain --review asks the questions that are due, and says when nothing is', () => {
  const config = tempDir('kubetls-quiz-');
  const nothing = quizRun(['quiz', '--plain', '--review'], '', config);
  assert.is(nothing.status, 0, nothing.stderr);
  assert.match(nothing.stdout, /Nothing to review/);
  assert.is(lastLine(nothing.stdout), 'Score: 0/0 (0%)');
  // two questions answered wrong three days ago are due now
  const [due1, due2] = [bank[0], bank[1]];
  const store = openProgressStore({ dir: config, env: {} });
  const threeDaysAgo = new Date(Date.now() - 3 * 24 * 60 * 60 * 1000).toISOString();
  store.update((progress) =>
    recordAttempt(progress, {
      id: 'earlier',
      at: threeDaysAgo,
      mode: 'practice',
      topics: [due1?.topic ?? '', due2?.topic ?? ''],
      outcomes: [due1, due2].map((question) => ({ questionId: question?.id ?? '', topic: question?.topic ?? '', correct: false })),
      score: 0,
      max: 2,
    }),
  );
  const deck = store.read().review;
  const review = engine.startReview(deck, bank, { now: Date.now(), seed: 8 });
  assert.is(review.items.length, 2);
  const result = quizRun(['quiz', '--plain', '--review', '--seed', '8'], `${review.items.map((item) => rightAnswer(item.presented)).join('\n')}\n`, config);
  assert.is(result.status, 0, result.stderr);
  assert.match(result.stdout, /kubetls review: 2 questions due/);
  assert.is(lastLine(result.stdout), 'Score: 2/2 (100%)');
  const after = store.read();
  assert.equal([after.review[due1?.id ?? '']?.box, after.review[due2?.id ?? '']?.box], [2, 2], 'right when due: up to box 2');
  assert.is(after.attempts.at(-1)?.mode, 'review');
});

test('exam --plain: weighted tasks, navigation commands, the overview, a review of every task, PASS and Score', () => {
  const config = tempDir('kubetls-exam-');
  const tasks = engine.selectQuestions(bank, { count: 4, seed: 11, spreadTopics: true });
  // answer task 1 wrong, flag task 2 and skip it, answer 3 and 4, then go back to 1 and 2 from the overview
  const input = [wrongAnswer(tasks[0]!), ':flag', '', rightAnswer(tasks[2]!), rightAnswer(tasks[3]!), '1', rightAnswer(tasks[0]!), '2', rightAnswer(tasks[1]!), ''].join('\n');
  const result = quizRun(['exam', '--plain', '--seed', '11', '--count', '4', '--minutes', '30'], `${input}\n`, config);
  assert.is(result.status, 0, result.stderr);
  assert.match(result.stdout, /^kubetls exam: 4 tasks, 30 minutes, pass mark 66%, seed 11$/m);
  assert.match(result.stdout, /Flagged for review\./);
  assert.match(result.stdout, /Answered 3 of 4\. \d\d:\d\d left\.\nUnanswered: 2\nFlagged: 2/);
  assert.match(result.stdout, /^Submitted\.$/m);
  const weights = tasks.map((presented) => presented.question.weight);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  assert.is(result.stdout.match(/^✓ Task \d/gm)?.length, 4, 'every task reviewed, all right in the end');
  assert.match(result.stdout, /Result: PASS - 100% against a pass mark of 66%/);
  assert.is(lastLine(result.stdout), `Score: ${total}/${total} (100%)`);
  const saved = JSON.parse(readFileSync(join(config, 'config.json'), 'utf8')) as Progress;
  assert.equal([saved.attempts[0]?.mode, saved.attempts[0]?.score, saved.attempts[0]?.max, saved.attempts[0]?.passed], ['exam', total, total, true]);
});

test('exam --plain: end of input submits; unanswered tasks score nothing and fail', () => {
  const config = tempDir('kubetls-exam-');
  const tasks = engine.selectQuestions(bank, { count: 3, seed: 2, spreadTopics: true });
  const result = quizRun(['exam', '--plain', '--seed', '2', '--count', '3', '--lang', 'ko'], `${rightAnswer(tasks[0]!)}\n`, config);
  assert.is(result.status, 0, result.stderr);
  assert.match(result.stdout, /입력이 끝나 제출합니다\./);
  const total = tasks.reduce((sum, presented) => sum + presented.question.weight, 0);
  const earned = tasks[0]?.question.weight ?? 0;
  assert.match(result.stdout, /결과: 불합격/);
  assert.is(lastLine(result.stdout), `점수: ${earned}/${total} (${Math.floor((earned / total) * 100)}%)`);
});

test('exam in line mode ends at the deadline while waiting for an answer', async () => {
  const input = new PassThrough();
  const output: string[] = [];
  const tasks = engine.selectQuestions(bank, { count: 2, seed: 3, spreadTopics: true });
  const started = Date.now();
  const { result } = await runPlainExam({
    engine,
    questions: tasks,
    lang: 'en',
    seed: 3,
    minutes: 0.002, // 120 ms
    input,
    output: { write: (text: string) => output.push(text) },
    clock: engine.systemClock,
  });
  input.end();
  const elapsed = Date.now() - started;
  assert.ok(elapsed >= 100 && elapsed < 5000, `${elapsed} ms`);
  assert.is(result.endedBy, 'time-up');
  assert.is(result.earned, 0);
  const text = output.join('');
  assert.match(text, /Time is up\./);
  assert.match(text, /Result: FAIL - 0%/);
  assert.match(text.trimEnd().split('\n').pop() ?? '', /^Score: 0\/\d+ \(0%\)$/);
});

test('practice in line mode with an injected clock records when each answer came', async () => {
  const input = new PassThrough();
  const clock = engine.manualClock(5_000);
  const [question] = engine.selectQuestions(bank, { count: 1, seed: 6 });
  const output: string[] = [];
  const running = runPlainQuiz({ engine, questions: [question!], lang: 'en', seed: 6, input, output: { write: (text: string) => output.push(text) }, clock });
  clock.advance(1_500);
  input.end(`${rightAnswer(question!)}\n`);
  const { state, score } = await running;
  assert.equal(score, { correct: 1, total: 1, percent: 100 });
  assert.is(state.items[0]?.outcome?.at, 6_500);
  assert.is(state.finishedAt, 6_500);
});

test('line mode keeps the run before it prints the score: a score on screen is one that was saved', async () => {
  const [question] = engine.selectQuestions(bank, { count: 1, seed: 6 });
  const output: string[] = [];
  const order: string[] = [];
  const input = new PassThrough();
  input.end(`${rightAnswer(question!)}\n`);
  await runPlainQuiz({
    engine, questions: [question!], lang: 'en', seed: 6, input,
    output: { write: (text: string) => void output.push(text) },
    save: async () => void order.push(output.join('').includes('Score:') ? 'saved after the score' : 'saved'),
  });
  assert.equal(order, ['saved']);
  const examInput = new PassThrough();
  examInput.end(`${rightAnswer(question!)}\n:submit\ny\n`);
  const examOutput: string[] = [];
  await runPlainExam({
    engine, questions: [question!], lang: 'en', seed: 6, minutes: 5, input: examInput, clock: engine.systemClock,
    output: { write: (text: string) => void examOutput.push(text) },
    save: async () => void order.push(examOutput.join('').includes('Score:') ? 'exam saved after the score' : 'exam saved'),
  });
  assert.equal(order, ['saved', 'exam saved']);
});

test('bad flags get one line and exit 2; without --plain the full-screen app opens (so it needs a terminal)', () => {
  const config = tempDir('kubetls-quiz-');
  assertOneLineError(quizRun(['quiz'], '', config), /^kubetls: the full-screen app needs a terminal/);
  assertOneLineError(quizRun(['exam'], '', config), /^kubetls: the full-screen app needs a terminal/);
  assertOneLineError(quizRun(['quiz', '--count', '3'], '', config), /^kubetls: --count works in line mode \(add --plain/);
  assertOneLineError(quizRun(['quiz', '--plain', '--count', 'abc'], '', config), /^kubetls: --count must be a whole number of at least 1, not "abc"$/);
  assertOneLineError(quizRun(['quiz', '--plain', '--count', '0'], '', config), /--count/);
  assertOneLineError(quizRun(['quiz', '--plain', '--seed', '-1'], '', config), /--seed must be a whole number from 0 to 4294967295/);
  assertOneLineError(quizRun(['quiz', '--plain', '--lang', 'fr'], '', config), /^kubetls: --lang must be en or ko, not "fr"$/);
  assertOneLineError(quizRun(['quiz', '--plain', '--topic', 'tls'], '', config), /^kubetls: --topic "tls" is not a topic \(topics: zero-trust, /);
  assertOneLineError(quizRun(['exam', '--plain', '--minutes', '0'], '', config), /--minutes must be a number of minutes above 0/);
  assertOneLineError(quizRun(['exam', '--plain', '--minutes', 'soon'], '', config), /--minutes/);
  assertOneLineError(quizRun(['quiz', '--plain', '--colour'], '', config), /unknown option '--colour'/);
  assertOneLineError(quizRun(['--profile', 'Bad Name', 'quiz', '--plain'], '', config), /invalid profile name/);
});

test.after(() => removeTempDirs());

test.run();
