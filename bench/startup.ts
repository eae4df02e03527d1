import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isCodeCacheFile } from '../src/startup/cached-script.cjs';
import { median, formatMs } from './measure.js';
import { exitTime, isolatedHome, startInPty } from './pty.js';

/**
 * Start-up: from launch to the first complete home screen (the "what next" line is its last part),
 * in a pseudo-terminal, against `node -e 0` launched the same way. Target: at most 1.5 times.
 * Each timed start is a new learner (own home, empty cache directory) on this install, which reads
 * the code cache the build left next to the bundle. Also printed: a start with no code cache at all,
 * as on a Node other than the one that built the install (the bundle alone, copied elsewhere).
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'kubetls.cjs');
export const HOME_COMPLETE = /Start with the first lesson: \S/;

export interface StartupResult {
  node: number[];
  kubetls: number[];
  noCache: number[];
  /** No timed start wrote a cache of its own: each one took the build's. */
  buildCacheUsed: boolean;
  nodeMedian: number;
  kubetlsMedian: number;
  noCacheMedian: number;
  ratio: number;
}

async function timeToHome(bin: string, cacheHome: string): Promise<number> {
  const home = isolatedHome();
  const session = startInPty(bin, { env: { ...home.env, XDG_CACHE_HOME: cacheHome } });
  try {
    return await session.waitFor(HOME_COMPLETE);
  } finally {
    session.close();
    home.cleanup();
  }
}

/** The launcher and the bundle without the build's code cache, using this checkout's packages, lessons and catalogues. */
function installWithoutCache(): { bin: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'kubetls-bench-install-'));
  for (const dir of ['bin', 'dist/src/startup', 'dist/app']) mkdirSync(join(root, dir), { recursive: true });
  for (const file of ['bin/kubetls.cjs', 'dist/src/startup/launch.cjs', 'dist/src/startup/cached-script.cjs', 'dist/src/places.cjs', 'dist/app/kubetls.cjs']) copyFileSync(join(ROOT, file), join(root, file));
  for (const link of ['node_modules', 'lessons', 'dist/locales']) symlinkSync(join(ROOT, link), join(root, link));
  return { bin: join(root, 'bin', 'kubetls.cjs'), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export async function benchStartup(runs = 15): Promise<StartupResult> {
  const node: number[] = [];
  const kubetls: number[] = [];
  const noCache: number[] = [];
  let buildCacheUsed = readdirSync(join(ROOT, 'dist', 'app')).some(isCodeCacheFile);
  const bare = installWithoutCache();
  try {
    for (let i = 0; i < runs; i++) {
      // interleaved, so a busy moment on the machine hits all three
      node.push(await exitTime(startInPty(`${process.execPath} -e 0`)));
      for (const [bin, times] of [[BIN, kubetls], [bare.bin, noCache]] as const) {
        const cacheHome = mkdtempSync(join(tmpdir(), 'kubetls-bench-cache-'));
        times.push(await timeToHome(bin, cacheHome));
        if (bin === BIN && existsSync(join(cacheHome, 'kubetls'))) buildCacheUsed = false;
        rmSync(cacheHome, { recursive: true, force: true });
      }
    }
  } finally {
    bare.cleanup();
  }
  const nodeMedian = median(node);
  const kubetlsMedian = median(kubetls);
  return { node, kubetls, noCache, buildCacheUsed, nodeMedian, kubetlsMedian, noCacheMedian: median(noCache), ratio: kubetlsMedian / nodeMedian };
}

export function reportStartup(result: StartupResult): string {
  return [
    `Start-up to a complete home screen (pty 80x24), median of ${result.node.length} runs`,
    `  node -e 0                          ${formatMs(result.nodeMedian).padStart(9)}`,
    `  kubetls                            ${formatMs(result.kubetlsMedian).padStart(9)}   ${result.ratio.toFixed(2)}x node -e 0 (target <= 1.5)  ${result.ratio <= 1.5 ? 'met' : 'MISSED'}`,
    `    ${result.buildCacheUsed ? "the build's code cache used by every timed start" : "the build's code cache NOT used by every timed start (missing, or rejected and rewritten)"}`,
    `  kubetls without any code cache     ${formatMs(result.noCacheMedian).padStart(9)}   ${(result.noCacheMedian / result.nodeMedian).toFixed(2)}x node -e 0`,
  ].join('\n');
}
