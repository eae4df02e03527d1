import { FILE_LIMITS, refusalReason, readUserDirectory, readUserText } from '../user-file.js';
import { join } from 'node:path';
import { packagePath } from '../package-root.js';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node, type YAMLMap } from 'yaml';
import { courseTopics, isCourseTopic, readCourse } from '../lessons/course.js';
import type { Diagnostic } from '../lessons/diagnostic.js';
import { BASE_LANGUAGE, availableLanguages } from '../locale/catalogue.js';
import { isUsableExpectedValue, valueMatches } from './normalize.js';
import {
  NORMALIZE_KINDS, QUESTION_TYPES, sameInEvery, type Choice, type Difficulty, type LocalizedText, type NormalizeKind, type OrderQuestion, type Question, type QuestionType,
  type QuizTopic, type SingleChoiceQuestion, type TextQuestion,
} from './types.js';

/**
 * Loads the question banks: YAML files in `lessons/quiz/`, one per topic, each a list of
 * questions (the format is documented in `lessons/quiz/README.md`). Every problem is reported
 * with its file and line; a bad question is left out and the others still load.
 */

/** The course's lessons; a question's `lesson` must name one of them. */
/** The course's lessons, as its lesson files list them (src/lessons/course.ts). */
export function courseLessonIds(): readonly string[] {
  return readCourse().lessonIds;
}

export interface QuestionBank {
  questions: Question[];
  diagnostics: Diagnostic[];
  files: string[];
}

export interface BankOptions {
  /** Directories of bank files; default: the course's `lessons/quiz/`. */
  dirs?: string[];
  /** Lesson ids a question may link to; default: the course's twelve. */
  lessonIds?: readonly string[];
}

export function courseQuizDir(): string {
  return packagePath('lessons', 'quiz');
}

const BANK_FILE = /\.ya?ml$/;

export function loadQuestionBank(options: BankOptions = {}): QuestionBank {
  const dirs = options.dirs ?? [courseQuizDir()];
  const lessonIds = options.lessonIds ?? courseLessonIds();
  const questions: Question[] = [];
  const diagnostics: Diagnostic[] = [];
  const files: string[] = [];
  const firstSeen = new Map<string, { file: string; line: number }>();

  for (const dir of dirs) {
    let names: string[];
    try {
      names = readUserDirectory(dir).map((entry) => entry.name).filter((name) => BANK_FILE.test(name) && !name.startsWith('.') && !name.startsWith('_')).sort();
    } catch (error) {
      diagnostics.push({ file: dir, line: 0, severity: 'error', message: `cannot read the question bank directory: ${refusalReason(error)}` });
      continue;
    }
    for (const name of names) {
      const file = join(dir, name);
      files.push(file);
      let text: string;
      try {
        text = readUserText(file, { limit: FILE_LIMITS.lesson });
      } catch (error) {
        diagnostics.push({ file, line: 0, severity: 'error', message: refusalReason(error) });
        continue;
      }
      const parsed = parseBankText(text, file, { lessonIds });
      diagnostics.push(...parsed.diagnostics);
      for (const question of parsed.questions) {
        const line = question.origin.kind === 'bank' ? question.origin.line : 0;
        const earlier = firstSeen.get(question.id);
        if (earlier) {
          diagnostics.push({ file, line, severity: 'error', message: `duplicate question id "${question.id}" (first used at ${earlier.file}:${earlier.line}); give this one another id` });
          continue;
        }
        firstSeen.set(question.id, { file, line });
        questions.push(question);
      }
    }
  }
  return { questions, diagnostics, files };
}

const KNOWN_KEYS = new Set(['id', 'topic', 'difficulty', 'type', 'lesson', 'prompt', 'choices', 'answer', 'normalize', 'list', 'explanation', 'weight', 'fact']);
const ID_PATTERN = /^[a-z0-9][a-z0-9.-]*$/;

export interface Field {
  node: Node | null;
  value: unknown;
  line: number;
}

