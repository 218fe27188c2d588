import { describe, expect, it } from 'vitest';
import type { Locality } from './bindings/Locality';
import { achievedPercent, achievedText, columnTotals, parseTarget, percentText, planGrid, rowTotal } from './plan';

const loc = (code: string, name: string): Locality => ({ code, name, level: 'district', parent_code: null });

describe('parseTarget', () => {
  it('takes whole numbers from 0, empty as 0, ignoring spaces and thousands dots', () => {
    expect(parseTarget('12')).toEqual({ ok: true, value: 12 });
    expect(parseTarget(' 0 ')).toEqual({ ok: true, value: 0 });
    expect(parseTarget('')).toEqual({ ok: true, value: 0 });
    expect(parseTarget('1.200')).toEqual({ ok: true, value: 1200 });
  });

  it('refuses negatives, fractions, words and absurd numbers', () => {
    for (const s of ['-1', '2,5', '3a', 'ba', '1e3', '+4', '1000001']) expect(parseTarget(s)).toEqual({ ok: false });
  });
});

describe('planGrid', () => {
  it('puts each target under its locality and star, 0 where there is none', () => {
    const rows = planGrid(
      [loc('L1', 'Huyện Nga Sơn'), loc('L2', 'Huyện Hoằng Hóa')],
      [
        { year: 2025, locality_code: 'L1', star: 3, target: 6 },
        { year: 2025, locality_code: 'L1', star: 5, target: 1 },
        { year: 2025, locality_code: 'L2', star: 4, target: 3 },
        { year: 2025, locality_code: 'L9', star: 3, target: 9 },
        { year: 2025, locality_code: 'L2', star: 2, target: 7 },
      ],
    );
    expect(rows.map((r) => [r.locality.code, r.target])).toEqual([
      ['L1', [6, 0, 1]],
      ['L2', [0, 3, 0]],
    ]);
    expect(columnTotals(rows)).toEqual([6, 3, 1]);
    expect(rowTotal(rows[0].target)).toBe(7);
  });
});

describe('achieved against target', () => {
  it('reads "achieved/target" with a whole percent', () => {
    expect(achievedText(3, 5)).toBe('3/5');
    expect(achievedText(2, 0)).toBe('2/—');
    expect(achievedPercent(3, 5)).toBe(60);
    expect(achievedPercent(2, 3)).toBe(67);
    expect(achievedPercent(1, 0)).toBeNull();
    expect(percentText(6, 5)).toBe('120\u00a0%');
    expect(percentText(1, 0)).toBe('');
  });
});
