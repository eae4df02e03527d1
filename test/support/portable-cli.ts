import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT, copyCompiledCatalogues } from '../helpers.js';

/**
 * The command line as one file in a world-readable temporary directory, so a test can run it as
 * another user (`nobody`) wherever the clone lives: a clone inside a 0700 home is out of that user's
 * reach, and so are its dist/ and node_modules/. lessons/, the compiled catalogues (dist/locales/) and
 * package.json go beside it, where src/package-root.ts looks for them (two levels above dist/src/).
 */

let built: string | undefined;
let root: string | undefined;

/** A built module (`dist/...js`) as one file beside the portable command line, for another user to run. */
export async function portableModule(entry: string, name: string): Promise<string> {
  await portableCli();
  const bundle = join(root!, 'dist', 'src', `${name}.mjs`);
  await bundleInto(join(REPO_ROOT, entry), bundle);
  openToAll(root!);
  return bundle;
}

async function bundleInto(entry: string, bundle: string): Promise<void> {
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: bundle,
    // the CommonJS packages inside (commander, yaml, node-forge) call require()
    banner: { js: "import { createRequire as kubetlsCreateRequire } from 'node:module'; const require = kubetlsCreateRequire(import.meta.url);" },
    external: ['pkcs11js', 'blessed', 'blessed-contrib'],
    logLevel: 'silent',
  });
}

export async function portableCli(): Promise<string> {
  if (built) return built;
  root = mkdtempSync(join(tmpdir(), 'kubetls-portable-'));
  await bundleInto(join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js'), join(root, 'dist', 'src', 'cli.mjs'));
  cpSync(join(REPO_ROOT, 'lessons'), join(root, 'lessons'), { recursive: true });
  copyCompiledCatalogues(root);
  cpSync(join(REPO_ROOT, 'package.json'), join(root, 'package.json'));
  const runner = join(root, 'kubetls.mjs');
  writeFileSync(runner, "const { main } = await import('./dist/src/cli.mjs');\nawait main(process.argv.slice(2));\n");
  openToAll(root);
  built = runner;
  return runner;
}

function openToAll(path: string): void {
  const stats = statSync(path);
  chmodSync(path, stats.isDirectory() ? 0o755 : 0o644);
  if (stats.isDirectory()) for (const name of readdirSync(path)) openToAll(join(path, name));
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the portable command line as the user nobody (uid and gid 65534, no other groups). */
export async function runAsNobody(args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return runAs({ uid: 65534, gid: 65534 }, args, env);
}

/** Runs the portable command line as any uid and gid (they need no entry in /etc/passwd), with these extra groups. */
export async function runAs(user: { uid: number; gid: number; groups?: number[] }, args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  const runner = await portableCli();
  const result = spawnSync('setpriv', [...setprivArgs(user), process.execPath, runner, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'], NO_COLOR: '1', LANG: 'C.UTF-8', HOME: '/nonexistent', ...env },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function setprivArgs(user: { uid: number; gid: number; groups?: number[] }): string[] {
  return [`--reuid=${user.uid}`, `--regid=${user.gid}`, user.groups?.length ? `--groups=${user.groups.join(',')}` : '--clear-groups'];
}
