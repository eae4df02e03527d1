import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { packagePath } from '../package-root.js';
import { isCodeCacheFile } from '../startup/cached-script.cjs';
import { kubetlsPlaces } from '../places.cjs';

/**
 * Starts the built app once in a pseudo-terminal (util-linux `script`), with a home and a cache of its
 * own, walks it through the screens whose first open costs most (the home menu, then the Sandbox
 * with a small generated PKI: its model, its manifests' checks, the YAML parser), quits, and keeps
 * the code cache it wrote at exit next to the bundle. Then every user of this install starts fast
 * and opens the Sandbox without compiling it (on the Node that built it; another Node rejects the
 * file and the user's own cache takes over). Without `script`, or if the app does not get that far,
 * the build goes on without it.
 */
export async function warmCodeCache(bundleFile: string, timeoutMs = 20_000): Promise<string | undefined> {
  const home = mkdtempSync(join(tmpdir(), 'kubetls-build-'));
  const env = {
    PATH: process.env['PATH'], HOME: home, TERM: 'xterm-256color', LANG: 'C.UTF-8',
    XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data'), XDG_STATE_HOME: join(home, 'state'), XDG_CACHE_HOME: join(home, 'cache'),
    // src/startup/launch.cts: write the cache when the app exits, not once home is drawn
    KUBETLS_WARM_UP: '1',
  };
  const places = kubetlsPlaces({ env, home });
  const bin = packagePath('bin', 'kubetls.cjs');
  // a cache already beside the bundle would be used, and then the app writes none of its own
  for (const old of cacheFiles(dirname(bundleFile))) rmSync(old, { force: true });
  try {
    // ECDSA keys take milliseconds; what the screen runs on them is the same as on RSA
    const sandbox = join(places.data, 'default', 'sandbox');
    const init = spawnSync(process.execPath, [bin, 'pki', 'init', '--dir', sandbox, '--key-type', 'ecdsa-p256'], { env, stdio: 'ignore' });
    await walkThroughScreens(bin, env, { withSandbox: init.status === 0, timeoutMs });
    const written = cacheFiles(places.cache!);
    if (written.length === 0) return undefined;
    const target = join(dirname(bundleFile), basename(written[0]!));
    copyFileSync(written[0]!, target);
    // every user of the install reads it (the user's own copy is 0600)
    chmodSync(target, 0o644);
    return target;
  } finally {
    rmSync(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }
}

/** Home, then the Sandbox (when one was made) until its manifests' verdict is in, then quit; resolves once the app has exited. */
async function walkThroughScreens(bin: string, env: NodeJS.ProcessEnv, { withSandbox, timeoutMs }: { withSandbox: boolean; timeoutMs: number }): Promise<void> {
  const child = spawn('script', ['-qfec', `stty cols 80 rows 24; exec '${process.execPath}' '${bin}'`, '/dev/null'], {
    env,
    // the app needs its input open: a closed stdin ends `script` at once
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  let screen = '';
  let lastOutput = Date.now();
  let exited = false;
  child.on('error', () => (exited = true));
  child.on('exit', () => (exited = true));
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    screen += chunk.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '');
    lastOutput = Date.now();
  });
  const deadline = Date.now() + timeoutMs;
  const going = () => !exited && Date.now() < deadline;
  // what was drawn, then nothing more for a while: the frames that come after the first are in too
  const drawn = async (pattern: RegExp): Promise<boolean> => {
    while (going() && !(pattern.test(screen) && Date.now() - lastOutput > 300)) await new Promise((resolve) => setTimeout(resolve, 20));
    screen = '';
    return going();
  };
  try {
    if (!(await drawn(/Start with the first lesson/))) return;
    child.stdin!.write('j');
    // the selection moved (the look at the sandbox starts while it rests there)
    if (!withSandbox || !(await drawn(/(?:)/))) return;
    child.stdin!.write('\r');
    // the tree, then the manifests' verdict a frame later
    await drawn(/manifests\//);
  } finally {
    // q quits from any screen; the cache is written as the app exits
    if (!exited) child.stdin!.end('q');
    for (let waited = 0; waited < 5000 && !exited; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    if (!exited) child.kill('SIGKILL');
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
