import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, tempDir } from '../helpers.js';
import type { KeyUsageName } from './chain-corpus.js';

/**
 * Go's crypto/x509 as a test oracle: test/support/x509-oracle/main.go, built once per run with the
 * Go toolchain found here, judges a batch of cases in one process.
 */

export interface OracleCase {
  id: string;
  leaf: string;
  roots: string[];
  intermediates?: string[];
  /** RFC 3339 */
  at: string;
  dnsName?: string;
  keyUsages?: KeyUsageName[];
}

export interface OracleVerdict {
  id: string;
  ok: boolean;
  /** Go's err.Error(); absent when ok. */
  error?: string;
  /** SHA-256 hex of each certificate's DER, leaf first. */
  chains: string[][];
}

export interface GoOracle {
  /** `go1.23.5` */
  goVersion: string;
  judge(cases: OracleCase[]): OracleVerdict[];
}

const SOURCE = join(REPO_ROOT, 'test', 'support', 'x509-oracle', 'main.go');

/** `go` on PATH, else the newest Debian /usr/lib/go-1.N, else /usr/lib/go; undefined when none. */
export function findGo(): string | undefined {
  if (spawnSync('go', ['version']).status === 0) return 'go';
  const versioned = existsSync('/usr/lib') ? readdirSync('/usr/lib').filter((name) => /^go-1\.\d+$/.test(name)) : [];
  versioned.sort((a, b) => Number(b.slice(5)) - Number(a.slice(5)));
  for (const candidate of [...versioned.map((name) => `/usr/lib/${name}/bin/go`), '/usr/lib/go/bin/go']) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Builds the oracle; throws, saying what to install, when there is no Go. */
export function buildGoOracle(): GoOracle {
  const go = findGo();
  if (!go) throw new Error('Go is needed to judge chains the way Kubernetes does: no `go` on PATH, /usr/lib/go-1.*/bin/go or /usr/lib/go/bin/go (bash .ci/install-test-tools installs it)');
  const version = spawnSync(go, ['version'], { encoding: 'utf8' }).stdout.match(/\bgo(\d+)\.(\d+)(\.\d+)?\b/);
  if (!version) throw new Error(`${go} version: cannot read the Go version`);
  const goVersion = version[0];

  // A module whose go line is the toolchain's own: the binary gets this toolchain's GODEBUG defaults
  // (GOPATH mode would give it Go 1.20's, which still accept negative serial numbers).
  const source = tempDir('kubetls-x509-oracle-');
  copyFileSync(SOURCE, join(source, 'main.go'));
  writeFileSync(join(source, 'go.mod'), `module kubetls/x509-oracle\n\ngo ${version[1]}.${version[2]}\n`);
  const cache = join(tmpdir(), `kubetls-go-${userInfo().uid}`);
  mkdirSync(cache, { recursive: true });
  const binary = join(source, 'x509-oracle');
  const built = spawnSync(go, ['build', '-trimpath', '-o', binary, '.'], {
    cwd: source,
    encoding: 'utf8',
    env: {
      ...withoutGoSettings(process.env),
      GOTOOLCHAIN: 'local', GOPROXY: 'off', GOFLAGS: '', GO111MODULE: 'on', GOENV: 'off', GOWORK: 'off', CGO_ENABLED: '0',
      GOCACHE: join(cache, 'build'), GOPATH: join(cache, 'path'),
    },
  });
  if (built.status !== 0) throw new Error(`building the x509 oracle with ${go} (${goVersion}) failed:\n${built.stderr}`);

  return {
    goVersion,
    judge(cases) {
      const run = spawnSync(binary, [], { input: JSON.stringify(cases), encoding: 'utf8', env: withoutGoSettings(process.env), maxBuffer: 64 << 20 });
      if (run.status !== 0) throw new Error(`x509 oracle failed (status ${run.status}):\n${run.stderr}`);
      return JSON.parse(run.stdout) as OracleVerdict[];
    },
  };
}

/** GODEBUG and friends from the caller's shell would change Go's verdicts or its build. */
function withoutGoSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !/^(GO[A-Z0-9_]*|CGO_[A-Z_]+)$/.test(name)));
}
