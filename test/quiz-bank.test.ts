import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { courseTopics } from '../src/lessons/course.js';
import { knownLessonIds, loadLessons } from '../src/lessons/load.js';
import {
  courseLessonIds, correctAnswerText, createRandom, displayedChoices, isCorrect, loadQuestionBank, parseBankText, parseResponse, presentQuestion,
  type Question,
} from '../src/quiz/index.js';
import { checkAnswerKey, looksFactual, resolveFact } from './fixtures/quiz/answer-key.js';
import { CA_NAMES, CERTIFICATES, KEY_USAGES, LEGACY_SYSTEM_MASTERS } from './fixtures/quiz/reference-facts.js';

/**
 * The question banks (lessons/quiz/*.yaml) and their loader: every question loads in English and
 * Korean, can be answered right through the same path a learner uses, links a real lesson, and
 * every answer key that touches kubeadm's facts agrees with the reference.
 */

const repository = fileURLToPath(new URL('../../', import.meta.url));
const REFERENCE_FILE = '/work/shared/reference/kubeadm-pki.md';
const MALFORMED = join(repository, 'test/fixtures/quiz/malformed');
const HANGUL = /[가-힣]/;

const bank = loadQuestionBank();

function question(id: string): Question {
  const found = bank.questions.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no question ${id} in the bank`);
  return found;
}

test('the course banks load without a single problem: at least 150 questions, at least 10 per topic, every type', () => {
  const problems = bank.diagnostics.map((diagnostic) => `${diagnostic.file}:${diagnostic.line}: ${diagnostic.message}`);
  assert.equal(problems, [], problems.join('\n'));
  assert.ok(bank.questions.length >= 150, `${bank.questions.length} questions`);
  for (const topic of courseTopics()) {
    const count = bank.questions.filter((candidate) => candidate.topic === topic).length;
    assert.ok(count >= 10, `${topic}: ${count} questions`);
  }
  for (const type of ['single', 'multiple', 'text', 'order'] as const) assert.ok(bank.questions.some((candidate) => candidate.type === type), type);
  for (const kind of ['path', 'duration', 'name', 'text'] as const) {
    assert.ok(bank.questions.some((candidate) => candidate.type === 'text' && candidate.normalize === kind), `a text question with normalize: ${kind}`);
  }
  // one file per topic, named after it
  for (const candidate of bank.questions) {
    if (candidate.origin.kind === 'bank') assert.is(basename(candidate.origin.file, '.yaml'), candidate.topic, candidate.id);
  }
});

test('every question reads in English and in Korean, and every choice shows in both', () => {
  for (const candidate of bank.questions) {
    for (const field of ['prompt', 'explanation'] as const) {
      const text = candidate[field];
      assert.ok(text.en.length > 10, `${candidate.id} ${field} en`);
      assert.ok(HANGUL.test(text["ko"] ?? ""), `${candidate.id} ${field} ko is Korean`);
      assert.is.not(text.ko, text.en, `${candidate.id} ${field} is translated`);
      assert.not.ok(HANGUL.test(text.en), `${candidate.id} ${field} en has no Hangul`);
    }
    const presented = presentQuestion(candidate, createRandom(1));
    for (const lang of ['en', 'ko'] as const) {
      const choices = displayedChoices(presented, lang);
      if (candidate.type === 'text') assert.is(choices.length, 0);
      else {
        assert.is(choices.length, candidate.choices.length, candidate.id);
        for (const choice of choices) assert.ok(choice.text.trim().length > 0, `${candidate.id} ${lang} ${choice.letter}`);
      }
    }
    if (candidate.type !== 'text') {
      for (const choice of candidate.choices) {
        if (!choice.literal && choice.text.en !== choice.text.ko) assert.ok(HANGUL.test(choice.text["ko"] ?? ""), `${candidate.id}: "${choice.text.ko}" is Korean`);
        assert.not.ok(HANGUL.test(choice.text.en), `${candidate.id}: "${choice.text.en}" en has no Hangul`);
      }
    }
  }
});

test('every question can be answered right the way a learner types it, and a wrong answer is wrong', () => {
  for (const candidate of bank.questions) {
    for (const seed of [1, 2]) {
      const presented = presentQuestion(candidate, createRandom(seed));
      const shown = correctAnswerText(presented, 'en');
      const typed = candidate.type === 'single' ? (shown.split(')')[0] ?? '') : shown;
      const parsed = parseResponse(presented, typed);
      assert.ok(parsed.ok, `${candidate.id}: "${typed}" parses`);
      if (parsed.ok) assert.ok(isCorrect(candidate, parsed.response), `${candidate.id}: "${typed}" is right`);
    }
    const wrong = candidate.type === 'text' ? { kind: 'text' as const, value: 'no idea' } : { kind: 'choices' as const, indices: [] };
    assert.not.ok(isCorrect(candidate, wrong), `${candidate.id}: a wrong answer`);
  }
});

test('every question links a lesson of the course, and every lesson has questions', () => {
  const lessons = knownLessonIds(loadLessons());
  for (const id of courseLessonIds()) assert.ok(lessons.has(id), `lesson ${id} exists`);
  for (const candidate of bank.questions) assert.ok(lessons.has(candidate.lesson), `${candidate.id} -> ${candidate.lesson}`);
  for (const id of courseLessonIds()) assert.ok(bank.questions.some((candidate) => candidate.lesson === id), `questions for ${id}`);
});

test('every answer key that touches kubeadm facts agrees with the reference', () => {
  const checked = bank.questions.filter((candidate) => candidate.fact !== undefined);
  assert.ok(checked.length >= 40, `${checked.length} questions carry a fact`);
  const problems = checked.flatMap((candidate) => checkAnswerKey(candidate).map((problem) => `${candidate.id}: ${problem}`));
  assert.equal(problems, [], problems.join('\n'));
  const unchecked = bank.questions.filter(looksFactual).map((candidate) => candidate.id);
  assert.equal(unchecked, [], `choices are kubeadm paths, CNs or Os but there is no fact: line:\n${unchecked.join('\n')}`);
  // the kinds of fact the brief asks for are all covered
  const facts = checked.map((candidate) => candidate.fact ?? '');
  for (const property of ['.file', '.cn', '.o', '.eku', '.validity', '.sans', '.signer']) assert.ok(facts.some((fact) => fact.endsWith(property)), property);
});

test('the answer-key check catches a wrong key, a wrong text answer and a mistranslated choice', () => {
  const withAnswer = <T extends Question>(original: T, change: Partial<T>): T => ({ ...original, ...change });
  const cn = question('server-certs.apiserver-cn');
  assert.equal(checkAnswerKey(cn), []);
  if (cn.type === 'single') assert.ok(checkAnswerKey(withAnswer(cn, { answer: 1 })).length > 0, 'CN kubernetes is the CA, not the apiserver');

  const notSan = question('server-certs.not-a-san');
  if (notSan.type === 'single') assert.ok(checkAnswerKey(withAnswer(notSan, { answer: 1 })).length > 0, 'kubernetes.default.svc is a SAN');

  const sans = question('server-certs.apiserver-sans');
  if (sans.type === 'multiple') {
    assert.ok(checkAnswerKey(withAnswer(sans, { answer: [0, 1] })).length > 0, 'a SAN left out');
    assert.ok(checkAnswerKey(withAnswer(sans, { answer: [0, 1, 2, 3] })).length > 0, 'localhost is not a SAN');
  }

  const validity = question('certificate-basics.root-ca-validity');
  if (validity.type === 'text') {
    assert.ok(checkAnswerKey(withAnswer(validity, { accepted: [['1 year']] })).length > 0, 'a CA lives ten years');
    assert.equal(checkAnswerKey(withAnswer(validity, { accepted: [['3650 days'], ['87600h']] })), []);
  }

  const group = question('client-certs.admin-group');
  if (group.type === 'single') {
    const choices = group.choices.map((choice, index) => (index === 1 ? { ...choice, text: { ...choice.text, en: 'kubeadm:cluster-admins' } } : choice));
    assert.ok(checkAnswerKey({ ...group, choices }).length > 0, 'two choices name the reference value');
  }

  const duration = question('cluster-ca.etcd-ca-validity');
  assert.ok(checkAnswerKey({ ...duration, fact: 'etcd/ca.colour' }).length > 0, 'an unknown fact is reported');
});

test('the encoded facts are the reference file\'s facts', () => {
  if (!existsSync(REFERENCE_FILE)) {
    console.warn(`(skipped: ${REFERENCE_FILE} is not on this machine)`);
    return;
  }
  const reference = readFileSync(REFERENCE_FILE, 'utf8');
  const rows = reference.split('\n').filter((line) => line.startsWith('| '));
  for (const [name, facts] of Object.entries(CERTIFICATES)) {
    const relative = facts.file.replace(/^\/etc\/kubernetes\/(pki\/)?/, '');
    const row = rows.find((line) => line.startsWith(`| ${relative} `));
    assert.ok(row, `${name}: the reference has a row for ${relative}`);
    if (!row) continue;
    const cells = row.split('|').map((cell) => cell.trim());
    const node = '`<node>`';
    const cn = facts.cn === 'controlplane' ? node : facts.cn.replace('controlplane', node);
    assert.ok(cells.includes(cn), `${name}: CN ${cn} in "${row}"`);
    for (const organization of facts.o) assert.ok(row.includes(organization), `${name}: O ${organization} in "${row}"`);
    if (facts.file.includes('/pki/')) {
      assert.is(cells[2], facts.signer, `${name}: signed by ${facts.signer}`);
      for (const usage of facts.eku) assert.ok(cells[5]?.includes(usage), `${name}: ${usage} in "${row}"`);
      if (facts.eku.length === 0) assert.is(cells[5], '(CA)', `${name} is a CA`);
    }
  }
  assert.match(reference, /CAs 10 years, everything else 1 year/);
  assert.match(reference, /keyUsage digitalSignature, keyEncipherment, keyCertSign/);
  assert.match(reference, /digitalSignature \(\+ keyEncipherment for RSA\)/);
  assert.equal([...KEY_USAGES.cas], ['digitalSignature', 'keyEncipherment', 'keyCertSign']);
  assert.match(reference, /O=system:masters` on apiserver-kubelet-client, etcd healthcheck-client\s+and apiserver-etcd-client/);
  assert.is(LEGACY_SYSTEM_MASTERS.length, 3);
  for (const [ca, names] of Object.entries(CA_NAMES)) assert.ok(reference.includes(basename(names[0] ?? '')), ca);
  assert.match(reference, /DNS: `<node>`, kubernetes, kubernetes\.default, kubernetes\.default\.svc, kubernetes\.default\.svc\.`<domain>`; IP: `<svc>`, `<ip>`/);
  assert.match(reference, /DNS: `<node>`, localhost; IP: `<ip>`, 127\.0\.0\.1, ::1/);
  // a fact line that names something the reference does not have fails to resolve
  assert.throws(() => resolveFact('etcd/client.cn'), /unknown certificate/);
  assert.throws(() => resolveFact('kube-apiserver --kubelet-certificate-authority'), /no value/);
});

