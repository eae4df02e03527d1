#!/usr/bin/env node
'use strict';
// Tiny launcher, in CommonJS: an ES-module entry costs Node ~25 ms more to start (measured).
// Plain `kubetls` (the full-screen app) runs one bundled file through V8's code cache; commands use
// the ES modules in dist/src, loading only what each command needs.
const argv = process.argv.slice(2);
if (argv.length === 0) {
  require('../dist/src/startup/launch.cjs').launchBundledApp();
} else {
  import('../dist/src/cli/main.js').then(({ main }) => main(argv));
}
