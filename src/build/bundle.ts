import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { packagePath } from '../package-root.js';
import { warmCodeCache } from './warm-cache.js';

/**
 * Builds dist/app/kubetls.cjs: plain `kubetls` (the full-screen app) as one CommonJS file.
 * Start-up is dominated by loading code, not running it: ~45 ES modules and blessed's ~20 files each
 * cost a resolve, a read and a compile. One file, run through V8's code cache by bin/kubetls.cjs
 * (src/startup/cached-script.cts), skips most of that. Screens other than home are in the file too,
 * but run only when opened. The command-line mode keeps using the ES modules in dist/src.
 */

const ENTRY = packagePath('dist', 'src', 'startup', 'app-entry.js');
export const BUNDLE_FILE = packagePath('dist', 'app', 'kubetls.cjs');

/**
 * Left to Node at run time: large CommonJS packages only some screens need (they stay out of the file
 * the start reads) and the optional native PKCS#11 binding.
 * ES-module-only packages (conf, marked) must be in the bundle: Node 20
 * cannot require() them.
 */
const EXTERNAL = ['node-forge', 'commander', 'pkcs11js'];

/**
 * Three spots in blessed and blessed-contrib assume their own file layout, which a bundle does not
 * have; and one old call that Node only warns about outside node_modules, which the bundle is.
 */
const blessedInBundle: Plugin = {
  name: 'blessed-in-bundle',
  setup(build) {
    // blessed-contrib's charts must build on the app's blessed, not load a second copy from blessed's index
    build.onResolve({ filter: /^blessed$/ }, ({ importer }) => {
      if (/[\\/]blessed-contrib[\\/]/.test(importer)) return { path: packagePath('dist', 'src', 'tui', 'blessed-for-contrib.cjs') };
      throw new Error(`${importer}: requires all of blessed; require the widget files it needs (see src/tui/blessed.cts)`);
    });
    // tput.js reads its bundled terminfo files from __dirname/../usr: point it at the installed package
    build.onLoad({ filter: /[\\/]blessed[\\/]lib[\\/]tput\.js$/ }, ({ path }) => ({
      contents: readFileSync(path, 'utf8').replaceAll('__dirname', '__blessedLibDir()'),
      loader: 'js',
      resolveDir: dirname(path),
    }));
    // unicode.js requires the whole library (every widget) just to read screen.global for a tab's width
    build.onLoad({ filter: /[\\/]blessed[\\/]lib[\\/]unicode\.js$/ }, ({ path }) => ({
      contents: replaceOnce(readFileSync(path, 'utf8'), "require('../')", "{ screen: require('./widgets/screen') }", path),
      loader: 'js',
      resolveDir: dirname(path),
    }));
    // the charts' canvas calls the deprecated Buffer(); from the bundle Node prints DEP0005 over the screen
    build.onLoad({ filter: /[\\/]drawille-blessed-contrib[\\/]index\.js$/ }, ({ path }) => ({
      contents: replaceOnce(readFileSync(path, 'utf8'), 'new Buffer(width*height/8)', 'Buffer.alloc(width*height/8)', path),
      loader: 'js',
      resolveDir: dirname(path),
    }));
  },
};

function replaceOnce(source: string, search: string, replacement: string, file: string): string {
  // a blessed update that moved this line must fail the build, not ship a bundle that loads everything
  if (source.split(search).length !== 2) throw new Error(`${file}: expected exactly one ${search}`);
  return source.replace(search, replacement);
}

/**
 * esbuild escapes non-ASCII characters everywhere but in regular expression literals (Korean units in
 * src/quiz/normalize.ts, for one). \uXXXX means the same UTF-16 unit there as in strings and names,
 * and no comments are left, so escaping every remaining one keeps the code's meaning.
 */
function asciiOnly(code: string): string {
  return code.replace(/[^\x00-\x7f]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export async function bundleApp(): Promise<void> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    write: false,
    external: EXTERNAL,
    plugins: [blessedInBundle],
    // each module's import.meta.url becomes the bundle's own URL (see src/package-root.ts)
    define: { 'import.meta.url': '__bundleUrl' },
    banner: {
      js: [
        "const __bundleUrl = require('url').pathToFileURL(__filename).href;",
        "const __blessedLibDir = () => require('path').dirname(require.resolve('blessed/lib/tput.js'));",
      ].join('\n'),
    },
    // no comments and every other character escaped: an ASCII file is read without UTF-8 decoding,
    // which costs ~7 ms on a file this size (names are kept, so crash logs still say where)
    minifyWhitespace: true,
    charset: 'ascii',
    logLevel: 'warning',
  });
  const code = asciiOnly(result.outputFiles[0]!.text);
  // the id names the code cache file: V8 checks a cache against the source's length, not its content
  const id = createHash('sha256').update(code).digest('hex');
  mkdirSync(dirname(BUNDLE_FILE), { recursive: true });
  writeFileSync(BUNDLE_FILE, `// kubetls-bundle ${id}\n${code}`);
}

if (process.argv[1] && join(process.argv[1]) === join(packagePath('dist', 'src', 'build', 'bundle.js'))) {
  await bundleApp();
  if (!(await warmCodeCache(BUNDLE_FILE))) process.stderr.write('note: no code cache was prebuilt (util-linux `script` missing, or the app did not start); each user\'s first start makes one\n');
}
