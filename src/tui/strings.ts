import { translate, type Language } from '../locale/catalogue.js';

/**
 * The app's own words (menus, prompts, status lines) come from the catalogues in locales/ (the `app`
 * section): adding a language is adding a catalogue. Lesson and quiz text is content and lives in lessons/.
 */

export type UiLanguage = Language;

/** A key of the `app` section of the catalogues; test/locale.test.ts checks that every key the app uses exists. */
export type UiKey = string;

/** `t('continueAt', { title, percent })` in the current language. */
export function translator(language: UiLanguage): (key: UiKey, values?: Record<string, string | number>) => string {
  return (key, values = {}) => translate(language, `app.${key}`, values);
}
