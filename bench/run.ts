import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchPki, reportPki } from './pki.js';
import { benchStartup, reportStartup } from './startup.js';
import { benchSession, reportSession } from './session.js';
import { benchClassroom, reportClassroom } from './classroom.js';
import { benchVerify, reportVerify } from './verify.js';
import { benchPem, reportPem } from './pem.js';
import { benchScreens, reportScreens } from './screens.js';

/** `npm run bench`: every benchmark against its peer, printed as figures and ratios, saved as JSON. */

const only = process.argv[2];
const results: Record<string, unknown> = {
  when: new Date().toISOString(),
  node: process.version,
  machine: `${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
};

console.log(`kubetls benchmarks on ${results['machine']}, Node ${process.version}\n`);
const runs = process.env['BENCH_RUNS'] ? Number(process.env['BENCH_RUNS']) : undefined;
const benches: [string, () => Promise<string>][] = [
  ['startup', async () => { const r = await benchStartup(runs ?? 15); results['startup'] = r; return reportStartup(r); }],
  ['screens', async () => { const r = await benchScreens(runs ?? 5); results['screens'] = r; return reportScreens(r); }],
  ['pki', async () => { const r = await benchPki(runs ?? 11); results['pki'] = r; return reportPki(r); }],
  ['verify', async () => { const r = benchVerify(); results['verify'] = r; return reportVerify(r); }],
  ['session', async () => { const r = await benchSession(); results['session'] = r; return reportSession(r); }],
  ['classroom', async () => { const r = await benchClassroom(); results['classroom'] = r; return reportClassroom(r); }],
  ['pem', async () => { const r = await benchPem(runs ?? 11); results['pem'] = r; return reportPem(r); }],
];
for (const [name, bench] of benches) {
  if (only && only !== name) continue;
  console.log(`${await bench()}\n`);
}

const outDir = fileURLToPath(new URL('../../bench/results/', import.meta.url));
mkdirSync(outDir, { recursive: true });
const file = join(outDir, `bench-${Date.now()}.json`);
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(`saved ${file}`);
