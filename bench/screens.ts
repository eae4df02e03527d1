import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatMs, median } from './measure.js';
import { exitTime, isolatedHome, startInPty, type PtySession } from './pty.js';
import { HOME_COMPLETE } from './startup.js';

/**
 * What a learner waits for after the home screen, each time on a fresh start (so every screen's code
 * and data load for the first time), in a pseudo-terminal:
 * - the first open of each screen, from the key to the screen drawn whole, as a ratio to `node -e 0`
 *   (target: at most 1.5x); the sandbox with a generated RSA PKI; a lesson and the Sandbox also after a
 *   300 ms look at the entry (their work is done ahead while the learner looks);
 * - an exam with a sandbox: the first sign of work after Enter (target: within 100 ms), the question,
 *   and from yes to the first task (target: under 1 s for the two);
 * - a handshake, from the client chosen to its first step on screen (target: under 300 ms);
 * - `npm start` (which builds only when a source changed) against the launcher, to the home screen
 *   (target: at most 1.2x).
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'kubetls.cjs');
const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] \S/;

interface ScreenCase {
  name: string;
  /** Keys from the home screen to the key that opens the screen (that last key is timed). */
  before: string[];
  open: string;
  drawn: RegExp;
  sandbox?: boolean;
  /**
   * The screen does its work ahead while the learner looks at the entry that opens it (the lessons
   * list renders the selected lesson, the home menu loads the Sandbox's code): measured also after
   * a 300 ms look, as a learner presses Enter, beside the key pressed at once.
   */
  ahead?: boolean;
  /** The screen puts in a verdict a moment after its first frame (the Sandbox's manifests): timed to the last byte drawn. */
  settles?: boolean;
}

/** A screen that settles is done once nothing more was drawn for this long (longer than its slowest late frame). */
const SETTLED_AFTER_MS = 200;

/** A quick learner's look at the entry before pressing Enter. */
const LOOK_MS = 300;