test('malformed banks: each problem is reported with its file and line, and the good questions still load', () => {
  const result = loadQuestionBank({ dirs: [MALFORMED] });
  const lines = result.diagnostics.map((diagnostic) => `${diagnostic.severity} ${basename(diagnostic.file)}:${diagnostic.line}: ${diagnostic.message.replace(/ \((topics|lessons|known): [^)]*\)$/, ' (...)')}`);
  assert.equal(lines, [
    'error problems.yaml:18: question "fixture.no-answer": has no answer (add "answer:")',
    'error problems.yaml:34: question "fixture.out-of-range": answer 3 is out of range: there are 3 choices, numbered 0-2',
    'error problems.yaml:38: question "fixture.unknown-topic": unknown topic "tls-basics" (...)',
    'error problems.yaml:51: question "fixture.unknown-lesson": lesson "the-cluster-ca" is not a lesson id (...)',
    'error problems.yaml:62: question "fixture.no-korean": prompt has no ko text (add "ko:")',
    'error problems.yaml:76: question "fixture.choice-without-korean": choice 1 has no ko text (a choice is {en, ko}, or one plain text for every language)',
    'error problems.yaml:87: question "fixture.multiple-empty": a multiple-choice answer needs at least one correct choice',
    'error problems.yaml:97: question "fixture.order-incomplete": an order answer lists every choice once, in the right sequence (3 choices, 2 given)',
    'error problems.yaml:107: question "fixture.bad-duration": "one year-ish" is not a duration (write e.g. "1 year", "365 days", "8760h")',
    'error problems.yaml:110: duplicate question id "fixture.good" (first used at line 4); give this one another id',
    'warning problems.yaml:129: question "fixture.typo-key": unknown key "hint" is ignored (...)',
    'error syntax.yaml:20: not valid YAML: Missing closing "quote (in the question that starts at line 11)',
    `error zz-duplicate.yaml:1: duplicate question id "fixture.before-syntax-error" (first used at ${join(MALFORMED, 'syntax.yaml')}:1); give this one another id`,
  ]);
  assert.equal(result.questions.map((candidate) => candidate.id), ['fixture.good', 'fixture.typo-key', 'fixture.before-syntax-error']);
  const kept = result.questions[0];
  assert.equal(kept?.type === 'single' ? [kept.answer, kept.prompt.ko] : undefined, [0, 'ca.crt의 Common Name은 무엇입니까?'], 'the first of two duplicates is kept');
});

