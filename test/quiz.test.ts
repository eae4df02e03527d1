import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  LEITNER_BOXES, PASS_MARK, applyPracticeRun, correctAnswerText, createRandom, currentItem, displayedChoices, dueQuestionIds, examOverview,
  examReducer, gradeExam, isCorrect, listMatches, manualClock, nextDueDate, parseDuration, parseResponse, practiceReducer, practiceScore,
  presentQuestion, recordAnswer, remainingMs, responseText, selectQuestions, shuffle, splitList, startExam, startPractice, startReview,
  valueMatches, type ExamState, type LeitnerDeck, type PresentedQuestion, type Question, type Response,
} from '../src/quiz/index.js';

/** The quiz engine (src/quiz/): normalisation, seeded shuffling, answers, practice, exam timer, Leitner review. */

const DAY = 24 * 60 * 60 * 1000;

function choiceQuestion(id: string, type: 'single' | 'multiple' | 'order', answer: number | number[], options: { topic?: string; weight?: number; choices?: number } = {}): Question {
  const count = options.choices ?? 4;
  const base = {
    id,
    topic: (options.topic ?? 'cluster-ca') as Question['topic'],
    difficulty: 1 as const,
    lesson: 'cluster-ca',
    prompt: { en: `prompt ${id}`, ko: `질문 ${id}` },
    explanation: { en: 'because', ko: '왜냐하면' },
    weight: options.weight ?? 1,
    origin: { kind: 'generated' as const, source: 'test' },
    choices: Array.from({ length: count }, (_, index) => ({ text: { en: `choice ${index}`, ko: `선택 ${index}` }, literal: false })),
  };
  if (type === 'single') return { ...base, type, answer: answer as number };
  return { ...base, type, answer: answer as number[] };
}

function textQuestion(id: string, normalize: 'path' | 'duration' | 'name' | 'text', accepted: string[], list = false): Question {
  return {
    id,
    topic: 'renewal',
    difficulty: 1,
    lesson: 'renewal',
    prompt: { en: 'prompt', ko: '질문' },
    explanation: { en: 'because', ko: '왜냐하면' },
    weight: 1,
    origin: { kind: 'generated', source: 'test' },
    type: 'text',
    normalize,
    list,
    accepted: list ? [accepted] : accepted.map((value) => [value]),
  };
}

/** The letters a learner would type for the right answer on this screen. */
function typedAnswer(presented: PresentedQuestion): string {
  const text = correctAnswerText(presented, 'en');
  return presented.question.type === 'single' ? text.split(')')[0] ?? '' : text;
}

// --- normalisation ---------------------------------------------------------------------------

test('paths: with or without /etc/kubernetes/pki/ (certificates) or /etc/kubernetes/ (kubeconfigs)', () => {
  const cert = '/etc/kubernetes/pki/apiserver.crt';
  for (const typed of [cert, 'apiserver.crt', 'pki/apiserver.crt', ' /etc/kubernetes/pki//apiserver.crt ', '`apiserver.crt`', '"./apiserver.crt"']) {
    assert.ok(valueMatches('path', cert, typed), typed);
  }
  assert.ok(valueMatches('path', '/etc/kubernetes/pki/etcd/ca.crt', 'etcd/ca.crt'));
  assert.not.ok(valueMatches('path', '/etc/kubernetes/pki/etcd/ca.crt', 'ca.crt'), 'the cluster CA is not the etcd CA');
  assert.ok(valueMatches('path', '/etc/kubernetes/admin.conf', 'admin.conf'));
  assert.ok(valueMatches('path', '/etc/kubernetes/manifests', '/etc/kubernetes/manifests/'));
  assert.not.ok(valueMatches('path', cert, 'Apiserver.crt'), 'paths keep their case');
  assert.not.ok(valueMatches('path', cert, '/var/lib/apiserver.crt'));
  assert.not.ok(valueMatches('path', cert, ''));
});

