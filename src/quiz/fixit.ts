import { FILE_LIMITS, refusalReason, readUserText } from '../user-file.js';
import { join } from 'node:path';
import { LineCounter, isMap, isSeq, parseDocument, type Node, type YAMLMap } from 'yaml';
import { describeError, isKubetlsError } from '../errors.js';
import { SANDBOX_FAULTS } from '../lessons/catalog.js';
import { courseTopics, isCourseTopic } from '../lessons/course.js';
import type { Diagnostic } from '../lessons/diagnostic.js';
import { chooseManifestUse, handshakeShowing, manifestUsesOf } from '../pki/sandbox/faults.js';
import { componentOf } from '../pki/manifests/static-pods.js';
import { KUBEADM_SPECS, findSpec, type CertificateSpec, type StaticPodComponent } from '../pki/certificates/spec.js';
import { courseLessonIds, courseQuizDir, fieldsOf, localized, type Field } from './load.js';
import { presentQuestion, type PresentedQuestion } from './present.js';
import { createRandom, shuffle } from './random.js';
import type { Difficulty, FixItFault, FixItQuestion, LocalizedText, QuizTopic } from './types.js';

/**
 * Fix-it tasks, the pure part: their definitions (`lessons/quiz/fix-it/*.yaml`, validated with file
 * and line), the questions they become for one sandbox, and which of them can share a sandbox. Breaking
 * and grading touch the sandbox and live in `fixit-sandbox.ts`.
 */

export interface FixItDefinition {
  id: string;
  topic: QuizTopic;
  difficulty: Difficulty;
  lesson: string;
  weight: number;
  fault: FixItFault;
  /** May name {ip}, {node}, {svc} and {dir}: filled in from the learner's sandbox. */
  prompt: LocalizedText;
  hint: LocalizedText;
  explanation: LocalizedText;
  origin: { file: string; line: number };
}

export function courseFixItDir(): string {
  return join(courseQuizDir(), 'fix-it');
}

/** Points in an exam when a task names none: a repair counts for three times its difficulty, like the CKA's heavier tasks. */
const WEIGHT_PER_DIFFICULTY = 3;
const KNOWN_KEYS = new Set(['id', 'topic', 'difficulty', 'lesson', 'weight', 'break', 'prompt', 'hint', 'explanation']);
const BREAK_KEYS = new Set(['cert', 'fault', 'san', 'flag', 'to']);
const ID_PATTERN = /^fixit\.[a-z0-9][a-z0-9.-]*$/;
export const TASK_PLACEHOLDERS = ['ip', 'node', 'svc', 'dir'] as const;
export type TaskPlaceholders = Record<(typeof TASK_PLACEHOLDERS)[number], string>;

export interface FixItTasks {
  tasks: FixItDefinition[];
  diagnostics: Diagnostic[];
}

export function loadFixItTasks(options: { files?: string[] } = {}): FixItTasks {
  const files = options.files ?? [join(courseFixItDir(), 'tasks.yaml')];
  const tasks: FixItDefinition[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readUserText(file, { limit: FILE_LIMITS.lesson });
    } catch (error) {
      diagnostics.push({ file, line: 0, severity: 'error', message: refusalReason(error) });
      continue;
    }
    const parsed = parseFixItText(text, file);
    diagnostics.push(...parsed.diagnostics);
    for (const task of parsed.tasks) {
      const earlier = tasks.find((other) => other.id === task.id);
      if (earlier) diagnostics.push({ file, line: task.origin.line, severity: 'error', message: `duplicate task id "${task.id}" (first used at ${earlier.origin.file}:${earlier.origin.line})` });
      else tasks.push(task);
    }
  }
  return { tasks, diagnostics };
}

