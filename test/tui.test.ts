import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { padColumns, truncate, truncateAtWord, wrapTagged } from '../src/tui/width.js';
import { WIDE_RANGES, ZERO_WIDTH_RANGES, columns } from '../src/text-width.cjs';
import { findBinding, isPrintable, type Binding } from '../src/tui/keymap.js';
import { translator } from '../src/tui/strings.js';
import { escapeTags, paint, themeFor } from '../src/tui/theme.js';
import { answerBindings, correctPositions, emptyDraft, renderQuestion, responseOf } from '../src/tui/views/question.js';
import type { PresentedQuestion } from '../src/quiz/present.js';
import type { Question } from '../src/quiz/types.js';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeTempDirs, tempDir } from './helpers.js';
import { legacyTerminfo, patchTput, tputPatched } from '../src/tui/blessed-tput.cjs';
import { copyToClipboard } from '../src/tui/clipboard.js';
import { percentShown } from '../src/tui/widgets.js';
import { patchBlessedUnicode, unicodePatched } from '../src/tui/blessed-unicode.cjs';
import { PassThrough } from 'node:stream';

/** The app's pure parts, in process: widths, keymap lookup, strings, themes, the question widget. */

test('display width counts Hangul and other wide characters as two columns', () => {
  assert.is(columns('kubetls'), 7);
  assert.is(columns('레슨'), 4);
  assert.is(columns('샌드박스 sandbox'), 16);
  assert.is(padColumns('레슨', 6), '레슨  ');
  assert.is(truncate('인증서 체인 검증', 8, true), '인증서 …');
  assert.ok(columns(truncate('인증서 체인 검증', 8, true)) <= 8);
  assert.is(truncate('short', 10, false), 'short');
  assert.is(truncate('a long title', 6, false), 'a lon~');
});

test('a cut between words: a question in a list row ends on a whole word and the ellipsis', () => {
  const question = 'In a cluster built by current kubeadm, which group (O) is in apiserver-kubelet-client.crt?';
  assert.is(truncateAtWord(question, 72, true), 'In a cluster built by current kubeadm, which group (O) is in…');
  assert.is(truncateAtWord(question, 200, true), question);
  assert.is(truncateAtWord('인증서 체인 검증을 합니다', 12, true), '인증서 체인…');
  assert.is(truncateAtWord('a long title', 7, false), 'a long~', 'a cut that falls on a space keeps the word before it');
  assert.is(truncateAtWord('apiserver-kubelet-client.crt is', 10, true), 'apiserver…', 'a word wider than half the room is cut inside');
  assert.ok(columns(truncateAtWord(question, 30, true)) <= 30);
});

