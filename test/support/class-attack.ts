import { appendFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';

/**
 * Another member of the class tries to change a learner's summary: write into it, replace it by renaming
 * a file of their own over it, remove it. Prints the error code of each attempt (or "done").
 *
 *   node class-attack.mjs VICTIM_FILE OWN_FILE
 */

const [victim, own] = process.argv.slice(2) as [string, string];
const attempt = (work: () => void): string => {
  try {
    work();
    return 'done';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'error';
  }
};
const forged = `${own}.forged`;
writeFileSync(forged, '{"kubetlsClass":1}');
process.stdout.write(JSON.stringify({
  write: attempt(() => appendFileSync(victim, 'x')),
  rename: attempt(() => renameSync(forged, victim)),
  unlink: attempt(() => unlinkSync(victim)),
}));
unlinkSync(forged);