export function parseFixItText(text: string, file: string): FixItTasks {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number | undefined): number => (offset === undefined ? 1 : lineCounter.linePos(offset).line);
  const diagnostics: Diagnostic[] = [];
  for (const error of document.errors) diagnostics.push({ file, line: lineOf(error.pos[0]), severity: 'error', message: `not valid YAML: ${error.message.split('\n')[0] ?? ''}` });
  if (document.errors.length > 0) return { tasks: [], diagnostics };
  if (!isSeq(document.contents)) {
    diagnostics.push({ file, line: 1, severity: 'error', message: 'a fix-it file is a YAML list of tasks, each starting with "- id: fixit...."' });
    return { tasks: [], diagnostics };
  }
  const tasks: FixItDefinition[] = [];
  for (const item of document.contents.items) {
    const node = item as Node | null;
    const itemLine = lineOf(node?.range?.[0]);
    if (!isMap(node)) {
      diagnostics.push({ file, line: itemLine, severity: 'error', message: 'each task is a mapping of keys ("id:", "break:", ...)' });
      continue;
    }
    const task = parseTask(node, itemLine, lineOf, file, (line, message, severity = 'error') => diagnostics.push({ file, line, severity, message }));
    if (!task) continue;
    if (tasks.some((other) => other.id === task.id)) diagnostics.push({ file, line: itemLine, severity: 'error', message: `duplicate task id "${task.id}"` });
    else tasks.push(task);
  }
  return { tasks, diagnostics };
}

function parseTask(
  node: YAMLMap,
  itemLine: number,
  lineOf: (offset: number | undefined) => number,
  file: string,
  report: (line: number, message: string, severity?: Diagnostic['severity']) => void,
): FixItDefinition | undefined {
  const fields = fieldsOf(node, lineOf);
  const idValue = fields.get('id')?.value;
  const id = typeof idValue === 'string' && ID_PATTERN.test(idValue) ? idValue : undefined;
  const label = typeof idValue === 'string' ? `task "${idValue}"` : 'task';
  let ok = true;
  const fail = (line: number, message: string): void => {
    ok = false;
    report(line, `${label}: ${message}`);
  };
  const lineFor = (key: string): number => fields.get(key)?.line ?? itemLine;
  if (!id) fail(lineFor('id'), idValue === undefined ? 'has no id (add "id: fixit.short-name")' : `id must start with "fixit." and use lower-case letters, digits, "-" and ".", not ${JSON.stringify(idValue)}`);
  for (const [key, field] of fields) if (!KNOWN_KEYS.has(key)) report(field.line, `${label}: unknown key "${key}" is ignored (known: ${[...KNOWN_KEYS].join(', ')})`, 'warning');

  const topic = fields.get('topic')?.value;
  if (typeof topic !== 'string' || !isCourseTopic(topic)) fail(lineFor('topic'), `topic must be one of ${courseTopics().join(', ')}`);
  const difficulty = fields.get('difficulty')?.value;
  if (difficulty !== 1 && difficulty !== 2 && difficulty !== 3) fail(lineFor('difficulty'), 'difficulty must be 1, 2 or 3');
  const lesson = fields.get('lesson')?.value;
  if (typeof lesson !== 'string' || !courseLessonIds().includes(lesson)) fail(lineFor('lesson'), `lesson must be a lesson id (${courseLessonIds().join(', ')})`);
  const weightField = fields.get('weight');
  const weight = weightField === undefined ? (typeof difficulty === 'number' ? difficulty * WEIGHT_PER_DIFFICULTY : 1) : weightField.value;
  if (typeof weight !== 'number' || !(weight > 0)) fail(lineFor('weight'), 'weight must be a positive number');

  const fault = parseBreak(fields.get('break'), itemLine, lineOf, fail);
  const texts = (['prompt', 'hint', 'explanation'] as const).map((name) => {
    const text = localized(fields.get(name), name, itemLine, fail);
    for (const [lang, value] of Object.entries(text ?? {})) {
      for (const match of value.matchAll(/\{([a-z]+)\}/g) ?? []) {
        if (!(TASK_PLACEHOLDERS as readonly string[]).includes(match[1] ?? '')) fail(lineFor(name), `${name}.${lang} names {${match[1]}}; the placeholders are ${TASK_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`);
      }
    }
    return text;
  });
  const [prompt, hint, explanation] = texts;
  if (!ok || !id || !fault || !prompt || !hint || !explanation) return undefined;
  return {
    id,
    topic: topic as QuizTopic,
    difficulty: difficulty as Difficulty,
    lesson: lesson as string,
    weight: weight as number,
    fault,
    prompt,
    hint,
    explanation,
    origin: { file, line: itemLine },
  };
}

