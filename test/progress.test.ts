import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  CSV_COLUMNS, DamagedProgressError, MIGRATIONS, MASTERY_WINDOW, NewerProgressError, PROGRESS_JSON_SCHEMA, REQUIRED_PROPERTIES, SCHEMA_VERSION,
  attemptFromExam, attemptFromPractice, attemptsCsv, clearProgress, csvField, dayBefore, emptyProgress, fileVersion, localDay, markLessonDone,
  migrateToCurrent, progressReport, recordAttempt, saveLessonPosition, setSandboxDir, summarize, updateSettings,
  type AttemptRecord, type Progress,
} from '../src/progress/index.js';
import { KubetlsError } from '../src/errors.js';
import {
  createRandom, examReducer, gradeExam, loadQuestionBank, practiceReducer, presentQuestion, startExam, startPractice, type Question,
} from '../src/quiz/index.js';

/** src/progress without files: migrations, changes, the Leitner bookkeeping, summaries, exports. */

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/progress/', import.meta.url));
const DAY = 24 * 60 * 60 * 1000;

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(`${FIXTURES}${name}`, 'utf8'));
}

function sample(): Progress {
  return fixture('v1-sample.json') as Progress;
}

function attempt(overrides: Partial<AttemptRecord> & { id: string; at: string }): AttemptRecord {
  return { mode: 'practice', topics: ['wiring'], outcomes: [], score: 0, max: 0, ...overrides };
}

function catchError(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error, but it ran');
}

test('schema: the defaults, the types and the JSON Schema name the same properties', () => {
  const empty = emptyProgress();
  assert.is(empty.schemaVersion, SCHEMA_VERSION);
  assert.equal(Object.keys(empty).sort(), [...REQUIRED_PROPERTIES].sort());
  for (const key of Object.keys(sample())) assert.ok(key in PROGRESS_JSON_SCHEMA, `${key} is in the JSON Schema`);
  for (const key of REQUIRED_PROPERTIES) assert.ok(key in PROGRESS_JSON_SCHEMA, `${key} is in the JSON Schema`);
  // defaults are copies: changing one store's settings does not change the next one's
  empty.settings.language = 'ko';
  assert.is(emptyProgress().settings.language, 'en');
});

test('migrations: one step per version up to the current one, applied in order', () => {
  for (let version = 1; version <= SCHEMA_VERSION; version++) assert.type(MIGRATIONS[version], 'function', `a step to schema ${version}`);
  assert.is(fileVersion({}), 0);
  assert.is(fileVersion({ schemaVersion: 1 }), 1);
  for (const bad of [[1], null, 'text', 7]) assert.instance(catchError(() => fileVersion(bad)), DamagedProgressError);
  for (const bad of [1.5, -1, '1']) assert.match(catchError(() => fileVersion({ schemaVersion: bad })).message, /schemaVersion .* is not a whole number/);
  const newer = catchError(() => migrateToCurrent(fixture('v2-future.json')));
  assert.instance(newer, NewerProgressError);
  assert.match(newer.message, /newer kubetls \(progress schema 2; this one knows 1\)/);
  // a current file goes through unchanged
  assert.equal(migrateToCurrent(sample()), sample());
});

test('migrations: every version-0 fixture becomes a whole version-1 store', () => {
  const earlier = readdirSync(FIXTURES).filter((name) => /^v0-.*\.json$/.test(name));
  assert.ok(earlier.length >= 2, 'fixtures of the unversioned shape');
  for (const name of earlier) {
    const migrated = migrateToCurrent(fixture(name));
    assert.is(migrated['schemaVersion'], 1, name);
    for (const key of REQUIRED_PROPERTIES) assert.ok(key in migrated, `${name}: ${key}`);
  }
  assert.equal(migrateToCurrent(fixture('v0-session.json')), {
    schemaVersion: 1,
    lessons: { 'zero-trust': { done: true, line: 120, percent: 100 }, 'cluster-ca': { done: false, line: 42, percent: 35.5 } },
    lastLesson: 'cluster-ca',
    attempts: [],
    review: {},
    studyDays: [],
    settings: { language: 'ko', theme: 'light', monochrome: true },
  });
  // values the app never wrote fall back to defaults instead of failing the whole file
  assert.equal(migrateToCurrent({ preferences: { language: 'fr', theme: 7 } })['settings'], { language: 'en', theme: 'dark', monochrome: false });
});

