import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatMs, median, timeCommands, type Timing } from './measure.js';
import { initSandbox } from '../src/pki/index.js';
import { startKeyPool } from '../src/pki/certificates/key-pool.js';

/**
 * `kubetls pki init` against the openssl-CLI script that makes the same 16 keys and certificates.
 * Targets (issue 2): RSA at most 0.45 of the openssl script, ECDSA under 0.1 of it. Also the app's
 * case: generate in the sandbox screen with its key pool full (printed, no target).
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'kubetls.cjs');
const SCRIPT = join(ROOT, 'bench', 'openssl-pki.sh');

export interface PkiBenchResult {
  openssl: Timing;
  rsa: Timing;
  ecdsa: Timing;
  /** RSA in the app: the PKI made in a running process from a full key pool. */
  rsaPooled: Timing;
  rsaRatio: number;
  ecdsaRatio: number;
  rsaPooledRatio: number;
}

export async function benchPki(runs = 11): Promise<PkiBenchResult> {
  const work = mkdtempSync(join(tmpdir(), 'kubetls-bench-'));
  const dir = join(work, 'lab');
  const clean = () => rmSync(dir, { recursive: true, force: true });
  try {
    const node = process.execPath;
    const init = (keyType: string) => [BIN, 'pki', 'init', '--dir', dir, '--key-type', keyType, '--node-name', 'controlplane', '--advertise-address', '192.168.56.10'];
    const [openssl, rsa, ecdsa] = timeCommands(
      [
        { label: 'openssl CLI script (RSA 2048)', command: 'bash', args: [SCRIPT, dir, 'rsa'] },
        { label: 'kubetls pki init (RSA 2048)', command: node, args: init('rsa-2048') },
        { label: 'kubetls pki init (ECDSA P-256)', command: node, args: init('ecdsa-p256') },
      ],
      runs,
      clean,
    ) as [Timing, Timing, Timing];
    const rsaPooled = await timePooledInit(dir, runs);
    return {
      openssl, rsa, ecdsa, rsaPooled,
      rsaRatio: rsa.median / openssl.median, ecdsaRatio: ecdsa.median / openssl.median, rsaPooledRatio: rsaPooled.median / openssl.median,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The app's case: the learner presses generate after reading a while, so its key pool holds 16 keys.
 * The pool is filled first (the app fills it while the learner reads; that time is not part of the
 * figure), and the timing is the pki init itself, in a running process.
 */
async function timePooledInit(dir: string, runs: number): Promise<Timing> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const pool = startKeyPool({ keyType: 'rsa-2048', quietMs: 60_000 });
    try {
      while (pool.size < 16) await new Promise((resolve) => setTimeout(resolve, 10));
      const started = process.hrtime.bigint();
      await initSandbox({ dir, force: true, cluster: { keyType: 'rsa-2048', nodeName: 'controlplane', advertiseAddress: '192.168.56.10' } });
      samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    } finally {
      pool.stop();
    }
  }
  return { label: 'in the app, 16 keys ready (key pool)', runs: samples, median: median(samples) };
}

export function reportPki(result: PkiBenchResult): string {
  const line = (t: Timing, ratio?: number, target?: number) =>
    `  ${t.label.padEnd(34)} ${formatMs(t.median).padStart(9)}${ratio === undefined ? '' : `   ${ratio.toFixed(2)}x openssl (target <= ${target})  ${ratio <= target! ? 'met' : 'MISSED'}`}`;
  return [
    `PKI generation, median of ${result.openssl.runs.length} runs (whole commands, Node start-up included)`,
    line(result.openssl),
    line(result.rsa, result.rsaRatio, 0.45),
    line(result.ecdsa, result.ecdsaRatio, 0.1),
    `  ${result.rsaPooled.label.padEnd(34)} ${formatMs(result.rsaPooled.median).padStart(9)}   ${result.rsaPooledRatio.toFixed(2)}x openssl (RSA 2048, in a running app: no Node start-up)`,
  ].join('\n');
}
