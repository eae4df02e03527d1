import { KubetlsError } from '../errors.js';

/** The learner's language: Korean when the locale says so, English otherwise. */
export function localeLanguage(env: NodeJS.ProcessEnv = process.env): 'en' | 'ko' {
  const locale = env['LC_ALL'] || env['LC_MESSAGES'] || env['LANG'] || '';
  return locale.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

/** `--lang en|ko`, or the locale's language when the flag is absent. */
export function chooseLanguage(requested: string | undefined, env: NodeJS.ProcessEnv = process.env): 'en' | 'ko' {
  if (requested === undefined) return localeLanguage(env);
  if (requested === 'en' || requested === 'ko') return requested;
  throw new KubetlsError(`--lang must be en or ko, not "${requested}"`);
}

/** Whether the terminal's locale is UTF-8: Unicode borders and Korean where it is, ASCII where not. */
export function isUtf8Locale(env: NodeJS.ProcessEnv = process.env): boolean {
  const locale = env['LC_ALL'] || env['LC_CTYPE'] || env['LANG'] || '';
  return /utf-?8/i.test(locale);
}
