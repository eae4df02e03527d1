import { KubetlsError } from '../errors.js';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 365 * 86_400_000 };

/**
 * A point in time as a learner types it: `now`, an ISO 8601 date or date-time
 * (`2027-01-31`, `2027-01-31T12:00:00Z`), or an offset from now (`+400d`, `-1y`, `+36h`).
 */
export function parseTime(text: string, now: Date = new Date()): Date {
  const value = text.trim();
  if (value === 'now') return now;
  const relative = /^([+-])(\d+)([smhdwy])$/.exec(value);
  if (relative) {
    const sign = relative[1] === '-' ? -1 : 1;
    return new Date(now.getTime() + sign * Number(relative[2]) * UNIT_MS[relative[3]!]!);
  }
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
    const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value.replace(' ', 'T'));
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new KubetlsError(`"${text}" is not a time kubetls understands`, { hint: 'use now, 2027-01-31, 2027-01-31T12:00:00Z, or an offset such as +400d or -1y' });
}
