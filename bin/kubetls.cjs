#!/usr/bin/env -S node --max-semi-space-size=2
'use strict';
// Tiny launcher, in CommonJS: an ES-module entry costs Node ~25 ms more to start (measured).
// Plain `kubetls` (the full-screen app) runs one bundled file through V8's code cache; commands use
// the ES modules in dist/src, loading only what each command needs.
// A small young generation keeps a long-running app (and a classroom of 40) light: V8 otherwise grows
// it to 32 MB under the allocation bursts of rendering lessons and does not give the memory back.
// The shebang sets it at start; launched as `node bin/kubetls.cjs`, set what can still be set now.
if (!process.execArgv.some((flag) => flag.startsWith('--max-semi-space-size'))) require('node:v8').setFlagsFromString('--max-semi-space-size=2');

const argv = process.argv.slice(2);
if (argv.length === 0) {
  require('../dist/src/startup/launch.cjs').launchBundledApp();
} else {
  import('../dist/src/cli/main.js').then(({ main }) => main(argv));
}