test('lessons: the position is kept, done is kept with its first date, and both count as study days', () => {
  const monday = new Date(2025, 2, 3, 9, 0).getTime();
  let progress = saveLessonPosition(emptyProgress(), { lessonId: 'wiring', line: 57.8, percent: 130, at: monday });
  assert.equal(progress.lessons['wiring'], { done: false, line: 57, percent: 100, lastReadAt: new Date(monday).toISOString() });
  assert.is(progress.lastLesson, 'wiring');
  progress = markLessonDone(progress, { lessonId: 'wiring', at: monday + DAY });
  progress = markLessonDone(progress, { lessonId: 'wiring', at: monday + 2 * DAY });
  assert.is(progress.lessons['wiring']!.doneAt, new Date(monday + DAY).toISOString(), 'the first time it was done');
  // scrolling back up in a finished lesson does not undo it
  progress = saveLessonPosition(progress, { lessonId: 'wiring', line: 3, percent: 5, at: monday + 2 * DAY });
  assert.equal([progress.lessons['wiring']!.done, progress.lessons['wiring']!.percent, progress.lessons['wiring']!.line], [true, 100, 3]);
  assert.equal(progress.studyDays, ['2025-03-03', '2025-03-04', '2025-03-05']);
  // a screen that divides by zero does not poison the file
  const odd = saveLessonPosition(emptyProgress(), { lessonId: 'kubeconfig', line: Number.NaN, percent: Number.POSITIVE_INFINITY, at: monday });
  assert.equal([odd.lessons['kubeconfig']!.line, odd.lessons['kubeconfig']!.percent], [0, 0]);
  // how far read is the furthest point: scrolling back up keeps it, the line follows the learner
  let reading = saveLessonPosition(emptyProgress(), { lessonId: 'renewal', line: 120, percent: 85, at: monday });
  reading = saveLessonPosition(reading, { lessonId: 'renewal', line: 10, percent: 8, at: monday });
  assert.equal([reading.lessons['renewal']!.line, reading.lessons['renewal']!.percent], [10, 85]);
});

test('attempts: recorded once per id, checked, and every outcome moves its Leitner card', () => {
  const start = Date.parse('2025-03-01T08:00:00.000Z');
  const wrong = attempt({ id: 'p1', at: new Date(start).toISOString(), outcomes: [{ questionId: 'q1', topic: 'wiring', correct: false }], max: 1 });
  let progress = recordAttempt(emptyProgress(), wrong);
  assert.equal(progress.review['q1'], { box: 1, due: new Date(start + DAY).toISOString(), streak: 0 });
  assert.is(recordAttempt(progress, wrong), progress, 'the same id again changes nothing');
  // right but early: the card waits; right when due: up a box, streak 1
  const right = (id: string, at: number) => attempt({ id, at: new Date(at).toISOString(), outcomes: [{ questionId: 'q1', topic: 'wiring', correct: true }], score: 1, max: 1 });
  progress = recordAttempt(progress, right('p2', start + DAY / 2));
  assert.equal(progress.review['q1'], { box: 1, due: new Date(start + DAY).toISOString(), streak: 0 });
  progress = recordAttempt(progress, right('p3', start + DAY));
  assert.equal(progress.review['q1'], { box: 2, due: new Date(start + 3 * DAY).toISOString(), streak: 1 });
  // up through the boxes (2, 4, 8, 16 days) and out of the deck after box 5
  let at = start + 3 * DAY;
  for (const [box, wait] of [[3, 4], [4, 8], [5, 16]] as const) {
    progress = recordAttempt(progress, right(`box${box}`, at));
    assert.is(progress.review['q1']!.box, box);
    assert.is(progress.review['q1']!.streak, box - 1);
    at += wait * DAY;
  }
  progress = recordAttempt(progress, right('graduate', at));
  assert.is(progress.review['q1'], undefined, 'right five times in a row, spread out: learned');
  assert.is(progress.attempts.length, 7);

  for (const [bad, message] of [
    [{ ...wrong, id: 'x', score: 2 }, /attempt x: score 2 is more than max 1/],
    [{ ...wrong, id: 'y', at: 'yesterday' }, /attempt y: "at" is not an ISO 8601 time/],
    [{ ...wrong, id: 'z', mode: 'quiz' }, /mode "quiz" is not one of practice, exam, review/],
    [{ ...wrong, id: '' }, /it has no id/],
    [{ ...wrong, id: 's', score: '1' }, /attempt s: score and max must be numbers, 0 or more/],
    [{ ...wrong, id: 'd', durationMs: -5 }, /attempt d: durationMs must be a number/],
    [{ ...wrong, id: 'p', passed: 'yes' }, /attempt p: passed must be true or false/],
    [{ ...wrong, id: 'w', outcomes: [{ questionId: '', topic: 'wiring', correct: true }] }, /every outcome needs a questionId and a topic/],
  ] as const) {
    const error = catchError(() => recordAttempt(emptyProgress(), bad as unknown as AttemptRecord));
    assert.instance(error, KubetlsError);
    assert.match(error.message, /^cannot record a quiz attempt: /);
    assert.match(error.message, message);
  }
});