test('word wrap of tagged text: whole words, tags take no columns, Hangul two, long words cut, indent kept', () => {
  const visible = (line: string) => columns(line.replace(/\{open\}/g, '{').replace(/\{close\}/g, '}').replace(/\{[^{}]*\}/g, ''));
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

test('word wrap of a list breaks after its commas: a SAN stays whole, a name wider than the indent allows starts at the margin', () => {
  const sans = '    DNS:kubernetes.default, DNS:kubernetes.default.svc.cluster.local, IP Address:10.96.0.1, IP Address:192.0.2.2';
  assert.equal(wrapTagged(sans, 44).split('\n'), ['    DNS:kubernetes.default,', 'DNS:kubernetes.default.svc.cluster.local,', '    IP Address:10.96.0.1,', '    IP Address:192.0.2.2']);
  assert.is(wrapTagged('a, b, an item longer than the line is, c', 20), 'a, b, an item longer\nthan the line is, c', 'an item wider than a line breaks between its words');
});

test('how far read is measured from the lines shown: the same view gives the same percent; 100 only with the end on screen', () => {
  // lesson 1 at 80x24: 252 lines, 21 rows; line 97 at the top shows down to line 117
  assert.is(percentShown(96, 21, 252), 46);
  assert.is(percentShown(0, 21, 252), 8, 'the first screen has been read');
  assert.is(percentShown(231, 21, 252), 100, 'the last line at the bottom edge');
  assert.is(percentShown(230, 21, 252), 99, 'one line still below: not rounded up to 100');
  assert.is(percentShown(0, 21, 15), 100, 'a text shorter than the view');
});

test('word wrap of a sentence holding a list: the prose around the list wraps word by word (the status line at 80 columns)', () => {
  const english = 'Not repaired: #10, #11, #13. kubetls put those parts back; Enter shows the checks.';
  assert.equal(wrapTagged(english, 78).split('\n'), ['Not repaired: #10, #11, #13. kubetls put those parts back; Enter shows the', 'checks.']);
  const korean = '고치지 못한 과제: #9, #16, #19. kubetls가 그 부분을 되돌려 놓았습니다. Enter: 검사 결과 보기';
  assert.equal(wrapTagged(korean, 78).split('\n'), ['고치지 못한 과제: #9, #16, #19. kubetls가 그 부분을 되돌려 놓았습니다. Enter:', '검사 결과 보기']);
  assert.is(wrapTagged('Hosts: a.example, b.example, c.example. Those are all.', 30), 'Hosts: a.example, b.example,\nc.example. Those are all.', 'the items still break after their commas');
  assert.is(wrapTagged('클러스터 CA: apiserver, kubelet, 사용자 인증서에 서명합니다. apiserver는 이 CA가 서명한 클라이언트 인증서를 신뢰합니다', 43).split('\n')[0], '클러스터 CA: apiserver, kubelet, 사용자', 'a sentence that goes on after its list fills the line');
});

test('one keymap: the first binding that names the key wins', () => {
  const calls: string[] = [];
  const bindings: Binding[] = [
    { keys: ['a'], display: 'a', label: 'keyPick', run: () => void calls.push('pick a') },
    { keys: ['enter'], display: '⏎', label: 'keyOpen', run: () => void calls.push('open') },
    { keys: ['a', 'b'], display: 'a/b', label: 'keyMove', run: () => void calls.push('move') },
  ];
  const press = (full: string, ch?: string) => {
    const event = { full, name: full, ch };
    findBinding(bindings, event)?.run(event);
  };
  press('a', 'a');
  press('enter', '\r');
  press('b', 'b');
  assert.equal(calls, ['pick a', 'open', 'move']);
  assert.is(findBinding(bindings, { full: 'return', name: 'return', ch: '\r' }), undefined, 'Enter acts once: `return` is not `enter`');
});

test('a text answer takes every key that types from the first: s is a letter there, not skip; Esc gives the keys back', () => {
  const question = presented({ type: 'text', answers: ['system:kube-controller-manager'] } as Partial<Question> & Pick<Question, 'type'>, []);
  let draft = emptyDraft();
  const skipped: string[] = [];
  const screenKeys: Binding[] = [{ keys: ['s'], display: 's', label: 'keySkip', run: () => void skipped.push('skip') }, { keys: ['escape'], display: 'Esc', label: 'keyBack', run: () => void skipped.push('back') }];
  const press = (full: string, ch?: string) => {
    const event = { full, name: full, ch };
    findBinding([...answerBindings(question, { draft: () => draft, change: (next) => (draft = next) }), ...screenKeys], event)?.run(event);
  };
  for (const char of 'system:kube-controller-manager?') press(char === '?' ? '?' : char, char);
  press('backspace', '\x7f');
  assert.is(draft.text, 'system:kube-controller-manager');
  assert.equal(skipped, [], 'no shortcut fired while typing');
  for (const char of ' 한글') press(char === ' ' ? 'space' : char, char);
  assert.is(draft.text, 'system:kube-controller-manager 한글', 'space and Hangul type too');
  press('escape', '\x1b');
  assert.ok(draft.leftField);
  press('s', 's');
  assert.equal(skipped, ['skip'], 'after Esc, s is the screen\'s again');
  press('i', 'i');
  press('x', 'x');
  assert.is(draft.text, 'system:kube-controller-manager 한글x', 'i types again');
  for (const key of [['enter', '\r'], ['tab', '\t'], ['C-c', '\x03'], ['up', undefined]] as const) {
    assert.not.ok(isPrintable({ full: key[0], name: key[0], ch: key[1] }), key[0]);
  }
});

test('every app string exists in English and Korean, with the same placeholders', () => {
  const en = translator('en');
  const ko = translator('ko');
  const keys = ['continueAt', 'sandboxGenerated', 'submitConfirm', 'quizDone', 'tooSmall', 'handshakeFailed'] as const;
  for (const key of keys) {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)(?:\|[^}]+)?\}/g)].map((m) => m[1]).sort();
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