test('durations: one year is 365 days is 1y is 8760h; ten years is 3650 days', () => {
  const year = parseDuration('1 year');
  assert.is(year, 365 * 24 * 3600);
  for (const typed of ['365 days', '1y', '8760h', '8760h0m0s', 'one year', 'a year', '1 yr', '52 weeks 1 day', '1년', '365일', '8760시간', '1 year.']) {
    assert.is(parseDuration(typed), year, typed);
  }
  for (const typed of ['10 years', '3650 days', '87600h', '10y', '10년', 'ten years']) assert.is(parseDuration(typed), 10 * year!, typed);
  assert.is(parseDuration('600 seconds'), 600);
  assert.is(parseDuration('10 minutes'), 600);
  assert.is(parseDuration('2 hours'), 7200);
  assert.is(parseDuration('1h30m'), 5400);
  for (const typed of ['12 months', 'a while', '365', 'year', '', 'forever']) assert.is(parseDuration(typed), undefined, typed);
  assert.ok(valueMatches('duration', '1 year', '365 days'));
  assert.not.ok(valueMatches('duration', '1 year', '10 years'));
  // a bare number is seconds only where the answer is given in seconds (spec.expirationSeconds)
  assert.ok(valueMatches('duration', '600 seconds', '600'));
  assert.not.ok(valueMatches('duration', '600 seconds', '6000'));
  assert.not.ok(valueMatches('duration', '1 year', '365'), 'a bare number is no year');
});

test('names keep their case; CN=/O= prefixes, quotes and missing dashes on flags are forgiven', () => {
  assert.ok(valueMatches('name', 'system:kube-scheduler', ' system:kube-scheduler '));
  assert.ok(valueMatches('name', 'system:kube-scheduler', 'CN=system:kube-scheduler'));
  assert.ok(valueMatches('name', 'kubeadm:cluster-admins', 'O = kubeadm:cluster-admins'));
  assert.ok(valueMatches('name', 'front-proxy-client', '"front-proxy-client"'));
  assert.not.ok(valueMatches('name', 'system:kube-scheduler', 'System:Kube-Scheduler'), 'the apiserver would not know that user either');
  assert.not.ok(valueMatches('name', 'system:kube-scheduler', 'kube-scheduler'));
  assert.ok(valueMatches('name', '--tls-cert-file', 'tls-cert-file'));
  assert.ok(valueMatches('name', '--tls-cert-file', '--tls-cert-file'));
  assert.not.ok(valueMatches('name', '--tls-cert-file', '--tls-private-key-file'));
});

test('text: trimmed, case-insensitive, spaces collapsed, a final full stop ignored', () => {
  assert.ok(valueMatches('text', 'kubeadm certs renew all', '  Kubeadm   certs renew ALL. '));
  assert.ok(valueMatches('text', 'https://127.0.0.1:2379', 'HTTPS://127.0.0.1:2379'));
  assert.not.ok(valueMatches('text', 'kubeadm certs renew all', 'kubeadm certs renew'));
  assert.not.ok(valueMatches('text', 'x', '   '));
  // the CKA environment's alias, and sudo in front, as people type on a node
  assert.ok(valueMatches('text', 'kubectl certificate approve jane', 'k certificate approve jane'));
  assert.ok(valueMatches('text', 'kubectl certificate approve jane', 'sudo kubectl certificate approve jane'));
  assert.ok(valueMatches('text', 'journalctl -xeu kubelet', 'sudo journalctl -xeu kubelet'));
  assert.not.ok(valueMatches('text', 'kubectl certificate approve jane', 'kubectl certificate deny jane'));
});

test('lists: comma or space separated, any order, every value exactly once', () => {
  assert.equal(splitList('a, b c'), ['a', 'b c']);
  assert.equal(splitList(' a  b   c '), ['a', 'b', 'c']);
  const expected = ['/etc/kubernetes/pki/ca.crt', '/etc/kubernetes/pki/ca.key'];
  assert.ok(listMatches('path', expected, splitList('ca.key, ca.crt')));
  assert.ok(listMatches('path', expected, splitList('ca.crt ca.key')));
  assert.not.ok(listMatches('path', expected, splitList('ca.crt')), 'one missing');
  assert.not.ok(listMatches('path', expected, splitList('ca.crt ca.crt')), 'one twice');
  assert.not.ok(listMatches('path', expected, splitList('ca.crt ca.key sa.key')), 'one too many');
  const question = textQuestion('list', 'name', ['kube-apiserver', 'kubernetes'], true);
  assert.ok(isCorrect(question, { kind: 'text', value: 'kubernetes,kube-apiserver' }));
  assert.not.ok(isCorrect(question, { kind: 'text', value: 'kubernetes' }));
});

// --- seeded shuffling ------------------------------------------------------------------------

