import type { Widgets } from 'blessed';
import { writeCrashLog } from '../terminal/crash-log.js';

/**
 * However the app ends — q, Ctrl-C, SIGTERM, SIGHUP from a dropped SSH link, or a bug — the learner's
 * progress is flushed first and the terminal is given back in the state it was in.
 */

export interface LifecycleOptions {
  screen: Widgets.Screen;
  flush(): void;
}

export interface Lifecycle {
  exit(code: number): void;
}

export function installLifecycle(options: LifecycleOptions): Lifecycle {
  let ending = false;
  const restoreTerminal = () => {
    try {
      options.screen.destroy();
    } catch {
      // the terminal may be gone (SIGHUP); nothing left to restore
    }
  };
  const exit = (code: number, message?: string) => {
    if (ending) return;
    ending = true;
    try {
      options.flush();
    } catch {
      // saving is best effort here; the store reports its own problems on the next start
    }
    restoreTerminal();
    if (message) {
      try {
        process.stderr.write(`${message}\n`);
      } catch {
        // no terminal to tell
      }
    }
    process.exit(code);
  };
  // a vanished terminal makes writes fail; once we are ending, those errors are expected
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (['EIO', 'EPIPE', 'ENXIO'].includes(error.code ?? '')) exit(129);
    });
  }
  process.once('SIGTERM', () => exit(143));
  process.once('SIGHUP', () => exit(129));
  process.once('SIGINT', () => exit(130));
  const crash = (error: unknown) => {
    if (ending) process.exit(70);
    const path = writeCrashLog(error);
    const text = error instanceof Error ? error.message : String(error);
    exit(70, `kubetls: internal error: ${text} (details in ${path})`);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  return { exit: (code) => exit(code) };
}