test('8-colour terminals: muted text and borders take the default foreground, never grey (drawn black there)', () => {
  const eight = themeFor('dark', false, 8);
  assert.is(paint(eight, 'muted', 'hint'), 'hint');
  assert.is(eight.border, undefined);
  assert.is(themeFor('dark', false, 256).muted, 'gray');
  assert.is(paint(themeFor('dark', false, 256), 'muted', 'hint'), '{gray-fg}hint{/gray-fg}');
});

test('terminfo with 32-bit numbers (ncurses 6.1+, tmux-256color) is read whole: 256 colours, extended capabilities', () => {
  const dir = tempDir('kubetls-terminfo-');
  // pairs#0x10000 makes tic write the 32-bit format; the two entries' string tables end on an odd and an even byte
  const entry = (name: string, sgr0: string) =>
    `${name}|kubetls test terminal,\n\tam, AX,\n\tcolors#0x100, cols#80, lines#24, pairs#0x10000, U8#1,\n` +
    `\tbold=\\E[1m, clear=\\E[H\\E[J, cup=\\E[%i%p1%d;%p2%dH, setaf=\\E[%?%p1%{8}%<%t3%p1%d%e38;5;%p1%d%;m, sgr0=${sgr0}, Ms=\\E]52;%p1%s;%p2%s\\007,\n`;
  writeFileSync(join(dir, 'source'), entry('kt-even', '\\E[m') + entry('kt-odd', '\\E[0m'));
  const tic = spawnSync('tic', ['-x', '-o', join(dir, 'db'), join(dir, 'source')], { encoding: 'utf8' });
  assert.is(tic.status, 0, tic.stderr);
  const Tput = createRequire(import.meta.url)('blessed/lib/tput') as new (options: object) => { colors: number; error: Error | null; numbers: Record<string, number>; bools: Record<string, boolean>; strings: Record<string, string> };
  for (const name of ['kt-even', 'kt-odd']) {
    const file = join(dir, 'db', 'k', name);
    assert.is(readFileSync(file).readUInt16LE(0), 0o1036, `${name}: tic wrote the 32-bit format`);
    assert.is(legacyTerminfo(readFileSync(file)).readUInt16LE(0), 0o432);
    const tput = new Tput({ terminal: name, terminfoPrefix: join(dir, 'db') });
    assert.is(tput.error, null, name);
    assert.is(tput.colors, 256, name);
    assert.is(tput.numbers['max_pairs'], 32767, `${name}: too big for 16 bits, kept as the largest`);
    assert.is(tput.numbers['U8'], 1, `${name}: extended number`);
    assert.is(tput.bools['AX'], true, `${name}: extended boolean`);
    assert.is(tput.strings['Ms'], '\x1b]52;%p1%s;%p2%s\x07', `${name}: extended string`);
    assert.is(tput.strings['cursor_address'], '\x1b[%i%p1%d;%p2%dH', name);
  }
});
test.after(removeTempDirs);

test('copy outside tmux: OSC 52 to the terminal (through GNU screen\'s passthrough inside screen)', async () => {
  const written: string[] = [];
  const write = (sequence: string) => void written.push(sequence);
  assert.is(await copyToClipboard('kubetls pki init --dir ~/lab', { env: {}, write }), 'terminal');
  assert.is(written[0], `\x1b]52;c;${Buffer.from('kubetls pki init --dir ~/lab').toString('base64')}\x07`);
  await copyToClipboard('한국어', { env: { STY: '1.pts-0' }, write });
  assert.is(written[1], `\x1bP\x1b]52;c;${Buffer.from('한국어').toString('base64')}\x07\x1b\\`);
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

test("blessed's terminfo methods are replaced only when they have the shape the replacements were written for", () => {
  assert.ok(tputPatched, 'blessed as installed (0.1.81) is patched');
  const parseTerminfo = function (_data: unknown, _file: unknown) {};
  const compile = function (_info: unknown, _key: unknown, _str: unknown) {};
  const changedShapes: Record<string, unknown>[] = [
    { parseTerminfo },
    { parseTerminfo, _compile: function (_info: unknown, _key: unknown) {} },
    { parseTerminfo: function (_data: unknown) {}, _compile: compile },
    { parseTerminfo, _compile: 'compiled elsewhere' },
  ];
  for (const prototype of changedShapes) {
    const before = { ...prototype };
    assert.not.ok(patchTput(prototype), JSON.stringify(Object.keys(prototype)));
    assert.equal(prototype, before, "blessed's own methods are left in place");
  }
  const expected: Record<string, unknown> = { parseTerminfo, _compile: compile };
  assert.ok(patchTput(expected));
  assert.is.not(expected['parseTerminfo'], parseTerminfo);
});

/** A blessed screen with nowhere to draw, laid out as the app's (fullUnicode). */
function headlessScreen() {
  const blessed = createRequire(import.meta.url)('../src/tui/blessed.cjs') as typeof import('../src/tui/blessed.cjs');
  const output = Object.assign(new PassThrough(), { columns: 60, rows: 20, isTTY: true });
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => input });
  const screen = blessed.screen({ input: input as never, output: output as never, fullUnicode: true, warnings: false, terminal: 'xterm-256color' });
  return { blessed, screen };
}

