import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { removeTempDirs } from '../helpers.js';
import { englishProse, hasHangul } from '../support/prose.js';
import { openMenu, startApp, type Terminal } from './tmux.js';

/**
 * Issue #16 in the app, on the screens the other Korean walks do not cover (learn-korean: lessons,
 * reader, progress, review; sandbox-korean: the Sandbox and its dialogs): home, the key help, Settings,
 * the message log, practice and the exam, at 80x24 under ko_KR.UTF-8. Each screen must be free of
 * English prose (what is kept as printed aside); the same walk in English must be free of Hangul.
 */

const KOREAN = { LANG: 'ko_KR.UTF-8' };
const ENGLISH = { LANG: 'C.UTF-8' };

let terminal: Terminal | undefined;
test.after.each(() => {
  terminal?.close();
  terminal = undefined;
});
test.after(removeTempDirs);

/** The screen's lines of English prose (box borders and scroll bars are not words). */
function proseOn(screen: string): string[] {
  return screen.split('\n').flatMap((line) => {
    const prose = englishProse(line.replace(/[│┌┐└┘├┤─═║]/g, ' '));
    return prose === undefined ? [] : [`${prose}   <- ${line.trim()}`];
  });
}

function assertKorean(screen: string, where: string): void {
  assert.equal(proseOn(screen), [], `${where}: English prose on the screen\n${screen}`);
  assert.ok(hasHangul(screen), `${where}: Korean on the screen\n${screen}`);
}

function assertEnglish(screen: string, where: string): void {
  assert.not.ok(hasHangul(screen), `${where}: Hangul on an English screen\n${screen}`);
}

/** Home, `?`, Settings, the message log: the screens every session passes through. */
async function walkHome(on: Terminal, check: (screen: string, where: string) => void, words: { home: RegExp; help: RegExp; settings: RegExp; messages: RegExp }): Promise<void> {
  check(await on.waitFor(words.home), 'home');
  on.keys('?');
  check(await on.waitFor(words.help), 'the key help on home');
  on.keys('Escape');
  await on.waitFor(words.home);
  openMenu(on, 'Settings');
  check(await on.waitFor(words.settings), 'Settings');
  on.keys('Escape');
  await on.waitFor(words.home);
  on.keys('M');
  check(await on.waitFor(words.messages), 'the message log');
  on.keys('Escape');
}

test('home, the key help, Settings and the message log speak Korean', async () => {
  terminal = startApp({ env: KOREAN });
  await walkHome(terminal, assertKorean, { home: /첫 레슨부터 시작하세요/, help: /이 화면에서/, settings: /언어/, messages: /아직 메시지가 없습니다/ });
});

test('the same screens in English have no Hangul', async () => {
  terminal = startApp({ env: ENGLISH });
  await walkHome(terminal, assertEnglish, { home: /Start with the first lesson/, help: /earlier messages/, settings: /Language/, messages: /No messages yet/ });
});

test('practice in Korean: the topic chooser, a question, its explanation', async () => {
  terminal = startApp({ env: KOREAN });
  await terminal.waitFor(/첫 레슨부터 시작하세요/);
  openMenu(terminal, 'Practice quiz');
  assertKorean(await terminal.waitFor(/모든 주제/), 'the practice topic chooser');
  terminal.keys('Enter');
  const question = await terminal.waitFor(/\d+문제 중 1번/, 20_000);
  assertKorean(question, 'a practice question');
  // whatever kind of question it is (an ordering one takes no single letter), s shows its answer and
  // explanation; a typed answer's field gives the keys back first
  if (/✎ .*█/.test(question)) {
    terminal.keys('Escape');
    await terminal.waitFor((screen) => !screen.includes('█'));
  }
  terminal.keys('s');
  assertKorean(await terminal.waitFor((screen) => screen !== question && /정답|맞았|틀렸/.test(screen), 20_000), 'the explanation after an answer');
});

test('the exam in Korean: the start question, a task, the key help', async () => {
  terminal = startApp({ env: KOREAN });
  await terminal.waitFor(/첫 레슨부터 시작하세요/);
  openMenu(terminal, 'Exam');
  assertKorean(await terminal.waitFor('시작할까요?', 20_000), 'the exam start question');
  terminal.keys('y');
  const task = await terminal.waitFor(/20문제 중 1번/, 20_000);
  assertKorean(task, 'the first exam task');
  if (/✎ .*█/.test(task)) terminal.keys('Escape');
  terminal.keys('?');
  assertKorean(await terminal.waitFor(/이 화면에서/), 'the exam\'s key help');
});

test.run();