function parseBreak(
  field: Field | undefined,
  itemLine: number,
  lineOf: (offset: number | undefined) => number,
  fail: (line: number, message: string) => void,
): FixItFault | undefined {
  if (!field || !isMap(field.node)) {
    fail(field?.line ?? itemLine, 'needs "break:" with "cert:" and "fault:" (what kubetls pki break does for it)');
    return undefined;
  }
  const fields = fieldsOf(field.node, lineOf);
  for (const [key, value] of fields) if (!BREAK_KEYS.has(key)) fail(value.line, `break has no key "${key}" (keys: ${[...BREAK_KEYS].join(', ')})`);
  const cert = fields.get('cert')?.value;
  const spec = typeof cert === 'string' ? findSpec(cert, KUBEADM_SPECS) : undefined;
  if (!spec) fail(fields.get('cert')?.line ?? field.line, `break.cert must name a certificate of kubeadm's table (${KUBEADM_SPECS.map((s) => s.name).join(', ')})`);
  const fault = fields.get('fault')?.value;
  const known = SANDBOX_FAULTS.find((name) => name === fault);
  if (!known) fail(fields.get('fault')?.line ?? field.line, `break.fault must be one of ${SANDBOX_FAULTS.join(', ')}`);
  const optional = (key: 'san' | 'flag' | 'to', only: string): string | undefined => {
    const value = fields.get(key);
    if (value === undefined) return undefined;
    if (typeof value.value !== 'string' || value.value.trim() === '') fail(value.line, `break.${key} must be a text`);
    else if (known !== only) fail(value.line, `break.${key} goes with fault ${only}`);
    return typeof value.value === 'string' ? value.value : undefined;
  };
  const san = optional('san', 'missing-san');
  const flag = optional('flag', 'wrong-path');
  const to = optional('to', 'wrong-path');
  if (spec && known === 'wrong-path') {
    const uses = manifestUsesOf(spec);
    if (uses.length === 0) fail(field.line, `no static Pod manifest names ${spec.name}, so wrong-path cannot apply`);
    else if (flag !== undefined) {
      try {
        chooseManifestUse(spec, flag);
      } catch (error) {
        fail(fields.get('flag')?.line ?? field.line, isKubetlsError(error) ? describeError(error) : String(error));
      }
    }
  }
  if (!spec || !known) return undefined;
  return { certificate: spec.name, fault: known, ...(san ? { san } : {}), ...(flag ? { flag } : {}), ...(to ? { to } : {}) };
}


// ---- one sandbox's tasks -----------------------------------------------------------------------

/** The task as a question for one sandbox: its placeholders filled in with the sandbox's own values. */
export function fixItQuestion(definition: FixItDefinition, values: TaskPlaceholders, source: string): FixItQuestion {
  const fill = (text: LocalizedText): LocalizedText => Object.fromEntries(Object.entries(text).map(([lang, value]) => [lang, fillIn(value, values)])) as LocalizedText;
  return {
    id: definition.id,
    topic: definition.topic,
    difficulty: definition.difficulty,
    lesson: definition.lesson,
    prompt: fill(definition.prompt),
    explanation: fill(definition.explanation),
    hint: fill(definition.hint),
    weight: definition.weight,
    origin: { kind: 'generated', source },
    type: 'text',
    normalize: 'text',
    list: false,
    accepted: [],
    task: definition.fault,
  };
}

function fillIn(text: string, values: TaskPlaceholders): string {
  return text.replace(/\{(ip|node|svc|dir)\}/g, (_, name: keyof TaskPlaceholders) => values[name]);
}

// ---- which tasks can share one sandbox ---------------------------------------------------------

/**
 * What a task touches: the certificates it breaks, the certificates and components its grading
 * handshake needs, and the components its fault can stop (a manifest flag, a certificate with the
 * wrong key). Two tasks whose footprints meet cannot be open at the same time: one would fail the other.
 */
export interface TaskFootprint {
  modifies: Set<string>;
  uses: Set<string>;
  runs: Set<StaticPodComponent>;
  stops: Set<StaticPodComponent>;
}

