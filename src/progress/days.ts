/**
 * Study days are calendar days in the learner's local time zone, written `YYYY-MM-DD`. Day
 * arithmetic goes through the calendar (not 24-hour steps), so a daylight-saving change does not
 * skip or repeat a day.
 */

export function localDay(ms: number): string {
  const date = new Date(ms);
  return formatDay(date.getFullYear(), date.getMonth(), date.getDate());
}

function formatDay(year: number, monthIndex: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(monthIndex + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The calendar day before `day` (`YYYY-MM-DD`). */
export function dayBefore(day: string): string {
  const [year = 0, month = 1, date = 1] = day.split('-').map(Number);
  const previous = new Date(year, month - 1, date - 1, 12);
  return formatDay(previous.getFullYear(), previous.getMonth(), previous.getDate());
}

/** Adds a day to a sorted list of days, keeping it sorted and without repeats. */
export function withDay(days: readonly string[], day: string): string[] {
  if (days.includes(day)) return [...days];
  return [...days, day].sort();
}
