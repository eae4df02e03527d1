import { launchApp } from '../cli/commands/app.js';
import { runMain } from '../cli/run.js';

/**
 * The start-up bundle's entry (built by src/build/bundle.ts into dist/app/kubetls.cjs): plain
 * `kubetls`, the full-screen app. Loading it starts nothing; bin/kubetls.cjs calls start().
 */
export function start(): Promise<void> {
  return runMain(() => launchApp({}));
}