test("attempts: replaying the sample's attempts rebuilds its review deck", () => {
  const stored = sample();
  const replayed = [...stored.attempts]
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
    .reduce((progress, record) => recordAttempt(progress, record), emptyProgress());
  assert.equal(replayed.review, stored.review);
});

test('attempts from the quiz engine: a practice run and a graded exam', () => {
  const bank = loadQuestionBank();
  const [first, second, third] = bank.questions.filter((question): question is Question & { type: 'text' } => question.topic === 'wiring' && question.type === 'text');
  assert.ok(first && second && third, 'three typed-answer wiring questions in the bank');
  const random = createRandom(7);
  const presented = [first, second, third].map((question) => presentQuestion(question, random));
  const t0 = Date.parse('2025-03-10T09:00:00.000Z');
  let run = startPractice(presented, t0);
  run = practiceReducer(run, { type: 'answer', response: { kind: 'text', value: first.accepted[0]![0]! } }, t0 + 20_000);
  run = practiceReducer(run, { type: 'next' }, t0 + 25_000);
  run = practiceReducer(run, { type: 'skip' }, t0 + 30_000);
  run = practiceReducer(run, { type: 'finish' }, t0 + 31_000);
  const practice = attemptFromPractice(run, { id: 'run-1' });
  assert.equal(practice, {
    id: 'run-1',
    at: '2025-03-10T09:00:31.000Z',
    mode: 'practice',
    topics: ['wiring'],
    outcomes: [{ questionId: first.id, topic: 'wiring', correct: true }, { questionId: second.id, topic: 'wiring', correct: false }],
    // the question never reached counts neither way (the run was left early); the skip counts as wrong
    score: 1,
    max: 2,
    durationMs: 31_000,
  });

  let exam = startExam(presented, { now: t0, durationMs: 3_600_000 });
  exam = examReducer(exam, { type: 'answer', response: { kind: 'text', value: first.accepted[0]![0]! } }, t0 + 1000);
  exam = examReducer(exam, { type: 'submit' }, t0 + 600_000);
  const graded = attemptFromExam(gradeExam(exam), { startedAt: t0, id: 'exam-1' });
  assert.is(graded.at, '2025-03-10T09:10:00.000Z');
  assert.is(graded.mode, 'exam');
  assert.is(graded.max, first.weight + second.weight + third.weight);
  assert.is(graded.score, first.weight);
  assert.is(graded.passed, false);
  assert.equal(graded.outcomes.map((outcome) => outcome.correct), [true], 'unanswered tasks move neither mastery nor the review deck');
  assert.ok(attemptFromPractice(run).id !== attemptFromPractice(run).id, 'fresh ids when none is given');
  // both are accepted by the store's checks
  recordAttempt(recordAttempt(emptyProgress(), practice), graded);
});

test('settings, the sandbox place, and a reset that keeps them', () => {
  let progress = updateSettings(sample(), { language: 'ko' });
  assert.equal(progress.settings, { language: 'ko', theme: 'dark', monochrome: false });
  progress = setSandboxDir(progress, '/srv/lab');
  assert.is(progress.sandboxDir, '/srv/lab');
  const cleared = clearProgress(progress);
  assert.equal(cleared, { ...emptyProgress({ language: 'ko', theme: 'dark', monochrome: false }), sandboxDir: '/srv/lab' });
  assert.not.ok('sandboxDir' in setSandboxDir(progress, undefined));
});