/** A mapping's keys with their values and lines (for messages that point at the right line). */
export function fieldsOf(node: YAMLMap, lineOf: (offset: number | undefined) => number): Map<string, Field> {
  const fields = new Map<string, Field>();
  for (const pair of node.items) {
    const keyNode = pair.key as Node | null;
    const key = isScalar(keyNode) ? String(keyNode.value) : '';
    const valueNode = pair.value as Node | null;
    const line = lineOf(keyNode?.range?.[0] ?? valueNode?.range?.[0]);
    fields.set(key, { node: valueNode, value: valueNode === null ? null : valueNode.toJSON(), line });
  }
  return fields;
}

/** Parses one bank file's text. Duplicate ids inside the file are reported here too. */
export function parseBankText(text: string, file: string, options: { lessonIds?: readonly string[] } = {}): { questions: Question[]; diagnostics: Diagnostic[] } {
  const lessonIds = options.lessonIds ?? courseLessonIds();
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number | undefined): number => (offset === undefined ? 1 : lineCounter.linePos(offset).line);
  const diagnostics: Diagnostic[] = [];
  const report = (line: number, message: string, severity: Diagnostic['severity'] = 'error'): void => {
    diagnostics.push({ file, line, message, severity });
  };

  const errorLines = document.errors.map((error) => lineOf(error.pos[0]));
  // yaml notices an unclosed quote or bracket where the text ends; say which question it is in
  const items = isSeq(document.contents) ? document.contents.items.map((item) => (item as Node | null)?.range).filter((range) => range !== undefined && range !== null) : [];
  const reportedLines = new Set<number>();
  for (const error of document.errors) {
    const line = lineOf(error.pos[0]);
    // one syntax error often causes a second on the same line: the first says what to fix
    if (reportedLines.has(line)) continue;
    reportedLines.add(line);
    const within = items.find((range) => error.pos[0] >= range[0] && error.pos[0] <= range[2]);
    const where = within && lineOf(within[0]) !== line ? ` (in the question that starts at line ${lineOf(within[0])})` : '';
    report(line, `not valid YAML: ${error.message.split('\n')[0] ?? ''}${where}`);
  }

  const contents = document.contents;
  if (contents === null || (isScalar(contents) && (contents.value === null || contents.value === ''))) {
    if (document.errors.length === 0) report(1, 'the file holds no questions (it should be a YAML list: "- id: ...")', 'warning');
    return { questions: [], diagnostics };
  }
  if (!isSeq(contents)) {
    report(lineOf(contents.range?.[0]), 'a question bank is a YAML list of questions, each starting with "- id: ..."');
    return { questions: [], diagnostics };
  }

  const questions: Question[] = [];
  const idsInFile = new Map<string, number>();
  for (const item of contents.items) {
    const node = item as Node | null;
    const itemLine = lineOf(node?.range?.[0]);
    // a syntax error inside a question makes its data unreliable: leave it out, keep the rest
    const itemEnd = node?.range ? lineOf(node.range[2]) : itemLine;
    if (errorLines.some((line) => line >= itemLine && line <= itemEnd)) continue;
    if (!isMap(node)) {
      report(itemLine, 'each question is a mapping of keys ("id:", "prompt:", ...), not a plain value');
      continue;
    }
    const question = parseQuestion(node, { itemLine, lineOf, file, lessonIds, report });
    if (!question) continue;
    const earlier = idsInFile.get(question.id);
    if (earlier !== undefined) {
      report(itemLine, `duplicate question id "${question.id}" (first used at line ${earlier}); give this one another id`);
      continue;
    }
    idsInFile.set(question.id, itemLine);
    questions.push(question);
  }
  return { questions, diagnostics };
}

/** Where a question sits in its bank file, and where its problems go. */
interface QuestionContext {
  /** The line its `- id:` is on. */
  itemLine: number;
  lineOf: (offset: number | undefined) => number;
  file: string;
  lessonIds: readonly string[];
  report: (line: number, message: string, severity?: Diagnostic['severity']) => void;
}

