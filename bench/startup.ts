import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, formatMs } from './measure.js';
import { exitTime, isolatedHome, startInPty } from './pty.js';

/**
 * Start-up: from launch to the first complete home screen (the "what next" line is its last part),
 * in a pseudo-terminal, against `node -e 0` launched the same way. Target: at most 1.5 times.
 * Measured as a learner meets it every day: with the code cache the first start wrote (one untimed
 * start first). The first start after an install or upgrade, which has no cache yet, is printed too.
 */

const BIN = fileURLToPath(new URL('../../bin/kubetls.cjs', import.meta.url));
export const HOME_COMPLETE = /Start with the first lesson: \S/;

export interface StartupResult {
  node: number[];
  kubetls: number[];
  firstStart: number[];
  /** Timed starts that found the cache from the untimed one and did not have to write it again. */
  cacheKept: boolean;
  nodeMedian: number;
  kubetlsMedian: number;
  firstStartMedian: number;
  ratio: number;
}

async function timeToHome(cacheHome: string): Promise<number> {
  const home = isolatedHome();
  const session = startInPty(BIN, { env: { ...home.env, XDG_CACHE_HOME: cacheHome } });
  try {
    return await session.waitFor(HOME_COMPLETE);
  } finally {
    session.close();
    home.cleanup();
  }
}

function cacheFiles(cacheHome: string): string[] {
  const dir = join(cacheHome, 'kubetls');
  try {
    return readdirSync(dir).map((name) => `${name}@${statSync(join(dir, name)).mtimeMs}`);
  } catch {
    return [];
  }
}

export async function benchStartup(runs = 15): Promise<StartupResult> {
  const node: number[] = [];
  const kubetls: number[] = [];
  const firstStart: number[] = [];
  const sharedCache = mkdtempSync(join(tmpdir(), 'kubetls-bench-cache-'));
  try {
    await timeToHome(sharedCache);
    // the cache is written just after the home screen is up: give the untimed start time to finish it
    await new Promise((resolve) => setTimeout(resolve, 500));
    const warmed = cacheFiles(sharedCache);
    for (let i = 0; i < runs; i++) {
      // interleaved, so a busy moment on the machine hits all three
      node.push(await exitTime(startInPty(`${process.execPath} -e 0`)));
      kubetls.push(await timeToHome(sharedCache));
      const freshCache = mkdtempSync(join(tmpdir(), 'kubetls-bench-cache-'));
      firstStart.push(await timeToHome(freshCache));
      rmSync(freshCache, { recursive: true, force: true });
    }
    const cacheKept = warmed.length === 1 && cacheFiles(sharedCache).join() === warmed.join();
    const nodeMedian = median(node);
    const kubetlsMedian = median(kubetls);
    return { node, kubetls, firstStart, cacheKept, nodeMedian, kubetlsMedian, firstStartMedian: median(firstStart), ratio: kubetlsMedian / nodeMedian };
  } finally {
    rmSync(sharedCache, { recursive: true, force: true });
  }
}

export function reportStartup(result: StartupResult): string {
  return [
    `Start-up to a complete home screen (pty 80x24), median of ${result.node.length} runs`,
    `  node -e 0                          ${formatMs(result.nodeMedian).padStart(9)}`,
    `  kubetls                            ${formatMs(result.kubetlsMedian).padStart(9)}   ${result.ratio.toFixed(2)}x node -e 0 (target <= 1.5)  ${result.ratio <= 1.5 ? 'met' : 'MISSED'}`,
    `    code cache ${result.cacheKept ? 'used by every timed start' : 'NOT used by every timed start (written again or missing)'}`,
    `  kubetls, first start (no cache yet) ${formatMs(result.firstStartMedian).padStart(8)}   ${(result.firstStartMedian / result.nodeMedian).toFixed(2)}x node -e 0`,
  ].join('\n');
}