test('days: local calendar days, across month, year and leap-day boundaries', () => {
  assert.is(localDay(new Date(2025, 0, 31, 23, 59).getTime()), '2025-01-31');
  assert.is(localDay(new Date(2025, 1, 1, 0, 0).getTime()), '2025-02-01');
  assert.is(dayBefore('2025-03-01'), '2025-02-28');
  assert.is(dayBefore('2024-03-01'), '2024-02-29');
  assert.is(dayBefore('2025-01-01'), '2024-12-31');
});

test('summary: completion, scores over time, attempts by mode', () => {
  const summary = summarize(sample(), { now: Date.parse('2025-03-03T12:00:00.000Z') });
  assert.equal([summary.completion.done, summary.completion.total, summary.completion.percent], [2, 12, 16]);
  assert.equal(summary.completion.lessons.slice(0, 3), [
    { id: 'zero-trust', done: true, percent: 100, doneAt: '2025-03-01T09:00:00.000Z' },
    { id: 'certificate-basics', done: true, percent: 100, doneAt: '2025-03-02T09:00:00.000Z' },
    { id: 'cluster-ca', done: false, percent: 40 },
  ]);
  assert.equal(summary.scores.map((point) => [point.id, point.percent, point.passed]), [
    ['practice-1', 50, undefined],
    ['exam "mock", day 2', 40, false],
    ['review-1', 100, undefined],
  ]);
  assert.equal(summary.attempts, { total: 3, practice: 1, exam: 1, review: 1, examsPassed: 0 });
  // a lesson outside the course does not count towards completion
  assert.is(summarize(markLessonDone(emptyProgress(), { lessonId: 'teacher-extra', at: 0 }), { now: 0 }).completion.done, 0);
});

test('summary: mastery by topic looks at the latest answers of each topic', () => {
  let progress = emptyProgress();
  // 30 answers in wiring: the first 10 wrong, the last 20 right
  for (let index = 0; index < 30; index++) {
    progress = recordAttempt(progress, attempt({ id: `w${index}`, at: new Date(Date.UTC(2025, 2, 1, 0, index)).toISOString(), outcomes: [{ questionId: `w${index}`, topic: 'wiring', correct: index >= 10 }], score: index >= 10 ? 1 : 0, max: 1 }));
  }
  progress = recordAttempt(progress, attempt({ id: 'custom', at: '2025-03-02T00:00:00.000Z', topics: ['a-teachers-topic'], outcomes: [{ questionId: 'c1', topic: 'a-teachers-topic', correct: false }], max: 1 }));
  const mastery = summarize(progress, { now: Date.parse('2025-03-02T00:00:00.000Z') }).mastery;
  assert.is(mastery.length, 13, 'the twelve course topics, then others found in attempts');
  assert.is(mastery[0]!.topic, 'zero-trust');
  assert.equal(mastery.find((entry) => entry.topic === 'wiring'), { topic: 'wiring', answered: 30, correct: 20, recentAnswered: MASTERY_WINDOW, recentCorrect: 20, percent: 100 });
  assert.equal(mastery.at(-1), { topic: 'a-teachers-topic', answered: 1, correct: 0, recentAnswered: 1, recentCorrect: 0, percent: 0 });
  assert.is(mastery.find((entry) => entry.topic === 'renewal')!.percent, null, 'never practised is not 0%');
});

