import { fileURLToPath } from 'node:url';
import { median, formatMs } from './measure.js';
import { isolatedHome, startInPty, type PtySession } from './pty.js';
import { HOME_COMPLETE } from './startup.js';

/**
 * Key latency while scrolling a long lesson (key press to the frame that shows the new position),
 * resident memory at the home screen, and its growth over a scripted 500-step session.
 * Targets: median latency under 10 ms; under 70 MB at home; under 10% growth.
 */

const BIN = fileURLToPath(new URL('../../bin/kubetls.cjs', import.meta.url));
const KEY = { enter: '\r', escape: '\x1b', down: 'j', up: 'k', pageDown: '\x1b[6~', top: 'g', bottom: 'G' };

export interface SessionResult {
  latencies: number[];
  latencyMedian: number;
  latencyP95: number;
  rssHomeKiB: number;
  rssAfterWarmupKiB: number;
  rssAfterSessionKiB: number;
  growth: number;
  steps: number;
}

/** Home menu positions of the screens the warm-up opens: Sandbox, Practice, Review, Progress, Settings (not the exam, which starts one). */
const WARM_UP_SCREENS = [1, 2, 4, 5, 6];

/** A key, then wait for the frame it draws (and whatever loads after it) to finish. */
async function press(session: PtySession, key: string, quietMs = 60): Promise<void> {
  const since = process.hrtime.bigint();
  session.write(key);
  await session.settled(since, quietMs);
}

/** Lessons, then the first lesson, waiting for each screen to be drawn (the first time they load their modules). */
async function openFirstLesson(session: PtySession): Promise<void> {
  let from = session.mark();
  session.write(KEY.enter);
  await session.waitFor(/Why every connection is TLS/, { from });
  await press(session, '', 100);
  from = session.mark();
  session.write(KEY.enter);
  await session.waitFor(/Why every connection in a cluster is TLS|line \d+\/\d+/, { from });
  await press(session, '', 100);
}

/**
 * Growth is about what the app keeps, not the garbage of the last keys that V8 has not collected yet:
 * both ends are read the same way, after the app has been idle long enough for V8's memory reducer
 * (it collects and gives memory back some seconds after allocation stops).
 */
const IDLE_BEFORE_READING_MS = 10_000;

async function idleRssKiB(session: PtySession): Promise<number> {
  await new Promise((r) => setTimeout(r, IDLE_BEFORE_READING_MS));
  return session.rssKiB();
}

export async function benchSession(steps = 500): Promise<SessionResult> {
  const home = isolatedHome();
  const session = startInPty(BIN, { env: home.env });
  try {
    await session.waitFor(HOME_COMPLETE);
    await new Promise((r) => setTimeout(r, 200));
    const rssHomeKiB = session.rssKiB();

    // key latency: j in the reader moves one line; the frame is done when the footer shows it
    await openFirstLesson(session);
    const latencies: number[] = [];
    for (let press = 0; press < 100; press++) {
      const since = process.hrtime.bigint();
      session.write(KEY.down);
      latencies.push(await session.frameDone(since));
    }

    // warm-up: every screen once, so lazily loaded modules are in the baseline
    // (each from the top of the home menu; Esc three times leaves a typed answer, a chooser and the screen)
    for (const position of WARM_UP_SCREENS) {
      for (const key of [KEY.escape, KEY.escape, KEY.escape, KEY.top, ...Array<string>(position).fill(KEY.down), KEY.enter]) await press(session, key, 100);
    }
    for (const key of [KEY.escape, KEY.escape, KEY.escape, KEY.top]) await press(session, key, 100);
    await openFirstLesson(session);
    await press(session, KEY.escape);
    await press(session, KEY.escape, 200);
    const rssAfterWarmupKiB = await idleRssKiB(session);

    // the session: lessons opened, scrolled, paged, next and previous, settings, back home
    const script = [KEY.enter, KEY.enter, KEY.down, KEY.down, KEY.pageDown, KEY.bottom, KEY.top, 'n', 'p', KEY.escape, KEY.escape, 'j', 'j', KEY.enter, KEY.escape, 'k', 'k'];
    let done = 0;
    while (done < steps) {
      for (const key of script) {
        if (done >= steps) break;
        await press(session, key, 20);
        done++;
      }
    }
    // back to home for a like-for-like measurement
    for (let i = 0; i < 4; i++) session.write(KEY.escape);
    await press(session, 'g', 300);
    const rssAfterSessionKiB = await idleRssKiB(session);
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      latencies,
      latencyMedian: median(latencies),
      latencyP95: sorted[Math.floor(sorted.length * 0.95)] ?? 0,
      rssHomeKiB,
      rssAfterWarmupKiB,
      rssAfterSessionKiB,
      growth: (rssAfterSessionKiB - rssAfterWarmupKiB) / rssAfterWarmupKiB,
      steps,
    };
  } finally {
    session.close();
    home.cleanup();
  }
}

export function reportSession(result: SessionResult): string {
  const mb = (kib: number) => `${(kib / 1024).toFixed(1)} MB`;
  return [
    'Key latency while scrolling a lesson (key press to the frame with the new position), 100 presses',
    `  median ${formatMs(result.latencyMedian)}, 95th percentile ${formatMs(result.latencyP95)}   (target median < 10 ms)  ${result.latencyMedian < 10 ? 'met' : 'MISSED'}`,
    'Resident memory',
    `  at the home screen                 ${mb(result.rssHomeKiB).padStart(9)}   (target < 70 MB)  ${result.rssHomeKiB < 70 * 1024 ? 'met' : 'MISSED'}`,
    `  after visiting every screen        ${mb(result.rssAfterWarmupKiB).padStart(9)}`,
    `  after a ${result.steps}-step session          ${mb(result.rssAfterSessionKiB).padStart(9)}   ${(result.growth * 100).toFixed(1)}% growth (target < 10%)  ${result.growth < 0.1 ? 'met' : 'MISSED'}`,
  ].join('\n');
}
