import { translate, type Language } from '../locale/catalogue.js';
import type { VerifyReport } from '../pki/index.js';
import { escapeTags } from './theme.js';
import { padColumns } from './width.js';
import { columns } from '../text-width.cjs';

type Pki = typeof import('../pki/index.js');

/** A verify report as the app's dialogs show it: each check under its name (in a column), then kubetls' explanation. */
export function verifyLines(p: Pki, report: VerifyReport, language: Language, mark: (ok: boolean) => string): string[] {
  const width = Math.max(...p.CHECK_NAMES.map((name) => columns(p.checkName(name, language)))) + 1;
  return [
    ...report.checks.map((check) => `${mark(check.ok)} ${padColumns(p.checkName(check.check, language), width)}${escapeTags(check.message)}`),
    ...(report.explanation ? ['', escapeTags(translate(language, 'verify.why', { explanation: report.explanation }))] : []),
  ];
}
