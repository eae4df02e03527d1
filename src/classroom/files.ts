import { randomBytes } from 'node:crypto';
import { accessSync, chmodSync, closeSync, constants, fsyncSync, lstatSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { KubetlsError, type Words } from '../errors.js';
import type { Progress } from '../progress/schema.js';
import { isLearnerSummary, learnerSummary, type LearnerSummary } from './summary.js';
import { FileRefusedError, readUserDirectory } from '../user-file.js';

/**
 * A class directory on a shared server: one file per learner, `<uid>-<profile>.learner.json`, written by
 * that learner alone (0640, replaced atomically by rename), and `class-exam.json`, written by the teacher
 * who owns the directory. The directory is meant to be setgid (every file joins the class group, so the
 * teacher can read it) and sticky (only a file's owner may replace or remove it): `chmod 3770`.
 */

export const EXAM_FILE = 'class-exam.json';
const LEARNER_SUFFIX = '.learner.json';
const LEARNER_FILE = /^(\d+)-([a-z0-9][a-z0-9_-]{0,31})\.learner\.json$/;

/** Who is writing: this process's uid, and its login name when the system knows it. */
export function currentIdentity(profile: string, name: string): { name: string; user: string; uid: number; profile: string } {
  const uid = process.getuid?.() ?? 0;
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = `uid ${uid}`;
  }
  return { name, user, uid, profile };
}

export function learnerFileName(uid: number, profile: string): string {
  return `${uid}-${profile}${LEARNER_SUFFIX}`;
}

/** The class directory must be there and writable by this learner (the teacher makes it). */
export function assertClassDir(dir: string): void {
  let stats;
  try {
    stats = statSync(dir);
  } catch {
    throw KubetlsError.said('class.errors.noClassDir', { dir }, { key: 'class.errors.teacherCreatesIt' });
  }
  if (!stats.isDirectory()) throw KubetlsError.said('class.errors.notADirectory', { dir });
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch {
    throw KubetlsError.said('class.errors.cannotWrite', { dir }, { key: 'class.errors.askTeacher' });
  }
}

/** What a learner should know about the directory they join: whether others could replace their file (catalogue words). */
export function classDirWarning(dir: string): Words | undefined {
  const mode = statSync(dir).mode;
  const sticky = (mode & 0o1000) !== 0;
  const worldWritable = (mode & 0o002) !== 0;
  if (!sticky && (mode & 0o020) !== 0) return { key: 'class.warning.groupWritable', params: { dir } };
  if (worldWritable && !sticky) return { key: 'class.warning.worldWritable', params: { dir } };
  return undefined;
}

/**
 * Writes a file the way a learner's summary must be written on a shared directory: a new file of this
 * user's beside it (0640), flushed, then renamed over the old one. A reader sees the old summary or the
 * new one, never half; with the sticky bit nobody else's rename can replace it.
 */
