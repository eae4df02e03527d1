import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { displayWidth, padColumns, truncate, wrapTagged } from '../src/tui/width.js';
import { findBinding, type Binding } from '../src/tui/keymap.js';
import { translator } from '../src/tui/strings.js';
import { escapeTags, paint, themeFor } from '../src/tui/theme.js';
import { correctPositions, emptyDraft, renderQuestion, responseOf } from '../src/tui/views/question.js';
import type { PresentedQuestion } from '../src/quiz/present.js';
import type { Question } from '../src/quiz/types.js';

/** The app's pure parts, in process: widths, keymap lookup, strings, themes, the question widget. */

test('display width counts Hangul and other wide characters as two columns', () => {
  assert.is(displayWidth('kubetls'), 7);
  assert.is(displayWidth('레슨'), 4);
  assert.is(displayWidth('샌드박스 sandbox'), 16);
  assert.is(padColumns('레슨', 6), '레슨  ');
  assert.is(truncate('인증서 체인 검증', 8, true), '인증서 …');
  assert.ok(displayWidth(truncate('인증서 체인 검증', 8, true)) <= 8);
  assert.is(truncate('short', 10, false), 'short');
  assert.is(truncate('a long title', 6, false), 'a lon~');
});

test('word wrap of tagged text: whole words, tags take no columns, Hangul two, long words cut, indent kept', () => {
  const visible = (line: string) => displayWidth(line.replace(/\{open\}/g, '{').replace(/\{close\}/g, '}').replace(/\{[^{}]*\}/g, ''));
  const text = '  • server kube-apiserver listens with pki/apiserver.crt (--tls-cert-file in manifests/kube-apiserver.yaml)';
  const lines = wrapTagged(text, 40).split('\n');
  assert.ok(lines.every((line) => visible(line) <= 40), lines.join('|'));
  assert.ok(lines.some((line) => line.includes('(--tls-cert-file')), 'the flag is not cut');
  assert.ok(lines.slice(1).every((line) => line.startsWith('  ')), 'continuation lines keep the indent');
  assert.is(lines.join(' ').replace(/\s+/g, ' ').trim(), text.replace(/\s+/g, ' ').trim(), 'nothing lost');
  assert.is(wrapTagged('{bold}abc{/bold} {open}x{close}', 10), '{bold}abc{/bold} {open}x{close}', 'tags are free, escaped braces one column');
  const korean = wrapTagged('한국어 텍스트 한국어 텍스트', 14).split('\n');
  assert.equal(korean, ['한국어 텍스트', '한국어 텍스트']);
  assert.equal(wrapTagged('x'.repeat(25), 10).split('\n').map((line) => line.length), [10, 10, 5]);
});

test('one keymap: the first binding that names the key wins', () => {
  const calls: string[] = [];
  const bindings: Binding[] = [
    { keys: ['a'], display: 'a', label: 'keyPick', run: () => void calls.push('pick a') },
    { keys: ['enter'], display: '⏎', label: 'keyOpen', run: () => void calls.push('open') },
    { keys: ['a', 'b'], display: 'a/b', label: 'keyMove', run: () => void calls.push('move') },
  ];
  findBinding(bindings, { full: 'a', name: 'a', ch: 'a' })?.run();
  findBinding(bindings, { full: 'enter', name: 'enter', ch: '\r' })?.run();
  findBinding(bindings, { full: 'b', name: 'b', ch: 'b' })?.run();
  assert.equal(calls, ['pick a', 'open', 'move']);
  assert.is(findBinding(bindings, { full: 'return', name: 'return', ch: '\r' }), undefined, 'Enter acts once: `return` is not `enter`');
});

test('every app string exists in English and Korean, with the same placeholders', () => {
  const en = translator('en');
  const ko = translator('ko');
  const keys = ['continueAt', 'sandboxGenerated', 'submitConfirm', 'quizDone', 'tooSmall', 'handshakeFailed'] as const;
  for (const key of keys) {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    assert.equal(placeholders(en(key)), placeholders(ko(key)), key);
  }
  assert.is(en('quizDone', { score: 7, max: 10, percent: 70 }), 'Score: 7/10 (70%)');
  assert.is(ko('quizDone', { score: 7, max: 10, percent: 70 }), '점수: 7/10 (70%)');
});

test('monochrome draws no colour; text from files never becomes a blessed tag', () => {
  assert.is(paint(themeFor('dark', true), 'ok', 'fine'), 'fine');
  assert.is(paint(themeFor('dark', true), 'bad', 'no'), '{bold}no{/bold}');
  assert.is(paint(themeFor('dark', false), 'ok', 'fine'), '{green-fg}fine{/green-fg}');
  assert.is(escapeTags('{bold}x{/bold}'), '{open}bold{close}x{open}/bold{close}');
});

function presented(question: Partial<Question> & Pick<Question, 'type'>, choiceOrder: number[]): PresentedQuestion {
  const base = {
    id: 'q', topic: 'cluster-ca', difficulty: 1, lesson: 'cluster-ca', weight: 1, origin: { kind: 'bank', file: 'x', line: 1 },
    prompt: { en: 'Which file is the cluster CA certificate?', ko: '클러스터 CA 인증서 파일은?' },
    explanation: { en: 'ca.crt', ko: 'ca.crt' },
    choices: ['ca.crt', 'ca.key', 'sa.pub'].map((text) => ({ text: { en: text, ko: text }, literal: true })),
  };
  return { question: { ...base, ...question } as Question, choiceOrder };
}

test('the question widget: picks become responses in the bank\'s own indices, whatever the shuffle', () => {
  const single = presented({ type: 'single', answer: 0 }, [2, 0, 1]);
  assert.is(responseOf(single, emptyDraft()), undefined, 'nothing picked: no answer yet');
  assert.equal(responseOf(single, { ...emptyDraft(), picked: [1] }), { kind: 'choices', indices: [0] });
  assert.equal(correctPositions(single), [1]);
  const order = presented({ type: 'order', answer: [0, 1, 2] }, [1, 2, 0]);
  assert.is(responseOf(order, { ...emptyDraft(), picked: [2, 0] }), undefined, 'an ordering needs every step');
  assert.equal(responseOf(order, { ...emptyDraft(), picked: [2, 0, 1] }), { kind: 'choices', indices: [0, 1, 2] });
  const multiple = presented({ type: 'multiple', answer: [0, 2] }, [0, 1, 2]);
  assert.equal(responseOf(multiple, { ...emptyDraft(), picked: [2, 0] }), { kind: 'choices', indices: [0, 2] });
  const screen = renderQuestion(single, { cursor: 1, picked: [1], text: '' }, { theme: themeFor('dark', true), unicode: true, lang: 'ko', hint: 'hint' });
  assert.match(screen, /클러스터 CA 인증서 파일은\?/);
  assert.match(screen, /▶ \(●\) b\) ca\.crt/);
  assert.match(screen, /\( \) a\) sa\.pub/);
});

test.run();