/** One question's fields while they are checked; `fail` reports a problem and marks the question as left out. */
interface QuestionFields {
  readonly fields: Map<string, Field>;
  readonly context: QuestionContext;
  /** `question "<id>"`: every message names the question, so a report reads on its own. */
  readonly label: string;
  /** False once anything failed. */
  ok: boolean;
  fail(line: number, message: string): void;
  /** The line of `key`, or of the question when it has no such key. */
  lineFor(key: string): number;
}

/** What every question has, whatever its type. */
type QuestionCommon = Omit<SingleChoiceQuestion, 'type' | 'choices' | 'answer'>;
type ChoiceType = Exclude<QuestionType, 'text'>;

function parseQuestion(node: YAMLMap, context: QuestionContext): Question | undefined {
  const question = questionFields(node, context);
  const common = parseCommonFields(question);
  if (!common) return undefined;
  const { base, type, answer } = common;
  return type === 'text' ? parseTextQuestion(question, base, answer) : parseChoiceQuestion(question, { base, type, answer });
}

function questionFields(node: YAMLMap, context: QuestionContext): QuestionFields {
  const fields = fieldsOf(node, context.lineOf);
  const id = fields.get('id')?.value;
  const label = typeof id === 'string' && id !== '' ? `question "${id}"` : 'question';
  const question: QuestionFields = {
    fields,
    context,
    label,
    ok: true,
    fail(line, message) {
      question.ok = false;
      context.report(line, `${label}: ${message}`);
    },
    lineFor: (key) => fields.get(key)?.line ?? context.itemLine,
  };
  return question;
}

/** The fields of every type, checked in the order a bank lists them; undefined when any is wrong. */
function parseCommonFields(question: QuestionFields): { base: QuestionCommon; type: QuestionType; answer: Field } | undefined {
  const { fields, fail, lineFor, context } = question;
  const id = checkId(question);
  warnUnknownKeys(question);
  const topic = checkTopic(question);
  const difficulty = checkDifficulty(question);
  const type = checkType(question);
  const lesson = checkLesson(question);
  const prompt = localized(fields.get('prompt'), 'prompt', context.itemLine, fail);
  const explanation = localized(fields.get('explanation'), 'explanation', context.itemLine, fail);
  const weight = checkWeight(question, difficulty ?? 1);
  const fact = checkFact(question);
  const answer = fields.get('answer');
  if (!answer || answer.value === null) fail(lineFor('answer'), 'has no answer (add "answer:")');

  if (!question.ok || !id || !topic || !difficulty || !type || !lesson || !prompt || !explanation || !answer) return undefined;
  const base: QuestionCommon = {
    id, topic, difficulty, lesson, prompt, explanation, weight,
    origin: { kind: 'bank', file: context.file, line: context.itemLine },
    ...(fact === undefined ? {} : { fact }),
  };
  return { base, type, answer };
}

function checkId({ fields, fail, lineFor }: QuestionFields): string | undefined {
  const field = fields.get('id');
  const id = field?.value;
  if (typeof id === 'string' && ID_PATTERN.test(id)) return id;
  fail(lineFor('id'), field ? `id must be lower-case letters, digits, "-" and ".", not ${JSON.stringify(id)}` : 'has no id (add "id: topic-short-name")');
  return undefined;
}

function warnUnknownKeys({ fields, label, context }: QuestionFields): void {
  for (const [key, field] of fields) {
    if (!KNOWN_KEYS.has(key)) context.report(field.line, `${label}: unknown key "${key}" is ignored (known: ${[...KNOWN_KEYS].join(', ')})`, 'warning');
  }
}

function checkTopic({ fields, fail, lineFor }: QuestionFields): QuizTopic | undefined {
  const topic = fields.get('topic')?.value;
  if (typeof topic === 'string' && isCourseTopic(topic)) return topic as QuizTopic;
  fail(lineFor('topic'), topic === undefined ? 'has no topic' : `unknown topic ${JSON.stringify(topic)} (topics: ${courseTopics().join(', ')}, the ones the course's lessons teach)`);
  return undefined;
}

