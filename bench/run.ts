import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchPki, reportPki } from './pki.js';

/** `npm run bench`: every benchmark against its peer, printed as figures and ratios, saved as JSON. */

const only = process.argv[2];
const results: Record<string, unknown> = {
  when: new Date().toISOString(),
  node: process.version,
  machine: `${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
};

console.log(`kubetls benchmarks on ${results['machine']}, Node ${process.version}\n`);
if (!only || only === 'pki') {
  const pki = benchPki(Number(process.env['BENCH_RUNS'] ?? 5));
  results['pki'] = pki;
  console.log(reportPki(pki));
}

const outDir = fileURLToPath(new URL('../../bench/results/', import.meta.url));
mkdirSync(outDir, { recursive: true });
const file = join(outDir, `bench-${Date.now()}.json`);
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nsaved ${file}`);
