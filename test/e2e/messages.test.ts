import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { removeTempDirs } from '../helpers.js';
import { startApp, type Terminal } from './tmux.js';

/** Status messages in a real terminal: read whole, kept until the next key, read again with M. */

let terminal: Terminal | undefined;
test.after.each(() => {
  terminal?.close();
  terminal = undefined;
});
test.after(removeTempDirs);

/** The screen's text with line ends and the indents of wrapped lines taken out. */
function joined(screen: string): string {
  return screen.replace(/\s*\n\s*/g, ' ');
}

/** A fresh sandbox (ECDSA keys: quick), the tree's selection on `apiserver`. */
async function sandboxWithApiserverSelected(on: Terminal, generated: RegExp): Promise<void> {
  await on.waitFor(/레슨|Lessons/);
  on.keys('j', 'Enter');
  await on.waitFor(/i /);
  on.keys('i');
  await on.waitFor(/ecdsa-p256/);
  on.keys('j', 'j', 'j', 'Enter');
  await on.waitFor(generated, 20_000);
  on.keys('j');
  await on.waitFor(/apiserver +\(pki\/apiserver\.crt\)/);
}

test('Korean at 80x24: a long result wraps and is read whole, stays until the next key, and M shows it again', async () => {
  terminal = startApp({ args: ['--lang', 'ko'] });
  await sandboxWithApiserverSelected(terminal, /만들었습니다/);
  terminal.keys('b');
  await terminal.waitFor('무엇을 고장 낼까요');
  terminal.keys('4');
  await terminal.waitFor(/고장 냈습니다/);
  terminal.keys('r');
  const renewed = await terminal.waitFor((screen) => joined(screen).includes('새로 만드세요.'), 15_000);
  // the instruction at the end of the message is on the screen, not cut at column 79
  assert.match(joined(renewed), /apiserver를 갱신했지만 여전히 missing-san 상태입니다: 갱신은 기존 SAN과 용도를 그대로 복사합니다\. f를 눌러 새로 만드세요\./);
  for (const line of renewed.split('\n')) assert.ok(line.length <= 80, line);
  // no timer takes it away
  await new Promise((resolve) => setTimeout(resolve, 7000));
  assert.match(joined(terminal.screen()), /f를 눌러 새로 만드세요\./, 'still there after 7 s');
  terminal.keys('k');
  await terminal.waitFor((screen) => !joined(screen).includes('f를 눌러'));
  terminal.keys('M');
  const log = await terminal.waitFor('메시지');
  assert.match(joined(log), /f를 눌러 새로 만드세요\./, 'the renew result');
  assert.match(joined(log), /고장 냈습니다/, 'the break result before it');
  assert.match(joined(log), /만들었습니다/, 'and the first message');
});

test('M lists the key in ?, and an empty log says so', async () => {
  terminal = startApp();
  await terminal.waitFor('Start with the first lesson');
  terminal.keys('?');
  assert.match(await terminal.waitFor('Everywhere'), /M +earlier messages/);
  terminal.keys('x');
  await terminal.waitFor((screen) => !screen.includes('Everywhere'));
  terminal.keys('M');
  await terminal.waitFor('No messages yet.');
});

test("Node's own warnings are kept in the log, never written over the screen (NO_COLOR beside FORCE_COLOR)", async () => {
  terminal = startApp({ env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
  await terminal.waitFor('Start with the first lesson');
  terminal.keys('Enter');
  await terminal.waitFor(/1\. .*new/);
  terminal.keys('Enter');
  const lesson = await terminal.waitFor(/\d+% +line 1\//);
  assert.not.match(lesson, /\(node:\d+\)|FORCE_COLOR/, lesson);
  assert.match(lesson, /^ kubetls › Lessons › /m, 'the header is whole');
  terminal.keys('M');
  const log = await terminal.waitFor('Messages');
  // the dialog's own text: what lies between its borders
  const inside = log.split('\n').flatMap((line) => (/│.*│/.test(line) ? [line.slice(line.indexOf('│') + 1, line.lastIndexOf('│'))] : []));
  assert.match(joined(inside.join('\n')), /Warning: The 'NO_COLOR' env is ignored due to the 'FORCE_COLOR' env being set\./, log);
});

test.run();
