import { KubetlsError } from '../../errors.js';
import { chooseLanguage } from '../../terminal/language.js';
import { holdProcessWarnings } from '../../terminal/warnings.js';

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
  // before blessed loads: Node's warnings must not be written over the screen
  holdProcessWarnings();
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
}