function checkDifficulty({ fields, fail, lineFor }: QuestionFields): Difficulty | undefined {
  const difficulty = fields.get('difficulty')?.value;
  if (difficulty === 1 || difficulty === 2 || difficulty === 3) return difficulty;
  fail(lineFor('difficulty'), difficulty === undefined ? 'has no difficulty (1, 2 or 3)' : `difficulty must be 1, 2 or 3, not ${JSON.stringify(difficulty)}`);
  return undefined;
}

function checkType({ fields, fail, lineFor }: QuestionFields): QuestionType | undefined {
  const type = fields.get('type')?.value;
  if (typeof type === 'string' && (QUESTION_TYPES as readonly string[]).includes(type)) return type as QuestionType;
  fail(lineFor('type'), type === undefined ? `has no type (${QUESTION_TYPES.join(', ')})` : `unknown type ${JSON.stringify(type)} (types: ${QUESTION_TYPES.join(', ')})`);
  return undefined;
}

function checkLesson({ fields, fail, lineFor, context }: QuestionFields): string | undefined {
  const lesson = fields.get('lesson')?.value;
  const { lessonIds } = context;
  if (typeof lesson === 'string' && lessonIds.includes(lesson)) return lesson;
  fail(lineFor('lesson'), lesson === undefined ? 'has no lesson (the id of the lesson that teaches it)' : `lesson ${JSON.stringify(lesson)} is not a lesson id (lessons: ${lessonIds.join(', ')})`);
  return undefined;
}

/** Points in an exam: the difficulty unless `weight:` says otherwise. */
function checkWeight({ fields, fail }: QuestionFields, byDefault: number): number {
  const field = fields.get('weight');
  if (!field) return byDefault;
  if (typeof field.value === 'number' && field.value > 0 && Number.isFinite(field.value)) return field.value;
  fail(field.line, `weight must be a positive number, not ${JSON.stringify(field.value)}`);
  return byDefault;
}

function checkFact({ fields, fail }: QuestionFields): string | undefined {
  const field = fields.get('fact');
  if (!field) return undefined;
  if (typeof field.value === 'string' && field.value.trim() !== '') return field.value.trim();
  fail(field.line, 'fact must be a text such as "apiserver.cn" or "not apiserver.sans"');
  return undefined;
}

function parseTextQuestion(question: QuestionFields, base: QuestionCommon, answer: Field): TextQuestion | undefined {
  const { fields, fail, lineFor } = question;
  for (const key of ['choices']) if (fields.has(key)) fail(lineFor(key), `a text question has no ${key}`);
  const normalize = fields.get('normalize')?.value ?? 'text';
  if (typeof normalize !== 'string' || !(NORMALIZE_KINDS as readonly string[]).includes(normalize)) {
    fail(lineFor('normalize'), `normalize must be one of ${NORMALIZE_KINDS.join(', ')}, not ${JSON.stringify(normalize)}`);
    return undefined;
  }
  const list = fields.get('list')?.value ?? false;
  if (typeof list !== 'boolean') {
    fail(lineFor('list'), 'list must be true or false');
    return undefined;
  }
  const texts = expectedTexts(question, { normalize: normalize as NormalizeKind, list, answer });
  if (!texts || !question.ok) return undefined;
  return { ...base, type: 'text', normalize: normalize as NormalizeKind, list, accepted: list ? [texts] : texts.map((value) => [value]) };
}

/** A text question's answer as texts, each one a learner could type; a list answer names each value once. */
function expectedTexts({ fail }: QuestionFields, { normalize, list, answer }: { normalize: NormalizeKind; list: boolean; answer: Field }): string[] | undefined {
  const values = Array.isArray(answer.value) ? answer.value : [answer.value];
  if (values.length === 0 || !values.every((value) => typeof value === 'string' || typeof value === 'number')) {
    fail(answer.line, 'the answer of a text question is a text or a list of texts');
    return undefined;
  }
  const texts = values.map(String);
  for (const value of texts) {
    const problem = isUsableExpectedValue(normalize, value);
    if (problem) fail(answer.line, problem);
  }
  if (list) {
    const twins = texts.filter((value, index) => texts.findIndex((other) => valueMatches(normalize, other, value)) !== index);
    if (twins.length > 0) fail(answer.line, `the list answer names ${JSON.stringify(twins[0])} twice`);
  }
  return texts;
}