test('summary: the streak counts local days ending today or yesterday', () => {
  const at = (day: number, hour = 20) => new Date(2025, 2, day, hour, 0).getTime();
  const withDays = (days: number[]) => days.reduce((progress, day) => saveLessonPosition(progress, { lessonId: 'wiring', line: 0, percent: 0, at: at(day) }), emptyProgress());
  const streak = (days: number[], today: number) => summarize(withDays(days), { now: at(today, 9) }).streak;
  assert.equal(streak([1, 2, 3], 3), { days: 3, studiedToday: true, longest: 3, lastStudyDay: '2025-03-03' });
  assert.equal(streak([1, 2, 3], 4), { days: 3, studiedToday: false, longest: 3, lastStudyDay: '2025-03-03' }, 'yesterday still counts');
  assert.equal(streak([1, 2, 3], 5), { days: 0, studiedToday: false, longest: 3, lastStudyDay: '2025-03-03' }, 'a missed day ends it');
  assert.equal(streak([1, 2, 5, 6, 7, 8, 10], 10), { days: 1, studiedToday: true, longest: 4, lastStudyDay: '2025-03-10' });
  assert.equal(streak([], 10), { days: 0, studiedToday: false, longest: 0 });
  // late at night and early next morning are two days, in local time
  const nightAndMorning = [new Date(2025, 2, 1, 23, 50).getTime(), new Date(2025, 2, 2, 0, 10).getTime()]
    .reduce((progress, ms) => saveLessonPosition(progress, { lessonId: 'wiring', line: 0, percent: 0, at: ms }), emptyProgress());
  assert.is(summarize(nightAndMorning, { now: new Date(2025, 2, 2, 12).getTime() }).streak.days, 2);
});

test('summary: the review queue holds what is due now, longest overdue first', () => {
  const review = summarize(sample(), { now: Date.parse('2025-03-05T12:00:00.000Z') }).review;
  assert.equal(review.due.map((card) => card.questionId), ['zero-trust-ports', 'cluster-ca-files']);
  assert.equal(review.boxes, [0, 2, 0, 0, 0]);
  assert.is(review.cards, 2);
  assert.is(summarize(sample(), { now: Date.parse('2025-03-04T10:00:00.000Z') }).review.due.length, 0);
  assert.is(review.nextDue, '2025-03-04T10:30:00.000Z');
});

/** RFC 4180, read back: quoted fields may hold commas, quotes (doubled) and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      index++;
    } else field += char;
  }
  assert.is(field + row.join(''), '', 'the last record ends with CRLF');
  return rows;
}

test('CSV: RFC 4180 quoting, one row per attempt, oldest first', () => {
  assert.is(csvField('plain'), 'plain');
  assert.is(csvField('a,b'), '"a,b"');
  assert.is(csvField('say "hi"'), '"say ""hi"""');
  assert.is(csvField('two\nlines'), '"two\nlines"');
  const progress = recordAttempt(sample(), attempt({ id: 'line\r\nbreak', at: '2025-03-04T00:00:00.000Z', max: 0 }));
  const text = attemptsCsv(progress);
  assert.not.match(text.replace(/\r\n/g, '').replace(/"line\r\nbreak"/, ''), /\n/, 'every line ends with CRLF');
  const rows = parseCsv(text);
  assert.equal(rows[0], [...CSV_COLUMNS]);
  assert.equal(rows.slice(1), [
    ['practice-1', '2025-03-01T08:00:00.000Z', 'practice', 'zero-trust', '2', '1', '1', '2', '50', '', '95'],
    ['exam "mock", day 2', '2025-03-02T10:30:00.000Z', 'exam', 'zero-trust;cluster-ca', '2', '1', '2', '5', '40', 'no', '1500'],
    ['review-1', '2025-03-03T11:15:00.000Z', 'review', 'cluster-ca', '1', '1', '1', '1', '100', '', ''],
    ['line\r\nbreak', '2025-03-04T00:00:00.000Z', 'practice', 'wiring', '0', '0', '0', '0', '0', '', ''],
  ]);
  assert.ok(text.includes('"exam ""mock"", day 2"'), 'quotes doubled inside a quoted field');
  assert.is(attemptsCsv(emptyProgress()), `${[...CSV_COLUMNS].join(',')}\r\n`, 'no attempts: the header alone');
});

test('JSON report: profile, file, version, time, the summary, and messages only when there are some', () => {
  const now = Date.parse('2025-03-05T12:00:00.000Z');
  const summary = summarize(sample(), { now });
  const report = progressReport({ profile: 'ann', file: '/x/config.json', now, summary, warning: undefined, notice: undefined });
  assert.equal(Object.keys(report), ['profile', 'file', 'schemaVersion', 'generatedAt', 'summary']);
  assert.is(report.generatedAt, '2025-03-05T12:00:00.000Z');
  assert.equal(JSON.parse(JSON.stringify(report)).summary, JSON.parse(JSON.stringify(summary)));
  assert.is(progressReport({ profile: 'ann', file: '/x', now, summary, warning: 'disk full' }).warning, 'disk full');
});

test.run();
