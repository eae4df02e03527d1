#!/usr/bin/env node
// Tiny launcher: everything lives in the compiled CLI so start-up loads only what a command needs.
// Plain `kubetls` (the full-screen app) skips the command-line parser altogether.
const argv = process.argv.slice(2);
if (argv.length === 0) {
  const { launchApp } = await import('../dist/src/cli/commands/app.js');
  const { runMain } = await import('../dist/src/cli/run.js');
  await runMain(() => launchApp({}));
} else {
  const { main } = await import('../dist/src/cli/main.js');
  await main(argv);
}
