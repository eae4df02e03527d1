import { KubetlsError } from '../../errors.js';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 365 * 86_400_000 };

/** The years a certificate can state (UTCTime from 1950, GeneralizedTime to 9999): any time kubetls uses lies in them. */
export const EARLIEST = new Date(Date.UTC(1950, 0, 1));
export const LATEST = new Date(Date.UTC(9999, 11, 31, 23, 59, 59));

const HINT = { key: 'pki.errors.time-hint' };
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A point in time as a learner types it: `now`, an ISO 8601 date or date-time
 * (`2027-01-31`, `2027-01-31T12:00:00Z`), or an offset from now (`+400d`, `-1y`, `+36h`).
 * A date that does not exist (30 February, hour 24) is refused, not rolled into the next month, and
 * so is a time outside the years a certificate can state.
 */
export function parseTime(text: string, now: Date = new Date()): Date {
  const value = text.trim();
  if (value === 'now') return now;
  const relative = /^([+-])(\d+)([smhdwy])$/.exec(value);
  const date = relative
    ? new Date(now.getTime() + (relative[1] === '-' ? -1 : 1) * Number(relative[2]) * UNIT_MS[relative[3]!]!)
    : isoDate(value, text);
  if (Number.isNaN(date.getTime()) || date < EARLIEST || date > LATEST) {
    throw KubetlsError.said('pki.errors.time-outside', { text, from: EARLIEST.getUTCFullYear(), to: LATEST.getUTCFullYear() }, HINT);
  }
  return date;
}

function isoDate(value: string, text: string): Date {
  const match = ISO.exec(value);
  const refuse = (key = 'pki.errors.time-unknown', params = {}) => KubetlsError.said(key, { text, ...params }, HINT);
  if (!match) throw refuse();
  const [year, month, day, hour = '00', minute = '00', second = '00', fraction = '', zone] = match.slice(1) as string[];
  const dateOnly = match[4] === undefined;
  const offsetMinutes = zone === undefined || zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
  const fields = { year: Number(year), month: Number(month), day: Number(day), hour: Number(hour), minute: Number(minute), second: Number(second) };
  if (!isCalendarTime(fields)) throw refuse('pki.errors.time-not-in-calendar', { date: `${value.slice(0, 10)}${dateOnly ? '' : ` ${hour}:${minute}:${second}`}` });
  if (zone !== undefined && zone !== 'Z' && (Number(zone.slice(1, 3)) > 23 || Number(zone.slice(-2)) > 59)) throw refuse('pki.errors.time-not-offset', { zone });
  const milliseconds = Number(`0.${fraction || '0'}`) * 1000;
  // a date alone is midnight UTC; a date-time without a zone is local time, as Date reads it
  if (!dateOnly && zone === undefined) {
    return new Date(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second, milliseconds);
  }
  return utcDate(fields, offsetMinutes, milliseconds);
}

export interface CalendarTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** A real date and time of day: month 1-12, a day the month has, 00:00:00 to 23:59:59. */
export function isCalendarTime(time: CalendarTime): boolean {
  const leap = (time.year % 4 === 0 && time.year % 100 !== 0) || time.year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][time.month - 1] ?? 0;
  return time.day >= 1 && time.day <= days && time.hour <= 23 && time.minute <= 59 && time.second <= 59;
}

/** The instant of a calendar time at a UTC offset (in minutes); years 0-99 are years 0-99, not 1900-1999 as in Date.UTC. */
export function utcDate(time: CalendarTime, offsetMinutes = 0, milliseconds = 0): Date {
  const date = new Date(0);
  date.setUTCFullYear(time.year, time.month - 1, time.day);
  date.setUTCHours(time.hour, time.minute - offsetMinutes, time.second, milliseconds);
  return date;
}
