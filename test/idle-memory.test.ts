import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { collectWhenIdle } from '../src/tui/idle-memory.js';
import { REPO_ROOT } from './helpers.js';

/** The app gives memory back once the learner stops pressing keys. */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('collects once the keys have stopped for the idle time, not while they keep coming', async () => {
  let collected = 0;
  const idle = collectWhenIdle({ idleMs: 80, collect: () => collected++ });
  await sleep(150);
  assert.is(collected, 0, 'nothing before the first key');
  for (let key = 0; key < 5; key++) {
    idle.activity();
    await sleep(30);
  }
  assert.is(collected, 0, 'keys every 30 ms keep it waiting');
  await sleep(120);
  assert.is(collected, 1);
  await sleep(150);
  assert.is(collected, 1, 'once per burst of keys');
  idle.activity();
  idle.stop();
  await sleep(150);
  assert.is(collected, 1, 'stopped with the app');
});

test("the collection is V8's real one, reached without a start-up flag", () => {
  const module = join(REPO_ROOT, 'dist', 'src', 'tui', 'idle-memory.js');
  const program = `const { fullGarbageCollection } = await import(${JSON.stringify(module)});
let garbage = Array.from({ length: 300000 }, (_, i) => ({ i, text: 'x' + i }));
garbage = undefined;
const before = process.memoryUsage().heapUsed;
fullGarbageCollection()();
console.log(JSON.stringify({ before, after: process.memoryUsage().heapUsed, globalGc: typeof globalThis.gc }));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8' });
  assert.is(run.status, 0, run.stderr);
  const { before, after, globalGc } = JSON.parse(run.stdout) as { before: number; after: number; globalGc: string };
  assert.is(globalGc, 'undefined', 'no gc() left on the global object');
  assert.ok(after < before / 2, `heap ${before} -> ${after}`);
});

test.run();
