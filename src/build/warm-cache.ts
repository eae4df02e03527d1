import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { packagePath } from '../package-root.js';
import { isCodeCacheFile } from '../startup/cached-script.cjs';
import { kubetlsPlaces } from '../places.cjs';

/**
 * Starts the built app once in a pseudo-terminal (util-linux `script`), with a home and a cache of its
 * own, so it writes its code cache as any first start does, and keeps that cache next to the bundle:
 * then even the first start of each user of this install is fast (on the Node that built it; another
 * Node rejects the file and the user's own cache takes over). Without `script`, or if the app does not
 * get that far, the build goes on without it.
 */
export async function warmCodeCache(bundleFile: string, timeoutMs = 20_000): Promise<string | undefined> {
  const home = mkdtempSync(join(tmpdir(), 'kubetls-build-'));
  const env = { PATH: process.env['PATH'], HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data'), XDG_STATE_HOME: join(home, 'state'), XDG_CACHE_HOME: join(home, 'cache'), TERM: 'xterm-256color', LANG: 'C.UTF-8' };
  const cacheDir = kubetlsPlaces({ env, home }).cache!;
  const bin = packagePath('bin', 'kubetls.cjs');
  const child = spawn('script', ['-qfec', `stty cols 80 rows 24; exec '${process.execPath}' '${bin}'`, '/dev/null'], {
    env,
    // the app needs its input open: a closed stdin ends `script` at once
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  let exited = false;
  child.on('error', () => (exited = true));
  child.on('exit', () => (exited = true));
  try {
    for (let waited = 0; waited < timeoutMs && !exited; waited += 50) {
      const written = cacheFiles(cacheDir);
      if (written.length > 0) {
        const target = join(dirname(bundleFile), basename(written[0]!));
        for (const old of cacheFiles(dirname(bundleFile))) rmSync(old, { force: true });
        copyFileSync(written[0]!, target);
        // every user of the install reads it (the user's own copy is 0600)
        chmodSync(target, 0o644);
        return target;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return undefined;
  } finally {
    // q quits the app, which saves into the home as it goes; the home is removed after that
    child.stdin?.end('q');
    for (let waited = 0; waited < 3000 && !exited; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    if (!exited) child.kill('SIGKILL');
    rmSync(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }
}

function cacheFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter(isCodeCacheFile)
      .map((name) => join(dir, name));
  } catch {
    return [];
  }
}