test('the generator is seeded: same seed, same sequence; another seed, another one', () => {
  const draw = (seed: number): number[] => {
    const random = createRandom(seed);
    return Array.from({ length: 8 }, () => random.below(1000));
  };
  assert.equal(draw(1), draw(1));
  assert.not.equal(draw(1), draw(2));
  const random = createRandom(42);
  for (let index = 0; index < 1000; index += 1) {
    const value = random.next();
    assert.ok(value >= 0 && value < 1);
  }
  const items = Array.from({ length: 20 }, (_, index) => index);
  const shuffled = shuffle(items, createRandom(3));
  assert.equal([...shuffled].sort((a, b) => a - b), items, 'a permutation');
  assert.not.equal(shuffled, items);
  assert.equal(items, Array.from({ length: 20 }, (_, index) => index), 'the input is left alone');
});

test('selectQuestions: reproducible with a seed, filtered by topic, spread over topics for an exam', () => {
  const topics = ['cluster-ca', 'wiring', 'renewal', 'kubeconfig'];
  const pool = topics.flatMap((topic) => Array.from({ length: 5 }, (_, index) => choiceQuestion(`${topic}.${index}`, 'single', index % 4, { topic })));
  const ids = (presented: PresentedQuestion[]): string[] => presented.map((item) => item.question.id);
  const first = selectQuestions(pool, { count: 6, seed: 9 });
  assert.equal(ids(first), ids(selectQuestions(pool, { count: 6, seed: 9 })));
  assert.equal(first.map((item) => item.choiceOrder), selectQuestions(pool, { count: 6, seed: 9 }).map((item) => item.choiceOrder), 'choices shuffle the same way');
  assert.not.equal(ids(first), ids(selectQuestions(pool, { count: 6, seed: 10 })));
  assert.ok(selectQuestions(pool, { count: 50, seed: 1, topics: ['wiring'] }).every((item) => item.question.topic === 'wiring'));
  assert.is(selectQuestions(pool, { count: 50, seed: 1, topics: ['wiring'] }).length, 5, 'at most what the topic has');
  const exam = selectQuestions(pool, { count: 8, seed: 4, spreadTopics: true });
  for (const topic of topics) assert.is(exam.filter((item) => item.question.topic === topic).length, 2, `two ${topic} tasks in eight`);
});

// --- presenting and reading answers ----------------------------------------------------------

test('typed letters are read back through the shuffle into the bank\'s choice indices', () => {
  const single = presentQuestion(choiceQuestion('s', 'single', 2), createRandom(5));
  const positionOfAnswer = single.choiceOrder.indexOf(2);
  const letter = 'abcd'[positionOfAnswer] ?? '';
  const parsed = parseResponse(single, ` ${letter.toUpperCase()} `);
  assert.ok(parsed.ok);
  if (parsed.ok) {
    assert.equal(parsed.response, { kind: 'choices', indices: [2] });
    assert.ok(isCorrect(single.question, parsed.response));
    assert.is(responseText(single, parsed.response), letter);
  }
  assert.is(displayedChoices(single, 'ko')[positionOfAnswer]?.text, '선택 2');
  assert.is(correctAnswerText(single, 'en'), `${letter}) choice 2`);

  for (const [typed, problem] of [['e', /not an answer/], ['a b', /one letter/], ['', /answer with a letter/], ['aa', /only once/], ['/etc/x', /not an answer/]] as const) {
    const result = parseResponse(single, typed);
    assert.not.ok(result.ok, typed);
    if (!result.ok) {
      assert.match(result.message.en, problem);
      assert.match(result.message["ko"] ?? "", /[가-힣]/);
    }
  }

  const multiple = presentQuestion(choiceQuestion('m', 'multiple', [0, 3]), createRandom(6));
  const letters = [0, 3].map((index) => 'abcd'[multiple.choiceOrder.indexOf(index)] ?? '');
  for (const typed of [letters.join(','), letters.join(' '), letters.join(''), [...letters].reverse().join(', '), `(${letters[0]}) (${letters[1]})`]) {
    const result = parseResponse(multiple, typed);
    assert.ok(result.ok && isCorrect(multiple.question, result.response), typed);
  }
  const partial = parseResponse(multiple, letters[0] ?? '');
  assert.ok(partial.ok && !isCorrect(multiple.question, partial.response), 'half the answer is wrong');
});

