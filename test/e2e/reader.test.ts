import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { removeTempDirs } from '../helpers.js';
import { openFirstLesson, startApp, type Terminal } from './tmux.js';

/** The lesson reader and the lessons list at 80x24, as a learner moves between lessons. */

let terminal: Terminal | undefined;
test.after.each(() => {
  terminal?.close();
  terminal = undefined;
});
test.after(removeTempDirs);

test('n opens the next lesson at its own start; the list shows how far each was read, the furthest point', async () => {
  terminal = startApp();
  await openFirstLesson(terminal);
  for (let page = 0; page < 4; page++) {
    const before = terminal.screen();
    terminal.keys('PageDown');
    await terminal.waitFor((screen) => screen !== before);
  }
  const down = await terminal.waitFor(/([3-9]\d)% +line (\d+)\//);
  const furthest = Number(/([3-9]\d)% +line/.exec(down)![1]);
  terminal.keys('g');
  await terminal.waitFor(/\d+% +line 1\//);
  terminal.keys('n');
  // the next lesson drawn: its heading on screen, not only its name in the header
  const next = await terminal.waitFor(/Certificates from first principles[\s\S]*\n═+/);
  const firstScreen = /(\d+)% +line 1\//.exec(next);
  assert.ok(firstScreen, 'the next lesson opens at its own top');
  terminal.keys('Escape');
  const list = await terminal.waitFor(/1\. Why every connection is TLS +read/);
  assert.match(list, new RegExp(`1\\. Why every connection is TLS +read ${furthest}%`), 'the furthest point, not where it was left');
  assert.match(list, new RegExp(`2\\. Certificates from first principles +read ${firstScreen![1]}%`), 'lesson 2: its own first screen, not the first one\'s position');
});

/** The reader's footer, "46%  line 97/252". */
const footer = (screen: string) => /\d+% +line (\d+)\/\d+/.exec(screen);

/** One key at a time until the footer shows this line at the top. */
async function stepTo(on: Terminal, key: 'j' | 'k', line: number): Promise<string> {
  for (;;) {
    const before = on.screen();
    const at = Number(footer(before)![1]);
    if (at === line) return footer(before)![0];
    if (key === 'j' ? at > line : at < line) throw new Error(`went past line ${line}: ${footer(before)![0]}`);
    on.keys(key);
    await on.waitFor((screen) => footer(screen)?.[0] !== footer(before)![0]);
  }
}

test('the same line shows the same percent whichever way it was reached: j down, then k back', async () => {
  terminal = startApp();
  await openFirstLesson(terminal);
  const down = await stepTo(terminal, 'j', 97);
  const deepest = await stepTo(terminal, 'j', 103);
  const back = await stepTo(terminal, 'k', 97);
  assert.is(back, down, 'line 97 reached by k shows what it showed when reached by j');
  terminal.keys('Escape');
  const list = await terminal.waitFor(/1\. Why every connection is TLS +read/);
  assert.match(list, new RegExp(`TLS +read ${/^\d+/.exec(deepest)![0]}%`), 'the list keeps the furthest point, by the same measure');
});

test('the contents are drawn over the lesson, which keeps its width', async () => {
  terminal = startApp();
  await openFirstLesson(terminal);
  terminal.keys('PageDown');
  await terminal.waitFor(/\d+% +line (2[0-9]|[3-9]\d)\//);
  terminal.keys('PageDown');
  const before = await terminal.waitFor(/\d+% +line ([4-9]\d)\//);
  terminal.keys('c');
  const over = await terminal.waitFor('─ Contents ─');
  const right = (screen: string) => screen.split('\n').slice(3, 20).map((line) => [...line].slice(50).join(''));
  assert.equal(right(over), right(before), 'the text beside the contents is where it was: not re-flowed narrower');
  terminal.keys('Escape');
  await terminal.waitFor((screen) => !screen.includes('─ Contents ─'));
  assert.match(terminal.screen(), /Esc back/, 'Esc closed the contents, not the lesson');
});

test('/ searches from the lessons list', async () => {
  terminal = startApp();
  await terminal.waitFor('Start with the first lesson');
  terminal.keys('Enter');
  // the list is drawn at once; its keys show in the status bar once the lessons are loaded
  await terminal.waitFor(/1\. .*new/);
  await terminal.waitFor(/\/ search/);
  terminal.keys('/');
  await terminal.waitFor('Search all lessons');
  terminal.type('requestheader-allowed-names');
  terminal.keys('Enter');
  await terminal.waitFor('Lessons that mention');
});

test.run();