interface ChoiceAnswer {
  base: QuestionCommon;
  type: ChoiceType;
  answer: Field;
}

function parseChoiceQuestion(question: QuestionFields, { base, type, answer }: ChoiceAnswer): Question | undefined {
  const { fields, fail, lineFor, context } = question;
  for (const key of ['normalize', 'list']) if (fields.has(key)) fail(lineFor(key), `"${key}" is only for text questions`);
  const choices = parseChoices(fields.get('choices'), context.itemLine, context.lineOf, fail);
  if (!choices || !question.ok) return undefined;
  const indexProblem = choiceIndexProblem(choices.length);
  if (type === 'single') return singleChoiceQuestion(question, { base, choices, answer, indexProblem });
  if (type === 'order' && Array.isArray(answer.value) && answer.value.length > 0 && answer.value.every(Array.isArray)) {
    return orderWithAlternatives(base, choices, answer.value as unknown[][], answer.line, indexProblem, fail);
  }
  const indices = answerIndices(question, answer, indexProblem);
  if (!indices) return undefined;
  if (type === 'multiple') {
    if (indices.length > 0) return { ...base, type, choices, answer: [...indices].sort((a, b) => a - b) };
    fail(answer.line, 'a multiple-choice answer needs at least one correct choice');
    return undefined;
  }
  if (indices.length === choices.length) return { ...base, type, choices, answer: indices };
  fail(answer.line, `an order answer lists every choice once, in the right sequence (${choices.length} choices, ${indices.length} given)`);
  return undefined;
}

/** Why `value` names none of `count` choices; undefined when it names one. */
function choiceIndexProblem(count: number): (value: unknown) => string | undefined {
  const last = count - 1;
  return (value) => {
    if (typeof value !== 'number' || !Number.isInteger(value)) return `${JSON.stringify(value)} is not a choice index (choices count from 0)`;
    if (value < 0 || value > last) return `answer ${value} is out of range: there are ${count} choices, numbered 0-${last}`;
    return undefined;
  };
}

function singleChoiceQuestion(
  { fail }: QuestionFields,
  { base, choices, answer, indexProblem }: { base: QuestionCommon; choices: Choice[]; answer: Field; indexProblem: (value: unknown) => string | undefined },
): SingleChoiceQuestion | undefined {
  const problem = Array.isArray(answer.value)
    ? 'a single-choice answer is one index, not a list (use type: multiple for several)'
    : indexProblem(answer.value);
  if (!problem) return { ...base, type: 'single', choices, answer: answer.value as number };
  fail(answer.line, problem);
  return undefined;
}

/** A multiple or order answer: indices of choices, each named once. */
function answerIndices(question: QuestionFields, answer: Field, indexProblem: (value: unknown) => string | undefined): number[] | undefined {
  const list = Array.isArray(answer.value) ? (answer.value as unknown[]) : [answer.value];
  for (const value of list) {
    const problem = indexProblem(value);
    if (problem) question.fail(answer.line, problem);
  }
  if (!question.ok) return undefined;
  const indices = list as number[];
  if (new Set(indices).size === indices.length) return indices;
  question.fail(answer.line, 'the answer names a choice twice');
  return undefined;
}

