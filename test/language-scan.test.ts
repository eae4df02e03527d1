import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Command } from 'commander';
import { buildProgram } from '../src/cli/program.js';
import { englishProse, hasHangul } from './support/prose.js';
import { availableLanguages, catalogue, translate } from '../src/locale/catalogue.js';
import { CSV_COLUMNS } from '../src/progress/csv-columns.js';
import { removeTempDirs, runCli, tempDir } from './helpers.js';

/**
 * Issue #16's rule for the command line's own words, on every command: its help and commander's
 * error lines are Korean under a Korean locale (what the learner types stays as typed), and English
 * has no Hangul. The commands' output is scanned the same way by pki-korean, learn-korean and
 * quiz-language; the app's screens by the e2e Korean walks.
 */

/** Every command path of the tree: [], ['pki'], ['pki', 'init'], … */
function commandPaths(command: Command, path: string[] = []): string[][] {
  return [path, ...command.commands.filter((sub) => sub.name() !== 'help').flatMap((sub) => commandPaths(sub, [...path, sub.name()]))];
}

const PATHS = commandPaths(buildProgram());

function run(args: string[], locale: string) {
  return runCli(args, { env: { LANG: locale, LC_ALL: '', KUBETLS_CONFIG_DIR: tempDir('kubetls-scan-'), HOME: tempDir('kubetls-scan-home-') } });
}

/** Every help key the tree needs: each command's description, each option (by long name) and argument. */
function helpKeys(command: Command, key = 'help.kubetls'): string[] {
  return [
    `${key}.description`,
    ...command.options.map((option) => `${key}.options.${(option.long ?? option.short ?? '').replace(/^--?/, '')}`),
    ...command.registeredArguments.map((argument) => `${key}.arguments.${argument.name()}`),
    ...command.commands.filter((sub) => sub.name() !== 'help').flatMap((sub) => helpKeys(sub, `${key}.commands.${sub.name()}`)),
  ];
}

test('the help of every command, option and argument is in every catalogue, and nothing else is there', () => {
  const needed = helpKeys(buildProgram()).sort();
  for (const language of availableLanguages()) {
    const present = Object.keys(catalogue(language)).filter((key) => key.startsWith('help.kubetls.') && !key.endsWith('.after')).sort();
    assert.equal(present, needed, `locales/${language}/help.yaml matches the command tree`);
  }
});

test('there is a command tree to scan', () => {
  assert.ok(PATHS.length > 25, `${PATHS.length} commands`);
  assert.ok(PATHS.some((path) => path.join(' ') === 'pki init'));
});

test('every command\'s --help is Korean under ko_KR.UTF-8, and has no Hangul in English', () => {
  for (const path of PATHS) {
    const korean = run([...path, '--help'], 'ko_KR.UTF-8');
    assert.is(korean.status, 0, `${path.join(' ')}: ${korean.stderr}`);
    for (const line of korean.stdout.split('\n')) {
      assert.is(englishProse(line), undefined, `kubetls ${path.join(' ')} --help: English prose in\n${line}`);
    }
    assert.ok(hasHangul(korean.stdout), `kubetls ${path.join(' ')} --help speaks Korean`);
    const english = run([...path, '--help'], 'C.UTF-8');
    assert.not.ok(hasHangul(english.stdout), `kubetls ${path.join(' ')} --help in English:\n${english.stdout}`);
  }
});

test('commander\'s own errors are said in the learner\'s language, on one line, exit 2', () => {
  const mistakes = [['pki', 'inti'], ['pki', 'show'], ['inspect'], ['lessons', 'show'], ['quiz', '--count'], ['progress', 'today'], ['--no-such-flag']];
  for (const args of mistakes) {
    for (const [locale, check] of [['ko_KR.UTF-8', (line: string) => englishProse(line) === undefined && hasHangul(line)], ['C.UTF-8', (line: string) => !hasHangul(line)]] as const) {
      const result = run(args, locale);
      assert.is(result.status, 2, `${args.join(' ')} (${locale})`);
      const lines = result.stderr.trimEnd().split('\n');
      assert.is(lines.length, 1, `${args.join(' ')} (${locale}): one line\n${result.stderr}`);
      assert.ok(check(lines[0]!), `${args.join(' ')} (${locale}): ${lines[0]}`);
    }
  }
});

test('progress --help describes every CSV column, in every language', () => {
  for (const language of availableLanguages()) {
    const after = translate(language, 'help.kubetls.commands.progress.after');
    for (const column of CSV_COLUMNS) assert.match(after, new RegExp(`^  ${column} +\\S`, 'm'), `${language}: ${column}`);
  }
});

test.after(removeTempDirs);
test.run();
