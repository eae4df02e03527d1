import { readdirSync, readFileSync } from 'node:fs';
import { packagePath } from '../package-root.js';
import { isParticle, particleFor } from './particles.js';

/**
 * kubetls' own words, one catalogue per language: locales/<code>/*.yaml (one file per part), written by people, compiled
 * by the build into dist/locales/<code>.json (read at run time in well under a millisecond; the YAML
 * parser would cost the app's start-up). A catalogue is a flat map from dotted keys to strings with
 * {placeholders}; {word|을} adds the particle the word takes. Adding a language is adding a catalogue.
 */

export type Strings = Readonly<Record<string, string>>;
export type Params = Readonly<Record<string, string | number>>;

/** A language is the code of a catalogue (`en`, `ko`); which ones exist is data, not code. */
export type Language = string;

/** The language every other catalogue is checked against, and falls back to. */
export const BASE_LANGUAGE = 'en' satisfies Language;

const loaded = new Map<string, Strings>();

export function compiledCatalogueDir(): string {
  return packagePath('dist', 'locales');
}

let languages: readonly string[] | undefined;

/** The languages there are catalogues for, base language first (read once: the build writes them, a run does not change them). */
export function availableLanguages(): string[] {
  languages ??= languagesIn(readdirSync(compiledCatalogueDir()));
  return [...languages];
}

function languagesIn(files: readonly string[]): string[] {
  const codes = files.filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
  return [BASE_LANGUAGE, ...codes.filter((c) => c !== BASE_LANGUAGE).sort()];
}

export function isAvailableLanguage(code: string): boolean {
  return availableLanguages().includes(code);
}

/** A language's name in itself ("English", "한국어"), for menus that offer it. */
export function languageName(code: Language): string {
  return translate(code, 'language.name');
}

/** A language's name as the base language says it ("Korean"): readable when the language itself is not. */
export function languageNameInBase(code: Language): string {
  return translate(code, 'language.name-in-base');
}

/** Whether a language's own name needs more than ASCII: such a language cannot be read in a non-UTF-8 terminal. */
export function needsUnicode(code: Language): boolean {
  return /[^\x20-\x7e]/.test(languageName(code));
}

export function catalogue(language: string): Strings {
  let strings = loaded.get(language);
  if (!strings) {
    // a language with no catalogue (a setting saved by a kubetls that had one) says everything in the base language
    strings = isAvailableLanguage(language) ? (JSON.parse(readFileSync(packagePath('dist', 'locales', `${language}.json`), 'utf8')) as Strings) : {};
    loaded.set(language, strings);
  }
  return strings;
}

/** The string for `key` in `language`, placeholders filled. A key missing everywhere is a bug: it says so. */
export function translate(language: string, key: string, params: Params = {}): string {
  const template = catalogue(language)[key] ?? catalogue(BASE_LANGUAGE)[key];
  if (template === undefined) throw new Error(`no string "${key}" in the ${BASE_LANGUAGE} catalogue`);
  return fill(template, params);
}

/** A translator bound to one language: `const t = translatorFor('ko'); t('verify.why', {…})`. */
export function translatorFor(language: string): (key: string, params?: Params) => string {
  return (key, params) => translate(language, key, params);
}

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)(?:\|([^}]+))?\}/g;

export function fill(template: string, params: Params): string {
  return template.replace(PLACEHOLDER, (whole, name: string, particle: string | undefined) => {
    const value = params[name];
    if (value === undefined) return whole;
    const text = String(value);
    return particle && isParticle(particle) ? `${text}${particleFor(text, particle)}` : text;
  });
}

/** The placeholder names a string uses, for checking that every language uses the same ones. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!).sort();
}

/** Problems that make a set of catalogues unusable: missing or extra keys, other placeholders, unknown particles. */
export function catalogueProblems(catalogues: Record<string, Strings>): string[] {
  const base = catalogues[BASE_LANGUAGE];
  if (!base) return [`no ${BASE_LANGUAGE} catalogue`];
  const problems: string[] = [];
  for (const [language, strings] of Object.entries(catalogues)) {
    for (const [key, value] of Object.entries(strings)) {
      for (const match of value.matchAll(PLACEHOLDER)) {
        if (match[2] !== undefined && !isParticle(match[2])) problems.push(`${language}: ${key}: "${match[2]}" is not a particle kubetls knows`);
      }
      if (language === BASE_LANGUAGE) continue;
      if (!(key in base)) problems.push(`${language}: ${key}: not in ${BASE_LANGUAGE}`);
      else if (placeholdersOf(value).join() !== placeholdersOf(base[key]!).join()) {
        problems.push(`${language}: ${key}: placeholders {${placeholdersOf(value).join('}, {')}} differ from ${BASE_LANGUAGE}'s {${placeholdersOf(base[key]!).join('}, {')}}`);
      }
    }
    if (language !== BASE_LANGUAGE) for (const key of Object.keys(base)) if (!(key in strings)) problems.push(`${language}: ${key}: missing`);
  }
  return problems;
}
