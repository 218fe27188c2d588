/**
 * Date and number formatting. Numbers and table dates always follow Vietnamese conventions
 * (decimal comma, dd/mm/yyyy), as the council's printed documents do, whatever the UI language.
 */
import type { Lang } from './bindings/Lang';

export interface CivilDate {
  year: number;
  month: number; // 1..12
  day: number; // 1..31
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/;

/**
 * Reads the calendar date of an ISO string ("2026-11-23" or "2026-11-23T08:00:00+07:00")
 * without going through time zones, or of a `Date` (local calendar date). Null when unreadable.
 */
export function civilDate(value: string | Date): CivilDate | null {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    return { year: value.getFullYear(), month: value.getMonth() + 1, day: value.getDate() };
  }
  const m = ISO_DATE.exec(value.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Table form: "23/11/2026". An unreadable value is returned as given. */
export function formatDate(value: string | Date): string {
  const d = civilDate(value);
  if (!d) return typeof value === 'string' ? value : '';
  return `${pad2(d.day)}/${pad2(d.month)}/${d.year}`;
}

const EN_MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

/**
 * Prose form. Vietnamese follows the administrative style (Nghị định 30/2020/NĐ-CP): a day below 10
 * and the months 1 and 2 take a leading zero — "ngày 05 tháng 02 năm 2026", "ngày 23 tháng 11 năm 2026".
 * English: "23 November 2026".
 */
export function formatDateLong(value: string | Date, lang: Lang = 'vi'): string {
  const d = civilDate(value);
  if (!d) return typeof value === 'string' ? value : '';
  if (lang === 'en') return `${d.day} ${EN_MONTHS[d.month - 1]} ${d.year}`;
  const day = pad2(d.day);
  const month = d.month <= 2 ? pad2(d.month) : String(d.month);
  return `ngày ${day} tháng ${month} năm ${d.year}`;
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/**
 * vi-VN number: decimal comma, dot thousands separator. With `decimals`, exactly that many
 * fraction digits ("82,50"); without, up to two and none when whole ("40", "82,5").
 */
export function formatNumber(value: number, decimals?: number): string {
  if (!Number.isFinite(value)) return '—';
  const key = decimals === undefined ? 'auto' : String(decimals);
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat('vi-VN', {
      minimumFractionDigits: decimals ?? 0,
      maximumFractionDigits: decimals ?? 2,
    });
    numberFormats.set(key, f);
  }
  return f.format(value);
}

/** A council mean: always two decimals ("82,50"). */
export function formatScore(value: number): string {
  return formatNumber(value, 2);
}

/**
 * A moment (RFC 3339, usually UTC as the backend records it) in local time: "23/11/2026 14:05".
 * An unreadable value is returned as given.
 */
export function formatDateTime(value: string): string {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return `${formatDate(d)} ${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/** A file size: "840 B", "12,5 KB", "3,2 MB" (vi-VN decimals). */
export function formatBytes(size: number | bigint): string {
  const n = Number(size);
  if (!Number.isFinite(n) || n < 0) return '—';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${formatNumber(Math.round((n / 1024) * 10) / 10)} KB`;
  return `${formatNumber(Math.round((n / (1024 * 1024)) * 10) / 10)} MB`;
}

/** Today's date as ISO "2026-11-23" (local calendar). */
export function todayIso(now: Date = new Date()): string {
  return `${now.getFullYear()}-${pad2(now.getMonth() + 1)}-${pad2(now.getDate())}`;
}
