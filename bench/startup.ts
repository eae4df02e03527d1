import { fileURLToPath } from 'node:url';
import { median, formatMs } from './measure.js';
import { exitTime, isolatedHome, startInPty } from './pty.js';

/**
 * Start-up: from launch to the first complete home screen (the "what next" line is its last part),
 * in a pseudo-terminal, against `node -e 0` launched the same way. Target: at most 1.5 times.
 */

const BIN = fileURLToPath(new URL('../../bin/kubetls.js', import.meta.url));
export const HOME_COMPLETE = /Start with the first lesson: \S/;

export interface StartupResult {
  node: number[];
  kubetls: number[];
  nodeMedian: number;
  kubetlsMedian: number;
  ratio: number;
}

export async function benchStartup(runs = 15): Promise<StartupResult> {
  const node: number[] = [];
  const kubetls: number[] = [];
  for (let i = 0; i < runs; i++) {
    // interleaved, so a busy moment on the machine hits both
    node.push(await exitTime(startInPty(`${process.execPath} -e 0`)));
    const home = isolatedHome();
    const session = startInPty(BIN, { env: home.env });
    try {
      kubetls.push(await session.waitFor(HOME_COMPLETE));
    } finally {
      session.close();
      home.cleanup();
    }
  }
  const nodeMedian = median(node);
  const kubetlsMedian = median(kubetls);
  return { node, kubetls, nodeMedian, kubetlsMedian, ratio: kubetlsMedian / nodeMedian };
}

export function reportStartup(result: StartupResult): string {
  return [
    `Start-up to a complete home screen (pty 80x24), median of ${result.node.length} runs`,
    `  node -e 0                          ${formatMs(result.nodeMedian).padStart(9)}`,
    `  kubetls                            ${formatMs(result.kubetlsMedian).padStart(9)}   ${result.ratio.toFixed(2)}x node -e 0 (target <= 1.5)  ${result.ratio <= 1.5 ? 'met' : 'MISSED'}`,
  ].join('\n');
}
