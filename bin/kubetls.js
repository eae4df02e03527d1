#!/usr/bin/env -S node --max-semi-space-size=2
// Tiny launcher: everything lives in the compiled CLI so start-up loads only what a command needs.
// Plain `kubetls` (the full-screen app) skips the command-line parser altogether.
// A small young generation keeps a long-running app (and a classroom of 40) light: V8 otherwise grows
// it to 32 MB under the allocation bursts of rendering lessons and does not give the memory back.
// The shebang sets it at start; launched as `node bin/kubetls.js`, set what can still be set now.
import { setFlagsFromString } from 'node:v8';
if (!process.execArgv.some((flag) => flag.startsWith('--max-semi-space-size'))) setFlagsFromString('--max-semi-space-size=2');

const argv = process.argv.slice(2);
if (argv.length === 0) {
  const { launchApp } = await import('../dist/src/cli/commands/app.js');
  const { runMain } = await import('../dist/src/cli/run.js');
  await runMain(() => launchApp({}));
} else {
  const { main } = await import('../dist/src/cli/main.js');
  await main(argv);
}
