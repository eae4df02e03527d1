import { CSV_COLUMNS } from './csv-columns.js';
import { wholePercent, type ProgressSummary } from './summary.js';
import { SCHEMA_VERSION, type AttemptRecord, type Progress } from './schema.js';

/**
 * Progress for scripts and teachers: one JSON document (`kubetls progress --json`), and the quiz
 * attempts as CSV (`kubetls progress --csv`) in RFC 4180 form: a header row, CRLF line ends,
 * fields quoted only when they hold a comma, a double quote or a line break, quotes doubled.
 */

export { CSV_COLUMNS };

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvRow(values: readonly string[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

function attemptRow(attempt: AttemptRecord): string[] {
  return [
    attempt.id,
    attempt.at,
    attempt.mode,
    attempt.topics.join(';'),
    String(attempt.outcomes.length),
    String(attempt.outcomes.filter((outcome) => outcome.correct).length),
    String(attempt.score),
    String(attempt.max),
    String(wholePercent(attempt.score, attempt.max)),
    attempt.passed === undefined ? '' : attempt.passed ? 'yes' : 'no',
    attempt.durationMs === undefined ? '' : String(Math.round(attempt.durationMs / 1000)),
  ];
}

/** Every attempt, oldest first, under a header row. */
export function attemptsCsv(progress: Progress): string {
  const attempts = [...progress.attempts].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.id < b.id ? -1 : 1));
  return csvRow(CSV_COLUMNS) + attempts.map((attempt) => csvRow(attemptRow(attempt))).join('');
}

export interface ProgressReport {
  profile: string;
  file: string;
  schemaVersion: number;
  generatedAt: string;
  /** Present when the store could not be saved to, or was damaged and moved aside just now. */
  warning?: string;
  notice?: string;
  summary: ProgressSummary;
}

/** The document `kubetls progress --json` prints. */
export function progressReport(input: { profile: string; file: string; now: number; summary: ProgressSummary; warning?: string | undefined; notice?: string | undefined }): ProgressReport {
  return {
    profile: input.profile,
    file: input.file,
    schemaVersion: SCHEMA_VERSION,
    generatedAt: new Date(input.now).toISOString(),
    ...(input.warning ? { warning: input.warning } : {}),
    ...(input.notice ? { notice: input.notice } : {}),
    summary: input.summary,
  };
}