test('ordering questions are never shown in the right order, and need every letter once', () => {
  for (let seed = 0; seed < 50; seed += 1) {
    const presented = presentQuestion(choiceQuestion(`o${seed}`, 'order', [0, 1, 2], { choices: 3 }), createRandom(seed));
    assert.not.equal(presented.choiceOrder, [0, 1, 2], `seed ${seed}`);
    const right = parseResponse(presented, typedAnswer(presented));
    assert.ok(right.ok && isCorrect(presented.question, right.response), `seed ${seed}`);
  }
  const presented = presentQuestion(choiceQuestion('o', 'order', [2, 0, 1], { choices: 3 }), createRandom(1));
  const short = parseResponse(presented, 'a b');
  assert.not.ok(short.ok);
  const wrongOrder = parseResponse(presented, typedAnswer(presented).split(' ').reverse().join(' '));
  assert.ok(wrongOrder.ok && !isCorrect(presented.question, wrongOrder.response));
});

test('an ordering question with several right orders accepts each of them and is shown in none of them', () => {
  const base = choiceQuestion('two-orders', 'order', [0, 1, 2, 3]);
  const question = base.type === 'order' ? { ...base, alsoAccepted: [[1, 0, 2, 3]] } : base;
  assert.ok(isCorrect(question, { kind: 'choices', indices: [0, 1, 2, 3] }));
  assert.ok(isCorrect(question, { kind: 'choices', indices: [1, 0, 2, 3] }));
  assert.not.ok(isCorrect(question, { kind: 'choices', indices: [0, 2, 1, 3] }));
  for (let seed = 0; seed < 200; seed += 1) {
    const { choiceOrder } = presentQuestion(question, createRandom(seed));
    assert.not.equal(choiceOrder, [0, 1, 2, 3], `seed ${seed}`);
    assert.not.equal(choiceOrder, [1, 0, 2, 3], `seed ${seed}`);
  }
});

test('free text is graded with the question\'s normalisation; no answer is wrong', () => {
  const question = textQuestion('t', 'duration', ['10 years']);
  assert.ok(isCorrect(question, { kind: 'text', value: '3650 days' }));
  assert.not.ok(isCorrect(question, { kind: 'text', value: '1 year' }));
  assert.not.ok(isCorrect(question, undefined));
  assert.not.ok(isCorrect(question, { kind: 'choices', indices: [0] }));
  assert.not.ok(isCorrect(choiceQuestion('s', 'single', 1), { kind: 'text', value: 'b' }));
});

// --- practice --------------------------------------------------------------------------------

test('practice: answer, feedback, next; skips and questions never reached count as wrong', () => {
  const questions = [0, 1, 2].map((index) => presentQuestion(choiceQuestion(`p${index}`, 'single', 1), createRandom(index)));
  const right: Response = { kind: 'choices', indices: [1] };
  let state = startPractice(questions, 1000);
  assert.is(state.phase, 'question');
  assert.is(currentItem(state)?.presented.question.id, 'p0');
  state = practiceReducer(state, { type: 'next' }, 1001);
  assert.is(state.index, 0, 'no moving on before answering');
  state = practiceReducer(state, { type: 'answer', response: right }, 1002);
  assert.is(state.phase, 'feedback');
  assert.equal(state.items[0]?.outcome, { response: right, correct: true, at: 1002 });
  state = practiceReducer(state, { type: 'answer', response: { kind: 'choices', indices: [0] } }, 1003);
  assert.ok(state.items[0]?.outcome?.correct, 'a second answer during feedback changes nothing');
  state = practiceReducer(state, { type: 'next' }, 1004);
  state = practiceReducer(state, { type: 'skip' }, 1005);
  assert.equal(state.items[1]?.outcome, { response: undefined, correct: false, at: 1005 });
  state = practiceReducer(state, { type: 'next' }, 1006);
  state = practiceReducer(state, { type: 'finish' }, 1007);
  assert.is(state.phase, 'finished');
  assert.is(state.finishedAt, 1007);
  assert.equal(practiceScore(state), { correct: 1, total: 2, percent: 50 }, 'the question never reached counts neither way');
  assert.is(practiceReducer(state, { type: 'answer', response: right }, 1008), state, 'finished is final');

  let full = startPractice(questions, 0);
  for (let index = 0; index < 3; index += 1) {
    full = practiceReducer(full, { type: 'answer', response: right }, index);
    full = practiceReducer(full, { type: 'next' }, index);
  }
  assert.is(full.phase, 'finished');
  assert.equal(practiceScore(full), { correct: 3, total: 3, percent: 100 });
  assert.equal(practiceScore(startPractice([], 0)), { correct: 0, total: 0, percent: 0 });
});

// --- exam ------------------------------------------------------------------------------------

