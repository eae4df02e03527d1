import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeTempDirs } from '../helpers.js';
import { englishProse } from '../support/prose.js';
import { openMenu, startApp, type Terminal } from './tmux.js';

/** Issue #16 in the app: the Lessons list, the Reader, Progress and Review read in Korean at 80x24. */

const PROGRESS_SAMPLE = fileURLToPath(new URL('../../../test/fixtures/progress/v1-sample.json', import.meta.url));
const KOREAN = { LANG: 'ko_KR.UTF-8' };

let terminal: Terminal | undefined;
test.after.each(() => {
  terminal?.close();
  terminal = undefined;
});
test.after(removeTempDirs);

/** A learner who has read, answered and missed questions, with Korean chosen in Settings. */
function withKoreanProgress(home: string): void {
  const sample = JSON.parse(readFileSync(PROGRESS_SAMPLE, 'utf8')) as { settings: { language: string }; review: Record<string, unknown> };
  sample.settings.language = 'ko';
  // two questions of the course's banks wait in the review boxes
  sample.review = {
    'zero-trust.only-etcd-client': { box: 2, due: '2025-03-04T10:30:00.000Z', streak: 1 },
    'cluster-ca.cn': { box: 2, due: '2025-03-05T11:15:00.000Z', streak: 1 },
  };
  const dir = join(home, 'config', 'kubetls-nodejs');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(sample));
}

/** Lines with English prose, box borders aside (test/support/prose.ts says what is kept as printed). */
function englishLines(screen: string): string[] {
  return screen.split('\n').filter((line) => englishProse(line.replace(/[│┌┐└┘├┤─]/g, ' ')) !== undefined);
}

test('Lessons and the Reader in Korean: titles, status words, call-out labels', async () => {
  terminal = startApp({ env: KOREAN });
  await terminal.waitFor('첫 레슨부터 시작하세요');
  terminal.keys('Enter');
  const list = await terminal.waitFor(/1\. 모든 연결이 TLS인 이유 +새 레슨/);
  assert.equal(englishLines(list), [], 'the lessons list has no English prose');
  terminal.keys('Enter');
  await terminal.waitFor(/\d+% +1\/\d+줄/);
  // page down until the first call-out's label is on screen
  let screen = terminal.screen();
  for (let page = 0; page < 8 && !/┌─ 정보: /.test(screen); page++) {
    terminal.keys('PageDown');
    screen = await terminal.waitFor((next) => next !== screen);
  }
  assert.match(screen, /┌─ 정보: 인증\(authentication\)과 인가\(authorization\)는 다르다/);
  assert.not.match(screen, /┌─ (?:NOTE|TIP|INFO|WARNING|DANGER|CAUTION)\b/);
});

test('Progress in Korean: topics by name, score modes and labels', async () => {
  terminal = startApp({ env: KOREAN, prepare: withKoreanProgress });
  await terminal.waitFor('이어서');
  openMenu(terminal, 'Progress');
  const screen = await terminal.waitFor(/제로 트러스트와 mTLS/);
  assert.match(screen, /주제별 숙련도/);
  assert.not.match(screen, /\bzero-trust\b|\bcluster-ca\b/, 'topic names, not ids');
  assert.equal(englishLines(screen), [], 'no English prose on the Progress screen');
});

test('Review in Korean', async () => {
  terminal = startApp({ env: KOREAN, prepare: withKoreanProgress });
  await terminal.waitFor('이어서');
  openMenu(terminal, 'Review');
  // the first card's question, asked in Korean, with the Review screen's own words around it
  const screen = await terminal.waitFor(/etcd에 접속하는 유일한 컴포넌트/);
  assert.equal(englishLines(screen), [], 'no English prose on the Review screen');
});

test.run();
