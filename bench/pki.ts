import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatMs, timeCommands, type Timing } from './measure.js';

/**
 * `kubetls pki init` against the openssl-CLI script that makes the same 16 keys and certificates.
 * Targets (issue 2): RSA at most 0.45 of the openssl script, ECDSA under 0.1 of it.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'kubetls.cjs');
const SCRIPT = join(ROOT, 'bench', 'openssl-pki.sh');

export interface PkiBenchResult {
  openssl: Timing;
  rsa: Timing;
  ecdsa: Timing;
  rsaRatio: number;
  ecdsaRatio: number;
}

export function benchPki(runs = 11): PkiBenchResult {
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
    return { openssl, rsa, ecdsa, rsaRatio: rsa.median / openssl.median, ecdsaRatio: ecdsa.median / openssl.median };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function reportPki(result: PkiBenchResult): string {
  const line = (t: Timing, ratio?: number, target?: number) =>
    `  ${t.label.padEnd(34)} ${formatMs(t.median).padStart(9)}${ratio === undefined ? '' : `   ${ratio.toFixed(2)}x openssl (target <= ${target})  ${ratio <= target! ? 'met' : 'MISSED'}`}`;
  return [
    `PKI generation, median of ${result.openssl.runs.length} runs (whole commands, Node start-up included)`,
    line(result.openssl),
    line(result.rsa, result.rsaRatio, 0.45),
    line(result.ecdsa, result.ecdsaRatio, 0.1),
  ].join('\n');
}
