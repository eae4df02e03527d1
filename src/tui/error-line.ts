import { describeError, isKubetlsError } from '../errors.js';
import { fileSystemRefusal } from '../fs-errors.js';
import type { Language } from '../locale/catalogue.js';
import type { AppShell } from './app.js';

/** What the status line says of an error a screen's action threw: a KubetlsError or a refusal by the file system in the learner's language. */
export function errorLine(error: unknown, language: Language): string {
  if (isKubetlsError(error)) return describeError(error, language);
  return fileSystemRefusal(error, language) ?? (error instanceof Error ? error.message : String(error));
}

/** An action of a screen whose errors are said in the status line, in the learner's language. */
export function guardedAction(shell: AppShell, run: () => unknown): () => Promise<void> {
  return async () => {
    try {
      await run();
    } catch (error) {
      shell.notify(errorLine(error, shell.preferences().language), 'bad');
    }
  };
}
