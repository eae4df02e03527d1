import { KubetlsError } from '../../errors.js';
import { setV8Flag } from '../../v8-flags.js';
import { chooseLanguage } from '../../terminal/language.js';

/** `kubetls` with no command: the full-screen app, when there is a terminal to draw it on. */

export interface AppFlags {
  lessonsDir?: string;
  profile?: string;
  /** `--lang`: this run's language, over the saved setting. */
  lang?: string;
  /** Open straight at this screen (`kubetls quiz`, `kubetls exam`). */
  start?: 'practice' | 'exam' | 'review';
  /** Open the teacher's table of this class directory (`kubetls class --dir`). */
  classDir?: string;
}

export async function launchApp(flags: AppFlags): Promise<void> {
  const language = flags.lang === undefined ? undefined : chooseLanguage(flags.lang);
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    throw new KubetlsError('the full-screen app needs a terminal (stdin and stdout are not one)', {
      hint: 'use the command-line mode: `kubetls --help` lists the commands, e.g. `kubetls lessons show zero-trust`',
    });
  }
  const [{ runApp, defaultPreferences, defaultSandboxDir }, { openSession }] = await Promise.all([import('../../tui/index.js'), import('../../tui/session.js')]);
  const opened = openSession({
    profile: flags.profile,
    env: process.env,
    defaultSandboxDir: (profile) => defaultSandboxDir(profile, process.env),
    lessonsDirs: flags.lessonsDir ? [flags.lessonsDir] : [],
    defaults: defaultPreferences(process.env),
  });
  await runApp({ profile: opened.session.profile, lessonsDirs: opened.session.lessonsDirs, env: process.env, start: flags.start, classDir: flags.classDir, language }, opened);
  // after this turn: the start-up bundle's launcher writes its code cache first (a cache made after a
  // flag change would not match the next start's flags, and V8 would reject it)
  setImmediate(keepYoungGenerationSmall);
}

/**
 * V8 grows its young generation to 32 MB under the allocation bursts of rendering lessons and does not
 * give the memory back; a classroom of 40 feels that. Capping it with --max-semi-space-size would have
 * to be a start-up flag, and any V8 flag at start-up makes Node compile its own modules again (its
 * built-in code cache is tied to the default flags): ~10 ms of start-up. Not growing it has the same
 * effect and can be set once the home screen is up.
 */
function keepYoungGenerationSmall(): void {
  setV8Flag('--semi-space-growth-factor=1');
}
