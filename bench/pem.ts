import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodePemBlocks } from '../src/pki/certificates/pem.js';
import { initSandbox } from '../src/pki/sandbox/sandbox.js';
import { formatMs, median, timeCommands, type Timing } from './measure.js';

/**
 * PEM parsing of a 10 MB bundle: the real certificates of an RSA-2048 sandbox, repeated, as a CA
 * bundle copied from a browser or a distribution is. Target (issue 18): under a second; before the
 * linear parser, 8,000 copies of one certificate took 57 s. Also the whole `kubetls inspect --json`
 * of the bundle (start-up, reading, parsing every certificate, printing), for scale.
 */

const BIN = fileURLToPath(new URL('../../bin/kubetls.cjs', import.meta.url));
const BUNDLE_BYTES = 10_000_000;
const TARGET_MS = 1000;

export interface PemBenchResult {
  bytes: number;
  blocks: number;
  parseRuns: number[];
  parseMedian: number;
  inspect: Timing;
}

export async function benchPem(runs = 11): Promise<PemBenchResult> {
  const work = mkdtempSync(join(tmpdir(), 'kubetls-bench-pem-'));
  try {
    const sandbox = await initSandbox({ dir: join(work, 'lab'), cluster: { keyType: 'rsa-2048', nodeName: 'controlplane', advertiseAddress: '192.168.56.10' } });
    const certificates = sandbox.files.filter((file) => file.endsWith('.crt')).map((file) => readFileSync(file, 'utf8')).join('');
    const bundle = certificates.repeat(Math.ceil(BUNDLE_BYTES / certificates.length)).slice(0, BUNDLE_BYTES);
    const text = bundle.slice(0, bundle.lastIndexOf('-----END CERTIFICATE-----') + '-----END CERTIFICATE-----\n'.length);
    const file = join(work, 'bundle.pem');
    writeFileSync(file, text);
    const parseRuns: number[] = [];
    let blocks = 0;
    for (let i = 0; i < runs; i++) {
      const started = process.hrtime.bigint();
      blocks = decodePemBlocks(text).length;
      parseRuns.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    const [inspect] = timeCommands([{ label: 'kubetls inspect --json', command: 'sh', args: ['-c', `"${process.execPath}" "${BIN}" inspect --json "${file}" > /dev/null`] }], Math.min(runs, 3));
    return { bytes: Buffer.byteLength(text), blocks, parseRuns, parseMedian: median(parseRuns), inspect: inspect! };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function reportPem(result: PemBenchResult): string {
  return [
    `PEM parsing of a ${(result.bytes / 1e6).toFixed(1)} MB bundle (${result.blocks} RSA-2048 certificates), median of ${result.parseRuns.length} runs`,
    `  decodePemBlocks                    ${formatMs(result.parseMedian).padStart(9)}   (target < ${formatMs(TARGET_MS)})  ${result.parseMedian < TARGET_MS ? 'met' : 'MISSED'}`,
    `  ${result.inspect.label.padEnd(34)} ${formatMs(result.inspect.median).padStart(9)}   whole command, every certificate parsed and printed`,
  ].join('\n');
}
