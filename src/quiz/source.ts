import type { Diagnostic } from '../lessons/diagnostic.js';
import { loadQuestionBank, type BankOptions } from './load.js';
import type { Question } from './types.js';

/**
 * Where questions come from. A bank reads YAML files; a generator (to come: questions read from
 * the learner's own sandbox PKI, fix-it tasks) computes its questions and their answers when
 * asked, so nothing it asks can be memorised. The engine takes any mix of sources.
 */
export interface QuestionSource {
  /** Shown in messages: "question bank lessons/quiz", "sandbox ~/kubetls-lab". */
  readonly name: string;
  questions(): Promise<SourceQuestions>;
}

export interface SourceQuestions {
  questions: Question[];
  diagnostics: Diagnostic[];
}

export function bankSource(options: BankOptions = {}): QuestionSource {
  return {
    name: 'question bank',
    async questions() {
      const { questions, diagnostics } = loadQuestionBank(options);
      return { questions, diagnostics };
    },
  };
}

/** Questions of every source; a later source's id that repeats an earlier one is reported and dropped. */
export async function gatherQuestions(sources: readonly QuestionSource[]): Promise<SourceQuestions> {
  const questions: Question[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const source of sources) {
    const result = await source.questions();
    diagnostics.push(...result.diagnostics);
    for (const question of result.questions) {
      if (seen.has(question.id)) {
        diagnostics.push({ file: source.name, line: 0, severity: 'error', message: `question id "${question.id}" is already used by another source` });
        continue;
      }
      seen.add(question.id);
      questions.push(question);
    }
  }
  return { questions, diagnostics };
}
