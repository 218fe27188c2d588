import { describe, expect, it } from 'vitest';
import { civilDate, formatBytes, formatDate, formatDateLong, formatDateTime, formatNumber, formatScore } from './format';

describe('civilDate', () => {
  it('reads ISO dates and date-times without time-zone shifts', () => {
    expect(civilDate('2026-11-23')).toEqual({ year: 2026, month: 11, day: 23 });
    expect(civilDate('2026-05-22T23:30:00-10:00')).toEqual({ year: 2026, month: 5, day: 22 });
  });

  it('refuses impossible or malformed dates', () => {
    expect(civilDate('2026-02-30')).toBeNull();
    expect(civilDate('2026-13-01')).toBeNull();
    expect(civilDate('23/11/2026')).toBeNull();
    expect(civilDate('')).toBeNull();
    expect(civilDate(new Date(Number.NaN))).toBeNull();
  });

  it('accepts leap days', () => {
    expect(civilDate('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 });
  });
});

describe('formatDate (tables)', () => {
  it('gives dd/mm/yyyy', () => {
    expect(formatDate('2026-11-23')).toBe('23/11/2026');
    expect(formatDate('2023-02-24')).toBe('24/02/2023');
    expect(formatDate('2026-05-02')).toBe('02/05/2026');
  });

  it('formats a Date by its local calendar day', () => {
    expect(formatDate(new Date(2026, 10, 23, 15, 0))).toBe('23/11/2026');
  });

  it('returns an unreadable value unchanged', () => {
    expect(formatDate('chưa rõ')).toBe('chưa rõ');
  });
});

describe('formatDateLong (prose)', () => {
  it('writes Vietnamese administrative dates', () => {
    expect(formatDateLong('2026-11-23')).toBe('ngày 23 tháng 11 năm 2026');
    expect(formatDateLong('2026-11-23', 'vi')).toBe('ngày 23 tháng 11 năm 2026');
  });

  it('pads days below 10 and the months January and February', () => {
    expect(formatDateLong('2026-05-02', 'vi')).toBe('ngày 02 tháng 5 năm 2026');
    expect(formatDateLong('2023-02-24', 'vi')).toBe('ngày 24 tháng 02 năm 2023');
    expect(formatDateLong('2027-01-05', 'vi')).toBe('ngày 05 tháng 01 năm 2027');
    expect(formatDateLong('2026-12-31', 'vi')).toBe('ngày 31 tháng 12 năm 2026');
  });

  it('writes English dates', () => {
    expect(formatDateLong('2026-11-23', 'en')).toBe('23 November 2026');
    expect(formatDateLong('2023-02-04', 'en')).toBe('4 February 2023');
  });
});

describe('formatNumber (vi-VN)', () => {
  it('uses a decimal comma', () => {
    expect(formatNumber(82.5, 2)).toBe('82,50');
    expect(formatScore(82.5)).toBe('82,50');
    expect(formatScore(81.1666)).toBe('81,17');
    expect(formatNumber(82.5)).toBe('82,5');
  });

  it('prints whole numbers without decimals by default', () => {
    expect(formatNumber(40)).toBe('40');
    expect(formatNumber(100)).toBe('100');
    expect(formatNumber(0)).toBe('0');
  });

  it('groups thousands with a dot', () => {
    expect(formatNumber(5021)).toBe('5.021');
    expect(formatNumber(1234567.891, 2)).toBe('1.234.567,89');
  });

  it('shows a dash for non-finite values', () => {
    expect(formatNumber(Number.NaN)).toBe('—');
  });
});

describe('date-times and sizes', () => {
  it('shows a moment in local time as dd/mm/yyyy HH:mm', () => {
    const local = new Date(2026, 10, 23, 9, 5);
    expect(formatDateTime(local.toISOString())).toBe('23/11/2026 09:05');
    expect(formatDateTime('không phải ngày')).toBe('không phải ngày');
  });

  it('shows file sizes with a decimal comma', () => {
    expect(formatBytes(840)).toBe('840 B');
    expect(formatBytes(57332)).toBe('56 KB');
    expect(formatBytes(12_800)).toBe('12,5 KB');
    expect(formatBytes(3_355_443)).toBe('3,2 MB');
  });
});