function examOf(weights: number[]): { state: ExamState; right: Response; wrong: Response } {
  const questions = weights.map((weight, index) => presentQuestion(choiceQuestion(`e${index}`, 'single', 0, { weight }), createRandom(index)));
  return { state: startExam(questions, { now: 0, durationMs: 60 * 60 * 1000 }), right: { kind: 'choices', indices: [0] }, wrong: { kind: 'choices', indices: [1] } };
}

test('exam: free navigation, flags, answers kept per task, weighted score against the pass mark', () => {
  const clock = manualClock(0);
  let { state, right, wrong } = examOf([4, 7, 2, 13]);
  const act = (action: Parameters<typeof examReducer>[1]): void => {
    state = examReducer(state, action, clock.now());
  };
  act({ type: 'previous' });
  assert.is(state.current, 0, 'no task before the first');
  act({ type: 'answer', response: right });
  act({ type: 'next' });
  act({ type: 'flag' });
  assert.equal(state.flagged, [false, true, false, false]);
  act({ type: 'answer', response: wrong });
  act({ type: 'goto', index: 3 });
  act({ type: 'answer', response: right });
  act({ type: 'next' });
  assert.is(state.current, 3, 'no task after the last');
  act({ type: 'goto', index: 9 });
  assert.is(state.current, 3, 'a task that does not exist');
  act({ type: 'goto', index: 1 });
  act({ type: 'flag' });
  act({ type: 'clear' });
  assert.equal(examOverview(state), { answered: [0, 3], unanswered: [1, 2], flagged: [] });
  act({ type: 'answer', response: right });
  clock.advance(25 * 60 * 1000);
  assert.is(remainingMs(state, clock.now()), 35 * 60 * 1000);
  act({ type: 'submit' });
  assert.is(state.status, 'submitted');
  assert.is(state.endedBy, 'submit');
  act({ type: 'answer', response: wrong });
  assert.equal(state.responses[1], right, 'a submitted exam does not change');
  const result = gradeExam(state);
  assert.equal(result.tasks.map((task) => task.correct), [true, true, false, true]);
  assert.is(result.earned, 24);
  assert.is(result.possible, 26);
  assert.is(result.percent, 92);
  assert.ok(result.passed);
  assert.is(result.passMark, PASS_MARK);
  assert.is(result.durationMs, 25 * 60 * 1000);
});

test('exam timer: at the deadline the exam ends by itself, and a late answer does not count', () => {
  const clock = manualClock(1_000_000);
  const questions = [0, 1].map((index) => presentQuestion(choiceQuestion(`t${index}`, 'single', 0), createRandom(index)));
  let state = startExam(questions, { now: clock.now(), durationMs: 10 * 60 * 1000 });
  state = examReducer(state, { type: 'answer', response: { kind: 'choices', indices: [0] } }, clock.now());
  clock.advance(10 * 60 * 1000 - 1);
  state = examReducer(state, { type: 'tick' }, clock.now());
  assert.is(state.status, 'running', 'one millisecond left');
  assert.is(remainingMs(state, clock.now()), 1);
  clock.advance(1);
  state = examReducer(state, { type: 'next' }, clock.now());
  state = examReducer(state, { type: 'answer', response: { kind: 'choices', indices: [0] } }, clock.now());
  assert.is(state.status, 'submitted');
  assert.is(state.endedBy, 'time-up');
  assert.is(state.endedAt, 1_000_000 + 10 * 60 * 1000);
  assert.is(state.current, 0, 'the move at the deadline did not happen');
  assert.is(state.responses[1], undefined, 'the late answer is not recorded');
  assert.is(remainingMs(state, clock.now()), 0);
  const result = gradeExam(state);
  assert.is(result.endedBy, 'time-up');
  assert.equal([result.earned, result.possible, result.percent, result.passed], [1, 2, 50, false]);
  assert.is(result.durationMs, 10 * 60 * 1000);
});

test('exam pass mark: 66% passes, just under does not, and the percent is never rounded up to a pass', () => {
  const passWith = (weights: number[], rightTasks: number[]): { percent: number; passed: boolean } => {
    let { state, right } = examOf(weights);
    for (const index of rightTasks) {
      state = examReducer(state, { type: 'goto', index }, 0);
      state = examReducer(state, { type: 'answer', response: right }, 0);
    }
    const result = gradeExam(state);
    return { percent: result.percent, passed: result.passed };
  };
  assert.equal(passWith(Array(50).fill(1), Array.from({ length: 33 }, (_, index) => index)), { percent: 66, passed: true });
  assert.equal(passWith(Array(50).fill(1), Array.from({ length: 32 }, (_, index) => index)), { percent: 64, passed: false });
  // 659 of 1000 points: 65.9%, shown as 65, not a pass
  assert.equal(passWith([659, 341], [0]), { percent: 65, passed: false });
  assert.equal(passWith([2, 1], [0]), { percent: 66, passed: true });
});