const SCREENS: ScreenCase[] = [
  { name: 'Lessons', before: [], open: '\r', drawn: /1\. Why every connection is TLS +new/ },
  { name: 'a lesson', before: ['\r'], open: '\r', drawn: /\d+% +line 1\//, ahead: true },
  { name: 'Sandbox (RSA PKI)', before: ['j'], open: '\r', drawn: /^(?=[\s\S]*└─ ✓ apiserver-etcd-client)(?=[\s\S]*manifests\/)(?=[\s\S]*Certificate:)/, sandbox: true, ahead: true, settles: true },
  { name: 'Practice', before: ['j', 'j'], open: '\r', drawn: /^(?=[\s\S]*Practise which topic\?)(?=[\s\S]*All topics)/ },
  { name: 'Review', before: ['j', 'j', 'j', 'j'], open: '\r', drawn: /Nothing to review|Question 1 of/ },
  { name: 'Progress', before: ['j', 'j', 'j', 'j', 'j'], open: '\r', drawn: /^(?=[\s\S]*Scores over time)(?=[\s\S]*Review queue)(?=[\s\S]*Mastery by topic)/ },
  { name: 'Settings', before: ['j', 'j', 'j', 'j', 'j', 'j'], open: '\r', drawn: /^(?=[\s\S]*Language)(?=[\s\S]*Colour theme)/ },
];

export interface ScreensResult {
  nodeMedian: number;
  screens: { name: string; runs: number[]; median: number; ratio: number; afterLook?: { runs: number[]; median: number; ratio: number } }[];
  exam: { sign: number[]; question: number[]; firstTask: number[] };
  handshake: number[];
  npmStart: { npm: number[]; bin: number[]; ratio: number };
  /** `npm run env`, which runs nothing of kubetls: what npm alone costs before any start script. */
  npmFloor: number[];
}

/** A home of its own, with the sandbox (made once, copied) when the case needs one. */
function freshHome(sandbox: string | undefined): { env: NodeJS.ProcessEnv; cleanup(): void } {
  const home = isolatedHome();
  if (sandbox) cpSync(sandbox, join(home.env['XDG_DATA_HOME']!, 'kubetls', 'default', 'sandbox'), { recursive: true });
  return home;
}

async function keys(session: PtySession, list: string[]): Promise<void> {
  for (const key of list) {
    const since = process.hrtime.bigint();
    session.write(key);
    await session.settled(since, 40);
  }
}

/** From the key to the pattern, drawn after the key. */
async function timed(session: PtySession, key: string, pattern: RegExp, timeoutMs = 30_000): Promise<number> {
  const from = session.mark();
  const since = process.hrtime.bigint();
  session.write(key);
  return session.waitFor(pattern, { since, from, timeoutMs });
}

async function withApp<T>(sandbox: string | undefined, run: (session: PtySession) => Promise<T>, command = BIN): Promise<T> {
  const home = freshHome(sandbox);
  const session = startInPty(command, { env: home.env });
  try {
    await session.waitFor(HOME_COMPLETE, { timeoutMs: 60_000 });
    return await run(session);
  } finally {
    session.close();
    home.cleanup();
  }
}

/** A fresh start, the keys to the entry, a look of `lookMs`, then the open key, timed until the screen is drawn. */
function firstOpen(screen: ScreenCase, sandbox: string, lookMs: number): Promise<number> {
  return withApp(screen.sandbox ? sandbox : undefined, async (session) => {
    await keys(session, screen.before);
    if (screen.name === 'a lesson') await session.waitFor(/1\. Why every connection is TLS/);
    if (lookMs > 0) await new Promise((resolve) => setTimeout(resolve, lookMs));
    if (!screen.settles) return timed(session, screen.open, screen.drawn);
    const since = process.hrtime.bigint();
    const from = session.mark();
    session.write(screen.open);
    await session.waitFor(screen.drawn, { since, from, timeoutMs: 30_000 });
    // the verdict is a one-cell frame after checks that can take ~60 ms: a shorter quiet took the frame before it for the last
    return session.frameDone(since, SETTLED_AFTER_MS);
  });
}

export async function benchScreens(runs = 5): Promise<ScreensResult> {
  const made = mkdtempSync(join(tmpdir(), 'kubetls-bench-sandbox-'));
  const sandbox = join(made, 'sandbox');
  const init = spawnSync(process.execPath, [BIN, 'pki', 'init', '--dir', sandbox], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`pki init failed: ${init.stderr}`);
  const node: number[] = [];
  const screens = SCREENS.map((screen) => ({ name: screen.name, runs: [] as number[], afterLook: [] as number[] }));
  const exam = { sign: [] as number[], question: [] as number[], firstTask: [] as number[] };
  const handshake: number[] = [];
  const npmStart = { npm: [] as number[], bin: [] as number[] };
  const npmFloor: number[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      node.push(await exitTime(startInPty(`${process.execPath} -e 0`)));
      for (const [index, screen] of SCREENS.entries()) {
        screens[index]!.runs.push(await firstOpen(screen, sandbox, 0));
        if (screen.ahead) screens[index]!.afterLook.push(await firstOpen(screen, sandbox, LOOK_MS));
      }
      await withApp(sandbox, async (session) => {
        await keys(session, ['j', 'j', 'j']);
        const from = session.mark();
        const since = process.hrtime.bigint();
        session.write('\r');
        const sign = session.waitFor(new RegExp(`${SPINNER.source}|Start\\?`), { since, from, timeoutMs: 30_000 });
        exam.question.push(await session.waitFor(/Start\?/, { since, from, timeoutMs: 30_000 }));
        exam.sign.push(await sign);
        exam.firstTask.push(await timed(session, 'y', /Task 1 of \d+/));
      });
      handshake.push(
        await withApp(sandbox, async (session) => {
          await keys(session, ['j', '\r']);
          await session.waitFor(/├─ ✓ apiserver/, { timeoutMs: 30_000 });
          let from = session.mark();
          session.write('h');
          await session.waitFor(/Server \(presents its certificate\)/, { from });
          from = session.mark();
          session.write('\r');
          await session.waitFor(/super-admin/, { from });
          return timed(session, '\r', /kubetls handshake --server apiserver/);
        }),
      );
      for (const [times, command] of [[npmStart.npm, `npm --prefix ${ROOT} start --silent`], [npmStart.bin, BIN]] as const) {
        const home = isolatedHome();
        const session = startInPty(command, { env: home.env });
        try {
          times.push(await session.waitFor(HOME_COMPLETE, { timeoutMs: 120_000 }));
        } finally {
          session.close();
          home.cleanup();
        }
      }
      const started = process.hrtime.bigint();
      spawnSync('npm', ['--prefix', ROOT, 'run', 'env', '--silent'], { stdio: 'ignore' });
      npmFloor.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  } finally {
    rmSync(made, { recursive: true, force: true });
  }
  const nodeMedian = median(node);
  return {
    nodeMedian,
    screens: screens.map(({ afterLook, ...screen }) => ({
      ...screen,
      median: median(screen.runs),
      ratio: median(screen.runs) / nodeMedian,
      ...(afterLook.length > 0 ? { afterLook: { runs: afterLook, median: median(afterLook), ratio: median(afterLook) / nodeMedian } } : {}),
    })),
    exam,
    handshake,
    npmStart: { ...npmStart, ratio: median(npmStart.npm) / median(npmStart.bin) },
    npmFloor,
  };
}

export function reportScreens(result: ScreensResult): string {
  const verdict = (met: boolean) => (met ? 'met' : 'MISSED');
  const examTotal = median(result.exam.question) + median(result.exam.firstTask);
  return [
    `First open of each screen after a fresh start (pty 80x24), median of ${result.exam.question.length} runs; node -e 0: ${formatMs(result.nodeMedian)}`,
    ...result.screens.flatMap((screen) => [
      `  ${screen.name.padEnd(26)} ${formatMs(screen.median).padStart(9)}   ${screen.ratio.toFixed(2)}x node -e 0 (target <= 1.5)  ${verdict(screen.ratio <= 1.5)}${screen.afterLook ? '  (key at once)' : ''}`,
      ...(screen.afterLook ? [`  ${''.padEnd(26)} ${formatMs(screen.afterLook.median).padStart(9)}   ${screen.afterLook.ratio.toFixed(2)}x node -e 0 (target <= 1.5)  ${verdict(screen.afterLook.ratio <= 1.5)}  (after a ${LOOK_MS} ms look)`] : []),
    ]),
    'Exam with a sandbox (repairs checked and set up)',
    `  first sign of work after Enter     ${formatMs(median(result.exam.sign)).padStart(9)}   (target <= 100 ms)  ${verdict(median(result.exam.sign) <= 100)}`,
    `  Enter to the question              ${formatMs(median(result.exam.question)).padStart(9)}`,
    `  yes to the first task              ${formatMs(median(result.exam.firstTask)).padStart(9)}`,
    `  exam start (the two)               ${formatMs(examTotal).padStart(9)}   (target < 1 s)  ${verdict(examTotal < 1000)}`,
    `Handshake, client chosen to its first step  ${formatMs(median(result.handshake)).padStart(9)}   (target < 300 ms)  ${verdict(median(result.handshake) < 300)}`,
    `npm start to the home screen        ${formatMs(median(result.npmStart.npm)).padStart(9)}   launcher: ${formatMs(median(result.npmStart.bin))}   ${result.npmStart.ratio.toFixed(2)}x (target <= 1.2)  ${verdict(result.npmStart.ratio <= 1.2)}`,
    `  npm alone (npm run env)           ${formatMs(median(result.npmFloor)).padStart(9)}   ${(median(result.npmFloor) / median(result.npmStart.bin)).toFixed(2)}x the launcher before kubetls starts at all`,
  ].join('\n');
}
