import * as assert from 'uvu/assert';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { buildSync } from 'esbuild';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initSandbox, type ClusterOptions, type InitResult } from '../src/pki/index.js';

/** Shared by the test suites: temporary directories, the real CLI, the real openssl. */

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(REPO_ROOT, 'bin', 'kubetls.cjs');

const created: string[] = [];

export function tempDir(prefix = 'kubetls-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * A built entry point bundled with everything it imports into one file under a new world-readable
 * directory (with a copy of package.json two levels up, where the code looks for it), for a child
 * process run as another user (nobody): the clone may be in a home directory that user cannot enter
 * (0700 or 0750), with the compiled catalogues beside it. `run` names a function of the entry to call with the command line's arguments.
 */
export function bundleForAnotherUser(entry: string, run?: string): string {
  const root = tempDir('kubetls-shared-');
  const dir = join(root, 'dist', 'src');
  mkdirSync(dir, { recursive: true });
  for (const path of [root, join(root, 'dist'), dir]) chmodSync(path, 0o755);
  copyFileSync(join(REPO_ROOT, 'package.json'), join(root, 'package.json'));
  copyCompiledCatalogues(root);
  const outfile = join(dir, 'entry.mjs');
  buildSync({
    ...(run ? { stdin: { contents: `import { ${run} } from ${JSON.stringify(entry)};\n${run}(process.argv.slice(2));`, resolveDir: REPO_ROOT } } : { entryPoints: [entry] }),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    // optional native or never-loaded packages (blessed's terminal widget)
    external: ['pkcs11js', 'term.js', 'pty.js'],
    // CommonJS packages in an ES module bundle still call require()
    banner: { js: "import { createRequire as kubetlsCreateRequire } from 'node:module'; const require = kubetlsCreateRequire(import.meta.url);" },
    logLevel: 'silent',
  });
  chmodSync(outfile, 0o644);
  for (const path of [root, join(root, 'package.json')]) chmodSync(path, path === root ? 0o755 : 0o644);
  return outfile;
}

/**
 * The compiled catalogues into `root`/dist/locales, readable by every user: every line kubetls says
 * comes from them, and src/locale/catalogue.ts looks for them beside dist/src.
 */
export function copyCompiledCatalogues(root: string): void {
  const target = join(root, 'dist', 'locales');
  cpSync(join(REPO_ROOT, 'dist', 'locales'), target, { recursive: true });
  chmodSync(target, 0o755);
  for (const file of readdirSync(target)) chmodSync(join(target, file), 0o644);
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    input: options.input,
    encoding: 'utf8',
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', LANG: 'C.UTF-8', ...options.env },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Bad input: exit 2 and one line `kubetls: ...` on stderr, never a stack trace. */
export function assertOneLineError(result: CliResult, pattern: RegExp, label = '', status = 2): void {
  assert.is(result.status, status, `${label}: exit ${status} (stderr: ${result.stderr})`);
  const lines = result.stderr.trimEnd().split('\n');
  assert.is(lines.length, 1, `${label}: one line, got:\n${result.stderr}`);
  assert.match(lines[0]!, /^kubetls: /, label);
  assert.match(lines[0]!, pattern, label);
  assert.not.match(result.stderr, /\n\s+at /, `${label}: no stack trace`);
}

export function openssl(args: string[], input?: string): SpawnSyncReturns<string> {
  return spawnSync('openssl', args, { encoding: 'utf8', input });
}

/** The cluster every suite uses, so expectations can be written out literally. */
export const TEST_CLUSTER: Partial<ClusterOptions> = {
  nodeName: 'controlplane',
  advertiseAddress: '192.168.56.10',
  serviceCidr: '10.96.0.0/12',
  dnsDomain: 'cluster.local',
};

export async function makeSandbox(overrides: Partial<ClusterOptions> = {}): Promise<InitResult> {
  const dir = tempDir('kubetls-sandbox-');
  return initSandbox({ dir, cluster: { ...TEST_CLUSTER, keyType: 'ecdsa-p256', ...overrides } });
}

/** uvu has no async `throws`: the promise must reject, with a message matching `pattern`. */
export async function rejects(run: () => Promise<unknown>, pattern: RegExp): Promise<void> {
  let error: unknown;
  try {
    await run();
  } catch (caught) {
    error = caught;
  }
  if (error === undefined) throw new Error(`expected a rejection matching ${pattern}, but it resolved`);
  const message = error instanceof Error ? error.message : String(error);
  if (!pattern.test(message)) throw new Error(`expected a rejection matching ${pattern}, got: ${message}`);
}
