import type { Command } from 'commander';
import { chooseLanguage } from '../terminal/language.js';
import { resolveProfile } from '../progress/location.js';
import { savedLanguage } from '../progress/quick-read.js';
import type { Language } from '../locale/catalogue.js';

/**
 * The language a command speaks: its `--lang` (or the root's), then the profile's saved setting, then
 * the locale. Every command asks here, so `kubetls --lang ko pki show` and a Korean Settings choice
 * reach the command line the same way they reach the app.
 */
export function commandLanguage(command: Command, env: NodeJS.ProcessEnv = process.env): Language {
  const { lang, profile } = command.optsWithGlobals<{ lang?: string; profile?: string }>();
  if (lang !== undefined) return chooseLanguage(lang, env);
  let saved: string | undefined;
  try {
    saved = savedLanguage({ profile: resolveProfile({ flag: profile, env }), env });
  } catch {
    // a bad profile name is the progress commands' to report; the words fall back to the locale
  }
  return chooseLanguage(undefined, env, saved);
}