function writeAtomically(path: string, content: string, mode: number): void {
  const temporary = join(resolve(path, '..'), `.${randomBytes(6).toString('hex')}.${process.pid}.tmp`);
  const fd = openSync(temporary, 'wx', mode);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(temporary, mode);
  try {
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** The learner's summary into the class directory (called by the progress store after each change). */
export function publishProgress(progress: Progress, profile: string, now: number = Date.now()): string | undefined {
  const membership = progress.classroom;
  if (!membership) return undefined;
  const identity = currentIdentity(profile, membership.name);
  const path = join(membership.dir, learnerFileName(identity.uid, profile));
  writeAtomically(path, `${JSON.stringify(learnerSummary(progress, identity, now), null, 2)}\n`, 0o640);
  return path;
}

/** `kubetls class leave`: the learner's own file goes with them. */
export function withdrawProgress(dir: string, profile: string): string {
  const path = join(dir, learnerFileName(process.getuid?.() ?? 0, profile));
  rmSync(path, { force: true });
  return path;
}

export interface Roster {
  learners: LearnerSummary[];
  /** Files that are not a learner's own summary (wrong owner, a link, damaged), each one line of catalogue words. */
  problems: Words[];
}

/**
 * Every learner's summary. A file counts only when the uid in its name, the uid inside and its owner on
 * disk agree, and it is a plain file: nobody can show up as someone else.
 */
export function readRoster(dir: string): Roster {
  let names: string[];
  try {
    names = readUserDirectory(dir).map((entry) => entry.name);
  } catch (error) {
    if (!(error instanceof FileRefusedError) || !(error.cause instanceof Error)) throw error;
    const code = (error.cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw KubetlsError.said('class.errors.noClassDir', { dir }, { key: 'class.errors.createItFirst' });
    // the system's code (ENOTDIR, EIO) is what a teacher would search for; permission is said in words
    if (code !== 'EACCES') throw KubetlsError.said('class.errors.cannotRead', { dir, reason: code ?? String(error) }, { key: 'class.errors.createItFirst' });
    throw KubetlsError.said('class.errors.cannotReadDenied', { dir }, { key: 'class.errors.readAsMember' });
  }
  const learners: LearnerSummary[] = [];
  const problems: Words[] = [];
  for (const name of names) {
    const match = LEARNER_FILE.exec(name);
    if (!match) continue;
    const path = join(dir, name);
    try {
      const stats = lstatSync(path);
      if (!stats.isFile()) {
        problems.push({ key: 'class.roster.notPlain', params: { file: name } });
        continue;
      }
      const summary: unknown = JSON.parse(readFileSync(path, 'utf8'));
      if (!isLearnerSummary(summary)) {
        problems.push({ key: 'class.roster.notSummary', params: { file: name } });
        continue;
      }
      if (stats.uid !== Number(match[1]) || summary.uid !== stats.uid || summary.profile !== match[2]) {
        problems.push({ key: 'class.roster.wrongOwner', params: { file: name, uid: stats.uid } });
        continue;
      }
      learners.push(summary);
    } catch (error) {
      problems.push(error instanceof SyntaxError
        ? { key: 'class.roster.notJson', params: { file: name } }
        : { key: 'class.roster.unreadable', params: { file: name, reason: (error as NodeJS.ErrnoException).code ?? String(error) } });
    }
  }
  return { learners, problems };
}

// ---- the class exam ------------------------------------------------------------------------------

export interface ClassExam {
  id: string;
  seed: number;
  count: number;
  minutes: number;
  setAt: string;
}

/** `kubetls class exam`: every learner of the class who starts an exam gets these tasks. */
export function setClassExam(dir: string, exam: { seed: number; count: number; minutes: number; now?: number }): ClassExam {
  assertClassDir(dir);
  const setAt = new Date(exam.now ?? Date.now()).toISOString();
  const record: ClassExam = { id: `exam-${setAt.replace(/[-:]|\.\d+Z$/g, '').replace('T', '-')}-${exam.seed}`, seed: exam.seed, count: exam.count, minutes: exam.minutes, setAt };
  writeAtomically(join(dir, EXAM_FILE), `${JSON.stringify(record, null, 2)}\n`, 0o644);
  return record;
}

export function endClassExam(dir: string): boolean {
  const path = join(dir, EXAM_FILE);
  try {
    rmSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The exam set for the class, when the teacher's: the file must belong to the directory's owner (or
 * root), so a learner cannot set the exam for everyone.
 */
export function readClassExam(dir: string): ClassExam | undefined {
  const path = join(dir, EXAM_FILE);
  try {
    const stats = lstatSync(path);
    const owner = statSync(dir).uid;
    if (!stats.isFile() || (stats.uid !== owner && stats.uid !== 0)) return undefined;
    const exam = JSON.parse(readFileSync(path, 'utf8')) as ClassExam;
    const whole = (value: unknown) => Number.isInteger(value) && (value as number) > 0;
    return typeof exam.id === 'string' && Number.isInteger(exam.seed) && whole(exam.count) && whole(exam.minutes) ? exam : undefined;
  } catch {
    return undefined;
  }
}

/** The class exam a learner's `kubetls exam` takes now, when they are in a class that has one. */
export function classExamFor(progress: Progress): ClassExam | undefined {
  return progress.classroom ? readClassExam(progress.classroom.dir) : undefined;
}
