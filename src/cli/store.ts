import type { Command } from 'commander';
import type { ProgressStore } from '../progress/index.js';
import { localeLanguage } from '../terminal/language.js';

/**
 * The profile's progress store for a command (its `--profile`, or KUBETLS_PROFILE). A file made now
 * records the locale's language, as the app does, not the base language: every later command reads
 * the saved language before the locale, so a first save must not turn a Korean learner's commands to
 * English. (`--lang` is for one run and is not saved; Settings saves a choice.)
 */
export async function openCommandStore(command: Command, env: NodeJS.ProcessEnv = process.env): Promise<ProgressStore> {
  const { DEFAULT_SETTINGS, openProgressStore, resolveProfile } = await import('../progress/index.js');
  const { profile: flag } = command.optsWithGlobals<{ profile?: string }>();
  const profile = resolveProfile({ flag, env });
  return openProgressStore({ profile, env, defaultSettings: { ...DEFAULT_SETTINGS, language: localeLanguage(env) } });
}
