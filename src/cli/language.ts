import type { Command } from 'commander';
import { chooseLanguage } from '../terminal/language.js';
import { resolveProfile } from '../progress/location.js';
import { savedLanguage } from '../progress/quick-read.js';
import { availableLanguages, type Language } from '../locale/catalogue.js';

/**
 * The language a command speaks: its `--lang` (or the root's), then the profile's saved setting, then
 * the locale. Every command asks here, so `kubetls --lang ko pki show` and a Korean Settings choice
 * reach the command line the same way they reach the app.
 */
export function commandLanguage(command: Command, env: NodeJS.ProcessEnv = process.env): Language {
  const { lang, profile } = command.optsWithGlobals<{ lang?: string; profile?: string }>();
  return lang !== undefined ? chooseLanguage(lang, env) : savedOrLocaleLanguage(profile, env);
}

/**
 * The language of a whole invocation, read from its arguments before commander parses them (the help
 * and commander's own errors are said during the parse): `--lang`, then the `--profile`'s saved
 * setting, then the locale. A `--lang` with no catalogue reads as the locale here; the parse refuses it.
 */
export function argvLanguage(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Language {
  const end = argv.indexOf('--');
  const args = end === -1 ? argv : argv.slice(0, end);
  const valueOf = (flag: string): string | undefined => {
    for (const [index, arg] of args.entries()) {
      if (arg === flag) return args[index + 1];
      if (arg.startsWith(`${flag}=`)) return arg.slice(flag.length + 1);
    }
    return undefined;
  };
  const lang = valueOf('--lang');
  return lang !== undefined && availableLanguages().includes(lang) ? lang : savedOrLocaleLanguage(valueOf('--profile'), env);
}

/** Without a `--lang`: the profile's saved language, else the locale's. */
function savedOrLocaleLanguage(profileFlag: string | undefined, env: NodeJS.ProcessEnv): Language {
  let saved: string | undefined;
  try {
    saved = savedLanguage({ profile: resolveProfile({ flag: profileFlag, env }), env });
  } catch {
    // a bad profile name is for the parse and the progress commands to report; the words fall back to the locale
  }
  return chooseLanguage(undefined, env, saved);
}