test('loader edge cases: not a list, an empty file, a missing directory, plain-string choices, default weight and normalisation', () => {
  const notList = parseBankText('id: x\ntopic: wiring\n', 'map.yaml');
  assert.equal(notList.diagnostics.map((diagnostic) => [diagnostic.line, diagnostic.message]), [[1, 'a question bank is a YAML list of questions, each starting with "- id: ..."']]);
  const empty = parseBankText('# nothing yet\n', 'empty.yaml');
  assert.equal(empty.diagnostics.map((diagnostic) => diagnostic.severity), ['warning']);
  const missing = loadQuestionBank({ dirs: [join(MALFORMED, 'no-such-dir')] });
  assert.is(missing.questions.length, 0);
  assert.match(missing.diagnostics[0]?.message ?? '', /cannot read the question bank directory/);
  const text = [
    '- id: t.one',
    '  topic: wiring',
    '  difficulty: 3',
    '  type: text',
    '  lesson: wiring',
    '  prompt: {en: Which flag?, ko: 어떤 플래그입니까?}',
    '  answer: [--tls-cert-file, tls-cert-file]',
    '  explanation: {en: That one., ko: 그것입니다.}',
    '- id: t.two',
    '  topic: wiring',
    '  difficulty: 1',
    '  type: multiple',
    '  lesson: wiring',
    '  weight: 5',
    '  prompt: {en: Which files?, ko: 어떤 파일입니까?}',
    '  choices: [/etc/kubernetes/pki/ca.crt, {en: none, ko: 없음}, /etc/kubernetes/pki/ca.key]',
    '  answer: [2, 0]',
    '  explanation: {en: Those., ko: 그것들입니다.}',
  ].join('\n');
  const parsed = parseBankText(text, 'ok.yaml');
  assert.equal(parsed.diagnostics, []);
  const [one, two] = parsed.questions;
  assert.ok(one?.type === 'text' && one.normalize === 'text' && one.weight === 3 && !one.list, 'normalize defaults to text, weight to the difficulty');
  assert.equal(one?.type === 'text' ? one.accepted : undefined, [['--tls-cert-file'], ['tls-cert-file']]);
  assert.ok(two?.type === 'multiple' && two.weight === 5);
  assert.equal(two?.type === 'multiple' ? [two.answer, two.choices.map((choice) => choice.literal)] : undefined, [[0, 2], [true, false, true]]);
  assert.equal(one?.origin, { kind: 'bank', file: 'ok.yaml', line: 1 });
  assert.equal(two?.origin, { kind: 'bank', file: 'ok.yaml', line: 9 });

  const order = (answer: string) => [
    '- id: o.steps',
    '  topic: server-certs',
    '  difficulty: 3',
    '  type: order',
    '  lesson: server-certs',
    '  prompt: {en: In order?, ko: 순서대로?}',
    '  choices: [edit, move, run, restart]',
    `  answer: ${answer}`,
    '  explanation: {en: So., ko: 그렇습니다.}',
  ].join('\n');
  const twoOrders = parseBankText(order('[[0, 1, 2, 3], [1, 0, 2, 3]]'), 'order.yaml');
  assert.equal(twoOrders.diagnostics, []);
  const steps = twoOrders.questions[0];
  assert.equal(steps?.type === 'order' ? [steps.answer, steps.alsoAccepted] : undefined, [[0, 1, 2, 3], [[1, 0, 2, 3]]], 'the first order is the one shown');
  const oneOrder = parseBankText(order('[[2, 0, 1, 3]]'), 'order.yaml').questions[0];
  assert.ok(oneOrder?.type === 'order' && oneOrder.alsoAccepted === undefined);
  const problems = (answer: string) => parseBankText(order(answer), 'order.yaml').diagnostics.map((diagnostic) => diagnostic.message);
  assert.equal(problems('[[0, 1, 2, 3], [1, 0, 2]]'), ['question "o.steps": order 2 does not list every choice once (4 choices, 3 different given)']);
  assert.equal(problems('[[0, 1, 2, 3], [0, 1, 2, 3]]'), ['question "o.steps": order 2 repeats an order given before it']);
  assert.equal(problems('[[0, 1, 2, 9], [1, 0, 2, 3]]'), ['question "o.steps": order 1: answer 9 is out of range: there are 4 choices, numbered 0-3']);
});

test.run();
