import { isAscii } from 'node:buffer';
import fs = require('node:fs');
import path = require('node:path');
import vm = require('node:vm');
import { createRequire } from 'node:module';

/**
 * Runs a CommonJS bundle with V8's code cache, so later starts skip parsing and compiling it
 * (Node 20 has no built-in compile cache; 22 does). The cache lives per user, one file per bundle
 * build, Node version and architecture; V8 itself rejects a cache made by another V8 or other flags.
 * A cache is only ever an optimisation: any trouble reading or writing it just means a slower start.
 */

/** The build writes `// kubetls-bundle <sha256>` as the bundle's first line (src/build/bundle.ts). */
const BUNDLE_ID = /^\/\/ kubetls-bundle ([0-9a-f]{64})\n/;

export type CacheState = 'used' | 'rejected' | 'missing' | 'off';

export interface CachedScript {
  exports: unknown;
  /** Whether V8 took the cache: 'off' when there is no cache directory or the bundle has no id. */
  cache: CacheState;
  cacheFile: string | undefined;
  /**
   * Writes V8's code for everything compiled so far (call it once start-up is done, so that is
   * included) unless the cache was used. Returns the file written, or undefined.
   */
  writeCache(): string | undefined;
}

/**
 * `cacheDir` is the user's own; `sharedCacheDir` holds a cache the build made (next to the bundle),
 * read when the user has none: every user of an install starts fast from the first time, on the Node
 * that built it. Only the user's directory is ever written.
 */
export function runCachedScript(file: string, cacheDir: string | undefined, sharedCacheDir?: string): CachedScript {
  const bytes = fs.readFileSync(file);
  // the build makes the bundle ASCII: then Latin-1 is exact and skips UTF-8 decoding (~7 ms here)
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const id = BUNDLE_ID.exec(source)?.[1];
  const name = id ? codeCacheFileName(id) : undefined;
  const cacheFile = cacheDir && name ? path.join(cacheDir, name) : undefined;
  const cachedData = (cacheFile ? readIfPresent(cacheFile) : undefined) ?? (sharedCacheDir && name ? readIfPresent(path.join(sharedCacheDir, name)) : undefined);
  // Node 20.12+: an import() in the bundle (it has none today) resolves as anywhere else in the app;
  // older Node 20 has no such option, and the script runs without it
  const mainLoader = (vm.constants as { USE_MAIN_CONTEXT_DEFAULT_LOADER?: number } | undefined)?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  // the same wrapper Node gives a CommonJS file, so the bundle sees require, module and __filename
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
    ...(mainLoader === undefined ? {} : { importModuleDynamically: mainLoader }),
  });
  // 'off' only when nothing could have been read or written: the build's cache counts without a user directory
  const cache: CacheState = !cachedData ? (cacheFile ? 'missing' : 'off') : script.cachedDataRejected ? 'rejected' : 'used';
  const module = { exports: {} as unknown };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  return {
    exports: module.exports,
    cache,
    cacheFile,
    writeCache: () => (cacheFile && cache !== 'used' ? writeCacheFile(cacheFile, script.createCachedData()) : undefined),
  };
}

/** One file per bundle build, Node version and architecture. */
export function codeCacheFileName(bundleId: string): string {
  return `startup-${bundleId.slice(0, 16)}-${process.version}-${process.arch}.v8`;
}

/** A file codeCacheFileName() could have named, for any build or Node. */
export function isCodeCacheFile(name: string): boolean {
  return /^startup-.*\.v8$/.test(name);
}

function readIfPresent(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

function writeCacheFile(cacheFile: string, data: Buffer): string | undefined {
  const dir = path.dirname(cacheFile);
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(temporary, data, { mode: 0o600 });
    // rename is atomic: a classroom's other copies (or another start) never read half a file
    fs.renameSync(temporary, cacheFile);
    for (const name of fs.readdirSync(dir)) {
      if (isCodeCacheFile(name) && name !== path.basename(cacheFile)) fs.rmSync(path.join(dir, name), { force: true });
    }
    return cacheFile;
  } catch {
    try {
      fs.rmSync(temporary, { force: true });
    } catch {
      // nothing more to tidy: the next start tries again
    }
    return undefined;
  }
}
