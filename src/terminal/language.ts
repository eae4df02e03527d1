import { KubetlsError } from '../errors.js';
import { availableLanguages, BASE_LANGUAGE, type Language } from '../locale/catalogue.js';

/** The learner's language from the locale (`ko_KR.UTF-8` → ko) when there is a catalogue for it, else the base language. */
export function localeLanguage(env: NodeJS.ProcessEnv = process.env): Language {
  const locale = (env['LC_ALL'] || env['LC_MESSAGES'] || env['LANG'] || '').toLowerCase();
  const code = /^([a-z]{2,3})(?:[_.@-]|$)/.exec(locale)?.[1];
  return code !== undefined && availableLanguages().includes(code) ? code : BASE_LANGUAGE;
}

/**
 * This run's language: `--lang`, then the language saved in Settings, then the locale's. A `--lang`
 * with no catalogue is refused; a saved one that is no longer shipped is passed over.
 */
export function chooseLanguage(requested: string | undefined, env: NodeJS.ProcessEnv = process.env, saved?: string): Language {
  const available = availableLanguages();
  if (requested !== undefined) {
    if (available.includes(requested)) return requested;
    throw new KubetlsError(`--lang must be ${available.join(' or ')}, not "${requested}"`);
  }
  if (saved !== undefined && available.includes(saved)) return saved;
  return localeLanguage(env);
}

/** Whether the terminal's locale is UTF-8: Unicode borders and Korean where it is, ASCII where not. */
export function isUtf8Locale(env: NodeJS.ProcessEnv = process.env): boolean {
  const locale = env['LC_ALL'] || env['LC_CTYPE'] || env['LANG'] || '';
  return /utf-?8/i.test(locale);
}