/** `answer: [[0, 1, 2], [1, 0, 2]]`: several right orders, when some steps do not depend on each other. */
function orderWithAlternatives(
  base: Omit<OrderQuestion, 'type' | 'choices' | 'answer' | 'alsoAccepted'>,
  choices: Choice[],
  sequences: unknown[][],
  line: number,
  indexProblem: (value: unknown) => string | undefined,
  fail: (line: number, message: string) => void,
): OrderQuestion | undefined {
  const orders: number[][] = [];
  for (const [position, sequence] of sequences.entries()) {
    const problem = sequence.map(indexProblem).find((message) => message !== undefined);
    if (problem) {
      fail(line, `order ${position + 1}: ${problem}`);
      return undefined;
    }
    const indices = sequence as number[];
    if (new Set(indices).size !== indices.length || indices.length !== choices.length) {
      fail(line, `order ${position + 1} does not list every choice once (${choices.length} choices, ${new Set(indices).size} different given)`);
      return undefined;
    }
    if (orders.some((order) => order.every((index, at) => indices[at] === index))) {
      fail(line, `order ${position + 1} repeats an order given before it`);
      return undefined;
    }
    orders.push(indices);
  }
  const [answer, ...alsoAccepted] = orders as [number[], ...number[][]];
  return { ...base, type: 'order', choices, answer, ...(alsoAccepted.length > 0 ? { alsoAccepted } : {}) };
}

export function localized(field: Field | undefined, name: string, itemLine: number, fail: (line: number, message: string) => void): LocalizedText | undefined {
  if (!field) {
    fail(itemLine, `has no ${name} (add "${name}:" with ${availableLanguages().map((lang) => `"${lang}:"`).join(' and ')})`);
    return undefined;
  }
  const value = field.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(field.line, `${name} needs a text for each of ${availableLanguages().map((lang) => `"${lang}:"`).join(', ')}`);
    return undefined;
  }
  const record = value as Record<string, unknown>;
  const missing = missingLanguages(record);
  if (missing.length > 0) {
    fail(field.line, `${name} has no ${missing.join(' or ')} text (add "${missing[0]}:")`);
    return undefined;
  }
  return textInEvery(record);
}

/** The languages kubetls has a catalogue for that a {en, ko, …} record gives no text in. */
function missingLanguages(record: Record<string, unknown>): string[] {
  return availableLanguages().filter((lang) => typeof record[lang] !== 'string' || (record[lang] as string).trim() === '');
}

function textInEvery(record: Record<string, unknown>): LocalizedText {
  return Object.fromEntries(availableLanguages().map((lang) => [lang, (record[lang] as string).trim()])) as LocalizedText;
}

function parseChoices(
  field: Field | undefined,
  itemLine: number,
  lineOf: (offset: number | undefined) => number,
  fail: (line: number, message: string) => void,
): Choice[] | undefined {
  if (!field || !isSeq(field.node)) {
    fail(field?.line ?? itemLine, 'a choice question needs "choices:", a list of at least two');
    return undefined;
  }
  const choices: Choice[] = [];
  const lines: number[] = [];
  let ok = true;
  field.node.items.forEach((item, index) => {
    const node = item as Node | null;
    const value = node?.toJSON() as unknown;
    const where = lineOf(node?.range?.[0]);
    lines.push(where);
    if (typeof value === 'string' || typeof value === 'number') {
      const text = String(value).trim();
      if (text === '') {
        ok = false;
        fail(where, `choice ${index} is empty`);
      }
      choices.push({ text: sameInEvery(text), literal: true });
      return;
    }
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const record = value as Record<string, unknown>;
      const missing = missingLanguages(record);
      if (missing.length > 0) {
        ok = false;
        fail(where, `choice ${index} has no ${missing.join(' or ')} text (a choice is {${availableLanguages().join(', ')}}, or one plain text for every language)`);
        return;
      }
      choices.push({ text: textInEvery(record), literal: false });
      return;
    }
    ok = false;
    fail(where, `choice ${index} is neither a text nor {${availableLanguages().join(', ')}}`);
  });
  if (!ok) return undefined;
  if (choices.length < 2) {
    fail(field.line, 'a choice question needs at least two choices');
    return undefined;
  }
  const seen = new Map<string, number>();
  for (const [index, choice] of choices.entries()) {
    const key = choice.text[BASE_LANGUAGE].toLowerCase();
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      fail(lines[index] ?? field.line, `choices ${earlier} and ${index} read the same ("${choice.text[BASE_LANGUAGE]}")`);
      return undefined;
    }
    seen.set(key, index);
  }
  return choices;
}