// --- Leitner review --------------------------------------------------------------------------

test('Leitner: wrong goes to box 1 for a day; right when due climbs 1, 2, 4, 8, 16 days; right in box 5 leaves', () => {
  let now = Date.parse('2025-03-01T09:00:00Z');
  let deck: LeitnerDeck = {};
  deck = recordAnswer(deck, 'q', true, now);
  assert.equal(deck, {}, 'right answers do not enter the deck');
  deck = recordAnswer(deck, 'q', false, now);
  assert.equal(deck['q'], { box: 1, due: '2025-03-02T09:00:00.000Z' });
  assert.equal(dueQuestionIds(deck, now), [], 'not due the same day');
  const early = recordAnswer(deck, 'q', true, now + DAY / 2);
  assert.equal(early, deck, 'right before it is due: no change');
  const intervals: number[] = [];
  for (let box = 1; box < LEITNER_BOXES; box += 1) {
    const due = Date.parse(deck['q']?.due ?? '');
    intervals.push((due - now) / DAY);
    now = due;
    assert.equal(dueQuestionIds(deck, now), ['q']);
    deck = recordAnswer(deck, 'q', true, now);
    assert.is(deck['q']?.box, box + 1);
  }
  intervals.push((Date.parse(deck['q']?.due ?? '') - now) / DAY);
  assert.equal(intervals, [1, 2, 4, 8, 16]);
  now = Date.parse(deck['q']?.due ?? '');
  deck = recordAnswer(deck, 'q', true, now);
  assert.equal(deck, {}, 'right in the last box: learnt');

  let relapse: LeitnerDeck = { q: { box: 4, due: '2025-01-01T00:00:00.000Z' } };
  relapse = recordAnswer(relapse, 'q', false, Date.parse('2025-01-05T00:00:00Z'));
  assert.equal(relapse['q'], { box: 1, due: '2025-01-06T00:00:00.000Z' }, 'wrong sends it back to box 1');
});

test('review runs: due questions come first by date then box, missing questions are skipped, outcomes update the deck', () => {
  const now = Date.parse('2025-06-10T12:00:00Z');
  const deck: LeitnerDeck = {
    later: { box: 1, due: '2025-06-11T12:00:00.000Z' },
    old: { box: 3, due: '2025-06-01T00:00:00.000Z' },
    gone: { box: 1, due: '2025-06-02T00:00:00.000Z' },
    sameDayLowBox: { box: 1, due: '2025-06-05T00:00:00.000Z' },
    sameDayHighBox: { box: 2, due: '2025-06-05T00:00:00.000Z' },
  };
  assert.equal(dueQuestionIds(deck, now), ['old', 'gone', 'sameDayLowBox', 'sameDayHighBox']);
  assert.is(nextDueDate(deck), '2025-06-01T00:00:00.000Z');
  assert.is(nextDueDate({}), undefined);
  const bank = ['later', 'old', 'sameDayLowBox', 'sameDayHighBox'].map((id) => choiceQuestion(id, 'single', 0));
  let run = startReview(deck, bank, { now, seed: 1 });
  assert.is(run.mode, 'review');
  assert.equal(run.items.map((item) => item.presented.question.id), ['old', 'sameDayLowBox', 'sameDayHighBox']);
  assert.is(startReview(deck, bank, { now, seed: 1, limit: 2 }).items.length, 2);
  run = practiceReducer(run, { type: 'answer', response: { kind: 'choices', indices: [0] } }, now);
  run = practiceReducer(run, { type: 'next' }, now);
  run = practiceReducer(run, { type: 'answer', response: { kind: 'choices', indices: [1] } }, now);
  run = practiceReducer(run, { type: 'finish' }, now);
  const after = applyPracticeRun(deck, run, now);
  assert.equal(after['old'], { box: 4, due: '2025-06-18T12:00:00.000Z' }, 'right: box 3 -> 4, eight days');
  assert.equal(after['sameDayLowBox'], { box: 1, due: '2025-06-11T12:00:00.000Z' }, 'wrong: box 1 again');
  assert.equal(after['sameDayHighBox'], deck['sameDayHighBox'], 'not reached: unchanged');
  assert.equal(after['later'], deck['later']);
});

test.run();
