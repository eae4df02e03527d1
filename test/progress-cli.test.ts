import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, assertOneLineError, removeTempDirs, tempDir, type CliResult } from './helpers.js';

/** `kubetls progress` as a learner or a teacher runs it: a real process, real files. */

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/progress/', import.meta.url));

test.after(removeTempDirs);

/** The CLI with its own HOME and config directory, so the real ~/.config is never touched. */
function kubetls(args: string[], options: { env?: NodeJS.ProcessEnv; configDir?: string | null } = {}): CliResult {
  const home = tempDir('kubetls-home-');
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), NO_COLOR: '1', LANG: 'C.UTF-8', ...options.env };
  delete env['KUBETLS_PROFILE'];
  if (options.env?.['KUBETLS_PROFILE']) env['KUBETLS_PROFILE'] = options.env['KUBETLS_PROFILE'];
  if (options.configDir === null) delete env['KUBETLS_CONFIG_DIR'];
  else if (options.configDir !== undefined) env['KUBETLS_CONFIG_DIR'] = options.configDir;
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env, timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function dirWithSample(): string {
  const dir = tempDir('kubetls-progress-cli-');
  copyFileSync(join(FIXTURES, 'v1-sample.json'), join(dir, 'config.json'));
  return dir;
}

test('progress: a summary that fits 80 columns, in Unicode or ASCII', () => {
  const dir = dirWithSample();
  const result = kubetls(['progress'], { configDir: dir });
  assert.is(result.status, 0, result.stderr);
  assert.is(result.stderr, '');
  const lines = result.stdout.trimEnd().split('\n');
  for (const line of lines) assert.ok(line.length <= 80, `fits 80 columns: ${JSON.stringify(line)}`);
  assert.is(lines[0], 'Progress of profile "default"');
  assert.match(result.stdout, /\nLessons   ██+░+ 2 of 12 done \(16%\)\n {10}reading: cluster-ca 40%\n/);
  assert.match(result.stdout, /\nQuizzes   3 attempts: 1 practice, 1 exam \(0 passed\), 1 review\n/);
  assert.match(result.stdout, /\n {2}\d{4}-\d\d-\d\d \d\d:\d\d {2}exam {7}40% {2}fail {2}2 of 5 points\n/);
  // the topic by its name (the lesson's topic_names), not its id
  assert.match(result.stdout, /\n {2}Zero trust and mTLS {8}█+░+ {2}66% {2}3 answers\n/);
  assert.match(result.stdout, /\n {2}Expiry and renewal {9}not practised yet\n/);
  assert.match(result.stdout, /\nReview {4}2 due now, 2 questions in the boxes \(0\/2\/0\/0\/0\)\n {2}zero-trust-ports {2}box 2, due since /);

  const ascii = kubetls(['progress'], { configDir: dir, env: { LANG: 'C', LC_ALL: 'C' } });
  assert.match(ascii.stdout, /\nLessons   \[###\.+\] 2 of 12 done/);
  assert.not.match(ascii.stdout, /[^\x00-\x7f]/, 'ASCII only');
  // a long path is cut at the front, the end that tells files apart is kept
  const deep = join(tempDir('kubetls-progress-cli-'), 'a-directory-with-a-rather-long-name', 'and-another-one-below-it-for-good-measure');
  mkdirSync(deep, { recursive: true });
  copyFileSync(join(FIXTURES, 'v1-sample.json'), join(deep, 'config.json'));
  const long = kubetls(['progress'], { configDir: deep });
  const fileLine = long.stdout.split('\n')[1]!;
  assert.is(fileLine.length, 80);
  assert.match(fileLine, /^….*-for-good-measure\/config\.json$/);
});

test('progress: an empty store says so', () => {
  const result = kubetls(['progress'], { configDir: tempDir('kubetls-progress-cli-') });
  assert.is(result.status, 0, result.stderr);
  assert.match(result.stdout, /\nLessons   ░+ 0 of 12 done \(0%\)\nStreak    no study days yet\nQuizzes   no attempts yet\n/);
  assert.match(result.stdout, /\nReview    no questions waiting/);
});

test('progress --json: the summary, the profile and the file', () => {
  const dir = dirWithSample();
  const result = kubetls(['progress', '--json', '--profile', 'default'], { configDir: dir });
  assert.is(result.status, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.is(report.profile, 'default');
  assert.is(report.file, join(dir, 'config.json'));
  assert.is(report.schemaVersion, 1);
  assert.equal(report.summary.attempts, { total: 3, practice: 1, exam: 1, review: 1, examsPassed: 0 });
  assert.equal(report.summary.completion.done, 2);
  assert.equal(report.summary.scores.map((point: { percent: number }) => point.percent), [50, 40, 100]);
  assert.is(report.summary.mastery.length, 12);
  assert.is(report.summary.review.cards, 2);
  assert.not.ok('warning' in report || 'notice' in report);
});

test('progress --csv: RFC 4180 rows, the header first, CRLF line ends', () => {
  const result = kubetls(['progress', '--csv'], { configDir: dirWithSample() });
  assert.is(result.status, 0, result.stderr);
  assert.is(
    result.stdout,
    [
      'attempt_id,finished_at,mode,topics,questions,correct,score,max,percent,passed,duration_s',
      'practice-1,2025-03-01T08:00:00.000Z,practice,zero-trust,2,1,1,2,50,,95',
      '"exam ""mock"", day 2",2025-03-02T10:30:00.000Z,exam,zero-trust;cluster-ca,2,1,2,5,40,no,1500',
      'review-1,2025-03-03T11:15:00.000Z,review,cluster-ca,1,1,1,1,100,,',
      '',
    ].join('\r\n'),
  );
  assertOneLineError(kubetls(['progress', '--csv', '--json'], { configDir: dirWithSample() }), /option '--csv' cannot be used with option '--json'/, '--csv with --json');
  assertOneLineError(kubetls(['progress', 'rest'], { configDir: dirWithSample() }), /"rest" is not something `kubetls progress` takes \(`kubetls progress` shows the summary, `kubetls progress reset` clears it/, 'a typo');
  assertOneLineError(kubetls(['progress', 'reset', 'now', '--yes'], { configDir: dirWithSample() }), /"now" is not something `kubetls progress reset` takes/, 'reset with a word');
  const help = kubetls(['progress', '--help']);
  assert.match(help.stdout, /CSV columns: .*\n {2}attempt_id {3}unique id of the attempt\n/);
  for (const line of help.stdout.split('\n')) assert.ok(line.length <= 80, `help fits 80 columns: ${line}`);
});

test('profiles: --profile and KUBETLS_PROFILE pick a separate file; a bad name is one line, exit 2', () => {
  const dir = dirWithSample();
  const ann = kubetls(['progress', '--json'], { configDir: dir, env: { KUBETLS_PROFILE: 'ann' } });
  assert.is(JSON.parse(ann.stdout).file, join(dir, 'profiles', 'ann', 'config.json'));
  assert.is(JSON.parse(ann.stdout).summary.attempts.total, 0, "ann does not see the default profile's attempts");
  const flagWins = kubetls(['--profile', 'bob', 'progress', '--json'], { configDir: dir, env: { KUBETLS_PROFILE: 'ann' } });
  assert.is(JSON.parse(flagWins.stdout).profile, 'bob');
  assertOneLineError(kubetls(['progress', '--profile', '../../etc'], { configDir: dir }), /invalid profile name "\.\.\/\.\.\/etc" \(from --profile\) \(use 1-32 lower-case letters/, 'bad --profile');
  assertOneLineError(kubetls(['progress'], { configDir: dir, env: { KUBETLS_PROFILE: 'Ann Lee' } }), /invalid profile name "Ann Lee" \(from KUBETLS_PROFILE\)/, 'bad KUBETLS_PROFILE');
});

test('the default place is conf\'s: $XDG_CONFIG_HOME/kubetls-nodejs', () => {
  const xdg = tempDir('kubetls-xdg-');
  // nothing saved yet: reset has nothing to do and leaves no empty profile behind
  const nothing = kubetls(['progress', 'reset', '--yes'], { configDir: null, env: { XDG_CONFIG_HOME: xdg } });
  assert.is(nothing.status, 0, nothing.stderr);
  assert.match(nothing.stdout, /has no saved progress: nothing to reset/);
  assert.not.ok(existsSync(join(xdg, 'kubetls-nodejs')), 'nothing created');
  const quiz = spawnSync(process.execPath, [BIN, 'quiz', '--plain', '--count', '1', '--seed', '1'], { encoding: 'utf8', input: '\n', env: { ...process.env, XDG_CONFIG_HOME: xdg, KUBETLS_CONFIG_DIR: '' } });
  assert.is(quiz.status, 0, quiz.stderr);
  assert.ok(existsSync(join(xdg, 'kubetls-nodejs', 'config.json')), 'written under XDG_CONFIG_HOME');
  const report = JSON.parse(kubetls(['progress', '--json', '--profile', 'ann'], { configDir: null, env: { XDG_CONFIG_HOME: xdg } }).stdout);
  assert.is(report.file, join(xdg, 'kubetls-nodejs', 'profiles', 'ann', 'config.json'));
});

test('a damaged file: moved aside, the learner told once on stderr, exit 0', () => {
  const dir = tempDir('kubetls-progress-cli-');
  writeFileSync(join(dir, 'config.json'), '{"schemaVersion": 1, "lessons": {');
  const first = kubetls(['progress'], { configDir: dir });
  assert.is(first.status, 0, first.stderr);
  const [aside] = readdirSync(dir).filter((name) => name.startsWith('config.json.corrupt-'));
  assert.ok(aside, 'moved aside');
  assert.match(first.stderr, new RegExp(`^kubetls: notice: your progress file ${dir}/config\\.json could not be read \\(it is not valid JSON: .*\\); it was kept as ${dir}/${aside!.replace(/\./g, '\\.')} and a fresh one was started\\n$`));
  assert.match(first.stdout, /0 of 12 done/);
  const second = kubetls(['progress'], { configDir: dir });
  assert.is(second.stderr, '', 'told once');
});

test('a place that cannot be written: the summary still shows; reset finds nothing saved there', () => {
  const base = tempDir('kubetls-progress-cli-');
  writeFileSync(join(base, 'file'), 'x');
  const result = kubetls(['progress', '--json'], { configDir: join(base, 'file', 'kubetls') });
  assert.is(result.status, 0, result.stderr);
  assert.is(JSON.parse(result.stdout).summary.attempts.total, 0);
  const reset = kubetls(['progress', 'reset', '--yes'], { configDir: join(base, 'file', 'kubetls') });
  assert.is(reset.status, 0, reset.stderr);
  assert.match(reset.stdout, /has no saved progress: nothing to reset/);
});

test('reset: refused without a terminal unless --yes; with it, a backup of the old file', () => {
  const dir = dirWithSample();
  const original = readFileSync(join(dir, 'config.json'));
  assertOneLineError(kubetls(['progress', 'reset'], { configDir: dir }), /progress reset asks for confirmation, and stdin is not a terminal \(add --yes to reset without asking\)/, 'reset without --yes');
  assert.equal(readFileSync(join(dir, 'config.json')), original, 'nothing changed');
  const reset = kubetls(['progress', 'reset', '--yes'], { configDir: dir });
  assert.is(reset.status, 0, reset.stderr);
  const backup = /Backup of the old file: (.+)\n$/.exec(reset.stdout)?.[1];
  assert.ok(backup, reset.stdout);
  assert.match(backup!, new RegExp(`^${dir}/config\\.json\\.backup-\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d\\.\\d{3}Z$`));
  assert.equal(readFileSync(backup!), original);
  const after = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  assert.equal([after.attempts, after.lessons, after.sandboxDir], [[], {}, '/home/ann/kubetls-lab']);
});

test('reset on a terminal: asks y/N; anything but y keeps the progress', () => {
  const probe = spawnSync('script', ['--version'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    console.log('\n  skipped: util-linux `script` (a pseudo-terminal) is not installed');
    return;
  }
  const dir = dirWithSample();
  const original = readFileSync(join(dir, 'config.json'));
  // `script` gives kubetls a pseudo-terminal and types the answer into it
  const onTerminal = (answer: string) =>
    spawnSync('script', ['-qec', `${process.execPath} ${BIN} progress reset`, '/dev/null'], {
      input: `${answer}\n`,
      encoding: 'utf8',
      env: { ...process.env, KUBETLS_CONFIG_DIR: dir, NO_COLOR: '1' },
      timeout: 30_000,
    });
  for (const answer of ['', 'n', 'nope']) {
    const declined = onTerminal(answer);
    assert.is(declined.status, 0, declined.stdout);
    assert.match(declined.stdout, /Reset the progress of profile "default" \(.*config\.json\)\? A backup is kept\. \[y\/N\]/);
    assert.match(declined.stdout, /Nothing was changed\./);
  }
  assert.equal(readFileSync(join(dir, 'config.json')), original);
  const accepted = onTerminal('y');
  assert.is(accepted.status, 0, accepted.stdout);
  assert.match(accepted.stdout, /Backup of the old file: /);
  assert.equal(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).attempts, []);
});

test.run();
