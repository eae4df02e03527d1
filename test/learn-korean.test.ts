import { test } from 'uvu';
import { englishProse, hasHangul } from './support/prose.js';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, removeTempDirs, tempDir, type CliResult } from './helpers.js';

/**
 * Issue #16 for the learning side: every line `kubetls lessons`, `progress` and `class` write in their
 * own voice is Korean under a Korean locale, and English holds no Hangul. What imitates a tool or
 * names a thing (commands, flags, paths, ids, quoted values) is kept as it is; the check removes those
 * spans and then refuses three English words in a row.
 */

const PROGRESS_SAMPLE = fileURLToPath(new URL('../../test/fixtures/progress/v1-sample.json', import.meta.url));

test.after(removeTempDirs);

interface Session {
  run(args: string[]): CliResult;
  configDir: string;
}

/** The sample progress file (scores, mastery, review cards), saved by a learner who chose `language` in Settings. */
function saveSample(session: Session, language: string): void {
  const sample = JSON.parse(readFileSync(PROGRESS_SAMPLE, 'utf8')) as { settings: { language: string } };
  sample.settings.language = language;
  writeFileSync(join(session.configDir, 'config.json'), JSON.stringify(sample));
}

/** A learner with their own HOME and config directory, in one locale. */
function learner(locale: string): Session {
  const home = tempDir('kubetls-home-');
  const configDir = tempDir('kubetls-config-');
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), KUBETLS_CONFIG_DIR: configDir, NO_COLOR: '1', LANG: locale };
  delete env['LC_ALL'];
  delete env['LC_MESSAGES'];
  delete env['KUBETLS_PROFILE'];
  return {
    configDir,
    run(args) {
      const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env, timeout: 60_000, input: '' });
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    },
  };
}


/** Every line of a command's output (stdout and stderr) is the learner's language. */
function assertKorean(result: CliResult, label: string): void {
  const lines = `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => line.trim() !== '');
  assert.ok(lines.length > 0, `${label}: says something`);
  for (const line of lines) {
    const english = englishProse(line);
    assert.is(english, undefined, `${label}: English prose "${english}" in\n${line}`);
  }
  assert.ok(lines.some((line) => hasHangul(line)), `${label}: speaks Korean\n${lines.join('\n')}`);
}

function assertEnglish(result: CliResult, label: string): void {
  const text = `${result.stdout}\n${result.stderr}`;
  assert.ok(text.trim() !== '', `${label}: says something`);
  const hangul = text.split('\n').find((line) => hasHangul(line));
  assert.is(hangul, undefined, `${label}: Hangul in English output: ${hangul}`);
}

/** The commands a learner and a teacher run, with the exit code each should end with. */
function scenario(session: Session, classDir: string): [label: string, args: string[], status: number][] {
  return [
    ['lessons', ['lessons'], 0],
    ['lessons list', ['lessons', 'list'], 0],
    ['lessons check', ['lessons', 'check'], 0],
    ['unknown lesson', ['lessons', 'show', 'no-such-lesson'], 2],
    ['a lesson id that is close', ['lessons', 'show', 'zero'], 2],
    ['an id where a command goes', ['lessons', 'zero-trust'], 2],
    ['a width too narrow', ['lessons', 'show', 'zero-trust', '--width', '12'], 2],
    ['no such lessons dir', ['--lessons-dir', join(session.configDir, 'no-such-dir'), 'lessons'], 2],
    ['progress, nothing yet', ['progress'], 0],
    ['progress reset, nothing saved', ['progress', 'reset', '--yes'], 0],
    ['progress, an extra word', ['progress', 'today'], 2],
    ['class, no dir', ['class', '--plain'], 2],
    ['class, a bad class dir', ['class', '--dir', join(classDir, 'missing'), '--plain'], 2],
    ['class join, a bad class dir', ['class', 'join', '--dir', join(classDir, 'missing'), '--name', 'Minji'], 2],
    ['class join, an empty name', ['class', 'join', '--dir', classDir, '--name', ' '], 2],
    ['class leave, not in a class', ['class', 'leave'], 2],
    ['class join', ['class', 'join', '--dir', classDir, '--name', 'Minji'], 0],
    ['class table', ['class', '--dir', classDir, '--plain'], 0],
    ['class table, a bad sort', ['class', '--dir', classDir, '--plain', '--sort', 'height'], 2],
    ['class, an unknown command', ['class', 'photo', '--dir', classDir], 2],
    ['class exam', ['class', 'exam', '--dir', classDir, '--seed', '7'], 0],
    ['class exam, a bad count', ['class', 'exam', '--dir', classDir, '--count', '0'], 2],
    ['class exam, a bad seed', ['class', 'exam', '--dir', classDir, '--seed', 'x'], 2],
    ['class exam end', ['class', 'exam', '--dir', classDir, '--end'], 0],
    ['class exam end, none set', ['class', 'exam', '--dir', classDir, '--end'], 0],
    ['class leave', ['class', 'leave'], 0],
    ['progress with answers', ['progress'], 0],
    ['progress reset, no terminal', ['progress', 'reset'], 2],
    ['progress reset', ['progress', 'reset', '--yes'], 0],
  ];
}

function runScenario(locale: string, check: (result: CliResult, label: string) => void): void {
  const session = learner(locale);
  const classDir = tempDir('kubetls-class-');
  // writable by everyone and not sticky: joining it says why that is a risk
  chmodSync(classDir, 0o777);
  for (const [label, args, status] of scenario(session, classDir)) {
    if (label === 'progress with answers') saveSample(session, locale.slice(0, 2));
    const result = session.run(args);
    assert.is(result.status, status, `${label}: exit ${status}\n${result.stdout}${result.stderr}`);
    check(result, `${label} (${args.join(' ')})`);
  }
}


test('ko: every lessons, progress and class command speaks Korean, errors included', () => {
  runScenario('ko_KR.UTF-8', assertKorean);
});

test('en: the same commands hold no Hangul', () => {
  runScenario('en_US.UTF-8', assertEnglish);
});

test('ko: a lesson shown on the command line labels its call-outs in Korean', () => {
  const session = learner('ko_KR.UTF-8');
  const result = session.run(['lessons', 'show', 'cluster-ca', '--width', '80']);
  assert.is(result.status, 0, result.stderr);
  assert.match(result.stdout, /┌─ 위험: /);
  assert.not.match(result.stdout, /┌─ (?:NOTE|TIP|INFO|WARNING|DANGER|CAUTION)\b/);
});

test('ko: the progress summary fits 80 columns, Hangul counted two', () => {
  const session = learner('ko_KR.UTF-8');
  saveSample(session, 'ko');
  const result = session.run(['progress']);
  assert.is(result.status, 0, result.stderr);
  const columns = (line: string) => [...line].reduce((sum, char) => sum + (hasHangul(char) ? 2 : 1), 0);
  for (const line of result.stdout.split('\n')) assert.ok(columns(line) <= 80, `fits 80 columns: ${line}`);
  assert.match(result.stdout, /\n {2}제로 트러스트와 mTLS +█+░+ +66% {2}답 3개\n/, 'topics by their Korean names');
});

test.run();
