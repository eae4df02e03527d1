import { BASE_LANGUAGE, translate, type Language, type Params } from './locale/catalogue.js';

/** A catalogue key (locales/<code>/<part>.yaml) and the values it fills in; a value may be words of its own, said in the same language. */
export interface Words {
  key: string;
  params?: Readonly<Record<string, Params[string] | Words>>;
}

/** Words in `language`, nested words included. */
export function say(language: Language, words: Words): string {
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(words.params ?? {})) params[name] = typeof value === 'object' ? say(language, value) : value;
  return translate(language, words.key, params);
}

/**
 * An error a learner can act on: what is wrong, where, and what to do.
 * The CLI and the TUI turn it into one line; anything else is a bug and gets a log file.
 * One made with `KubetlsError.said` carries catalogue keys and is shown in the learner's language;
 * its `message` is the base language's words (for logs and for code that matches on it).
 */
export class KubetlsError extends Error {
  /** What the learner can do about it, e.g. "run `kubetls pki init --dir DIR` first". */
  readonly hint: string | undefined;
  /** The message and hint as catalogue keys, when the error was made from them. */
  readonly words: { message: Words; hint?: Words | undefined } | undefined;

  constructor(message: string, options: { hint?: string | undefined; cause?: unknown; words?: { message: Words; hint?: Words | undefined } } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KubetlsError';
    this.hint = options.hint;
    this.words = options.words;
  }

  /** `KubetlsError.said('errors.pki.no-sandbox', { dir }, { key: 'errors.pki.init-first', params: { dir } })` */
  static said(key: string, params: Words['params'] = {}, hint?: Words, options: { cause?: unknown } = {}): KubetlsError {
    return new KubetlsError(say(BASE_LANGUAGE, { key, params }), {
      hint: hint && say(BASE_LANGUAGE, hint),
      cause: options.cause,
      words: { message: { key, params }, hint },
    });
  }
}

export function isKubetlsError(error: unknown): error is KubetlsError {
  return error instanceof KubetlsError;
}

/** The one line shown for a KubetlsError: message, then the hint if there is one, in `language` when it has catalogue words. */
export function describeError(error: KubetlsError, language: Language = BASE_LANGUAGE): string {
  const { words } = error;
  const message = words ? say(language, words.message) : error.message;
  const hint = words?.hint ? say(language, words.hint) : error.hint;
  return hint ? `${message} (${hint})` : message;
}