export function footprintOf(fault: FixItFault, specs: readonly CertificateSpec[] = KUBEADM_SPECS): TaskFootprint {
  const spec = findSpec(fault.certificate, specs);
  if (!spec) throw new Error(`no spec ${fault.certificate}`);
  const use = fault.fault === 'wrong-path' ? chooseManifestUse(spec, fault.flag) : undefined;
  const pair = handshakeShowing(spec, use);
  const involved = [spec, ...(pair ? [pair.server, pair.client].map((name) => findSpec(name, specs)) : [])].filter((s): s is CertificateSpec => s !== undefined);
  const uses = new Set(involved.flatMap((s) => [s.name, ...(s.signer === 'self' ? [] : [s.signer])]));
  const runs = new Set(involved.slice(1).map(componentOf).filter((c): c is StaticPodComponent => c !== undefined));
  const stops = new Set<StaticPodComponent>();
  if (use) stops.add(use.component);
  const component = componentOf(spec);
  if (fault.fault === 'key-mismatch' && component) stops.add(component);
  return { modifies: new Set([spec.name]), uses, runs, stops };
}

export function footprintsMeet(a: TaskFootprint, b: TaskFootprint): boolean {
  const meets = <T>(x: Set<T>, y: Set<T>) => [...x].some((value) => y.has(value));
  return meets(a.modifies, b.uses) || meets(b.modifies, a.uses) || meets(a.stops, b.runs) || meets(b.stops, a.runs) || meets(a.stops, b.stops);
}

/**
 * Up to `count` tasks, shuffled with `seed` (the same seed picks the same tasks), presented like
 * questions so practice and exam can take them. `together`: every task is set up at once (an exam),
 * so only tasks whose footprints do not meet are picked, from the first of a few seeded draws that
 * opens the most (one task that stops the apiserver would otherwise leave room for nothing else).
 * One after the other (practice), any task may follow any.
 */
export function selectFixItTasks(questions: readonly FixItQuestion[], options: { count: number; seed: number; together?: boolean }): PresentedQuestion[] {
  const random = createRandom(options.seed);
  const footprints = new Map(questions.map((question) => [question.id, footprintOf(question.task)]));
  const draw = (): FixItQuestion[] => {
    const chosen: FixItQuestion[] = [];
    for (const question of shuffle(questions, random)) {
      if (chosen.length >= options.count) break;
      const footprint = footprints.get(question.id)!;
      if (options.together && chosen.some((other) => footprintsMeet(footprints.get(other.id)!, footprint))) continue;
      chosen.push(question);
    }
    return chosen;
  };
  let best = draw();
  for (let attempt = 1; options.together && attempt < DRAWS && best.length < options.count; attempt += 1) {
    const next = draw();
    if (next.length > best.length) best = next;
  }
  return best.map((question) => presentQuestion(question, random));
}

/**
 * An exam's repairs, as selectFixItTasks picks them, each checked ready (its part of the sandbox works
 * now, or the task would grade itself) in parallel; a task that is not is left out and the draw made
 * again without it. Checks only what it picks: four checks for a healthy sandbox, not every task's.
 */
export async function selectReadyFixItTasks(
  questions: readonly FixItQuestion[],
  options: { count: number; seed: number; together?: boolean; ready(question: FixItQuestion): Promise<boolean> },
): Promise<{ tasks: PresentedQuestion[]; blocked: number }> {
  const known = new Map<string, Promise<boolean>>();
  let pool = [...questions];
  for (;;) {
    const tasks = selectFixItTasks(pool, options);
    const verdicts = await Promise.all(
      tasks.map((task) => {
        const question = task.question as FixItQuestion;
        if (!known.has(question.id)) known.set(question.id, options.ready(question).catch(() => false));
        return known.get(question.id)!;
      }),
    );
    const notReady = new Set(tasks.filter((_, index) => !verdicts[index]).map((task) => task.question.id));
    if (notReady.size === 0) return { tasks, blocked: questions.length - pool.length };
    pool = pool.filter((question) => !notReady.has(question.id));
  }
}

/** How many seeded draws an exam tries for the largest set of tasks that can be open together. */
const DRAWS = 8;

/** Places the tasks among the questions at positions the seed decides; the questions keep their order. */
export function mixTasksIn(questions: readonly PresentedQuestion[], tasks: readonly PresentedQuestion[], seed: number): PresentedQuestion[] {
  const random = createRandom(seed ^ 0x9e3779b9);
  const mixed = [...questions];
  for (const task of tasks) mixed.splice(random.below(mixed.length + 1), 0, task);
  return mixed;
}
