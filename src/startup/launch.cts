import path = require('node:path');
import { runCachedScript, type CachedScript } from './cached-script.cjs';
import { kubetlsPlaces } from '../places.cjs';

/** Plain `kubetls`: the full-screen app, from the start-up bundle (src/build/bundle.ts) and V8's code cache. */
export function launchBundledApp(): void {
  const bundle = path.join(__dirname, '..', '..', 'app', 'kubetls.cjs');
  let loaded: CachedScript;
  try {
    loaded = runCachedScript(bundle, kubetlsPlaces().cache, path.dirname(bundle));
  } catch (error) {
    // nothing is on the screen yet: one line, no stack trace
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    const reason = missing ? 'is missing' : `could not be loaded (${error instanceof Error ? error.message : String(error)})`;
    process.stderr.write(`kubetls: ${bundle} ${reason}: run \`npm run build\` in the kubetls checkout, or reinstall\n`);
    process.exitCode = 70;
    return;
  }
  const started = (loaded.exports as { start(): Promise<void> }).start();
  // the build's warm-up (src/build/warm-cache.ts) opens the costly screens, then quits: its cache holds them
  if (process.env['KUBETLS_WARM_UP'] === '1') process.once('exit', () => loaded.writeCache());
  // start() settles once the home screen is drawn: what was compiled by then is what the next start needs
  else void started.then(() => loaded.writeCache());
}