test('text width: the tables are sorted and the measure is what a terminal shows', () => {
  for (const ranges of [WIDE_RANGES, ZERO_WIDTH_RANGES]) ranges.forEach(([from, to], index) => assert.ok(from <= to && (index === 0 || ranges[index - 1]![1] < from), `${from.toString(16)}-${to.toString(16)} in order`));
  const expected: [string, number][] = [['kubetls', 7], ['레슨', 4], ['。、', 4], ['ｱ', 1], ['😀', 2], ['✅', 2], ['👍🏽', 2], ['🇰🇷', 2], ['─┼▶', 3], ['e\u0301', 1], ['\u001b', 0], ['a\u200bb', 2]];
  for (const [text, width] of expected) assert.is(columns(text), width, JSON.stringify(text));
});

test('blessed lays text out in the columns src/text-width.cts measures: Hangul, CJK punctuation, emoji, box drawing', () => {
  assert.ok(unicodePatched, 'blessed as installed (0.1.81) takes the tables');
  const unicode = createRequire(import.meta.url)('blessed/lib/unicode') as { strWidth(text: string): number; charWidth(text: string): number };
  const samples = ['한국어 인증서', '가。、「」ｱ', '😀 ✅ ❌ 🎉', '🇰🇷', '👍🏽', '─│┌┐└┘├┤ ▶ ⠋ ✓', 'é e\u0301', 'ㄱㄴ'];
  const { blessed, screen } = headlessScreen();
  try {
    samples.forEach((sample, row) => blessed.box({ parent: screen, top: row, left: 0, width: 40, height: 1, content: `${sample}|` }));
    screen.render();
    samples.forEach((sample, row) => {
      const cells = (screen as unknown as { lines: [unknown, string][][] }).lines[row]!;
      const marker = cells.findIndex((cell) => cell[1] === '|');
      assert.is(marker, columns(sample), `${sample}: the cell after it`);
      assert.is(unicode.strWidth(sample), columns(sample), `${sample}: blessed's own measure`);
      // the screen skips the cell after one charWidth calls two wide: each wide character's pair of cells
      const wide = cells.slice(0, marker).filter((cell) => unicode.charWidth(cell[1]) === 2).length;
      assert.is(marker - wide, cells.slice(0, marker).filter((cell) => unicode.charWidth(cell[1]) !== 2).length);
    });
  } finally {
    screen.destroy();
  }
});

test("blessed's unicode tables are replaced only when they have the shape the patch was written for", () => {
  const charWidth = (_text: string | number, _i?: number) => 1;
  const codePointAt = (text: string, position: number) => text.codePointAt(position) ?? 0;
  const changedShapes: Record<string, unknown>[] = [
    { codePointAt, combining: {}, chars: { all: /x/g } },
    { charWidth, combining: {}, chars: { all: /x/g } },
    { charWidth, codePointAt, combining: {}, chars: { wide: /x/g } },
    { charWidth, codePointAt, combining: {}, chars: { all: /x/ } },
    { charWidth, codePointAt, chars: { all: /x/g } },
  ];
  for (const unicode of changedShapes) {
    const before = JSON.stringify(unicode, (_key, value: unknown) => (value instanceof RegExp ? String(value) : value));
    assert.not.ok(patchBlessedUnicode(unicode), before);
    assert.is(JSON.stringify(unicode, (_key, value: unknown) => (value instanceof RegExp ? String(value) : value)), before, 'left as it was');
    assert.is(unicode['charWidth'], changedShapes.find((shape) => shape === unicode)!['charWidth']);
  }
  const expected: Record<string, unknown> = { charWidth, codePointAt, combining: {}, chars: { all: /x/g } };
  assert.ok(patchBlessedUnicode(expected));
  assert.is((expected['charWidth'] as typeof charWidth)('한', 0), 2);
});

test.run();
