/**
 * Node writes its warnings to stderr: NO_COLOR beside FORCE_COLOR (it says so as blessed loads), a
 * deprecation in a dependency. For the full-screen app stderr is the screen it draws, so the words sat
 * over its text until the next full redraw. From the app's start they are held instead, and the shell
 * keeps them in its message log (M); an app that ends before it draws leaves them on stderr, as Node would.
 */

const held: Error[] = [];
let take: ((warning: Error) => void) | undefined;

export function holdProcessWarnings(): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning: Error) => (take ? take(warning) : held.push(warning)));
  process.once('exit', () => {
    for (const warning of held.splice(0)) process.stderr.write(`(node:${process.pid}) ${warning.name}: ${warning.message}\n`);
  });
}

/** From now on warnings go to `keep`, those held so far first. */
export function keepProcessWarnings(keep: (warning: Error) => void): void {
  take = keep;
  for (const warning of held.splice(0)) keep(warning);
}
