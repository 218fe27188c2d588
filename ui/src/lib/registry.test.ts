import { describe, expect, it } from 'vitest';
import { dictionaries, translate } from './i18n';
import {
  daysBetween,
  deadlineUrgent,
  pageOf,
  pageOffset,
  pageRangeText,
  parseStatus,
  placeText,
  REGISTRY_STATUS_BADGE,
  REGISTRY_STATUS_LABEL,
  REGISTRY_STATUSES,
  REVOCATION_GROUND_LABEL,
  REVOCATION_GROUNDS,
  revocationAuthority,
  revocationLate,
} from './registry';

describe('registry statuses', () => {
  it('words the six statuses as the registry does, in Vietnamese first', () => {
    expect(REGISTRY_STATUSES.map((s) => translate('vi', REGISTRY_STATUS_LABEL[s]))).toEqual([
      'Còn hiệu lực',
      'Đến hạn công nhận lại',
      'Quá hạn nộp công nhận lại',
      'Hết hiệu lực',
      'Bị thu hồi',
      'Đã thay thế',
    ]);
    for (const s of REGISTRY_STATUSES) expect(dictionaries.en[REGISTRY_STATUS_LABEL[s]]).toBeTruthy();
  });

  it('never shows an expired certificate like a revoked one', () => {
    expect(REGISTRY_STATUS_BADGE.expired).not.toBe(REGISTRY_STATUS_BADGE.revoked);
    expect(new Set(Object.values(REGISTRY_STATUS_BADGE)).size).toBe(REGISTRY_STATUSES.length);
  });

  it('reads a filter value as a status, "all" and unknown values as none', () => {
    expect(parseStatus('revoked')).toBe('revoked');
    expect(parseStatus('')).toBeUndefined();
    expect(parseStatus('lapsed')).toBeUndefined();
  });
});

describe('pages', () => {
  it('says which rows a page shows out of all', () => {
    expect(pageRangeText(0, 100, 20000)).toBe('1–100 / 20\u00a0000');
    expect(pageRangeText(19900, 100, 20000)).toBe('19\u00a0901–20\u00a0000 / 20\u00a0000');
    expect(pageRangeText(100, 37, 137)).toBe('101–137 / 137');
    expect(pageRangeText(0, 0, 0)).toBe('0 / 0');
  });

  it('counts pages and clamps an offset to them', () => {
    expect(pageOf(0, 0)).toEqual({ page: 0, pages: 1 });
    expect(pageOf(200, 250)).toEqual({ page: 2, pages: 3 });
    expect(pageOffset(5, 250)).toBe(200);
    expect(pageOffset(-1, 250)).toBe(0);
    expect(pageOffset(1, 250)).toBe(100);
  });
});

describe('revocation', () => {
  it('goes to the provincial chair for 3★ and 4★, to the Minister for 5★', () => {
    expect(revocationAuthority(3)).toBe('province_chair');
    expect(revocationAuthority(4)).toBe('province_chair');
    expect(revocationAuthority(5)).toBe('minister');
  });

  it('is late more than 15 days after the conclusion', () => {
    expect(revocationLate('2026-03-01', '2026-03-16')).toBe(false);
    expect(revocationLate('2026-03-01', '2026-03-17')).toBe(true);
    expect(revocationLate('2026-03-01', '')).toBe(false);
    expect(daysBetween('2026-02-20', '2026-03-01')).toBe(9);
    expect(daysBetween('2026-03-01', '2026-02-20')).toBe(-9);
  });

  it('has the six grounds of Điều 8.1, each worded with its letter', () => {
    expect(REVOCATION_GROUNDS).toEqual(['a', 'b', 'c', 'd', 'đ', 'e']);
    for (const g of REVOCATION_GROUNDS) expect(translate('vi', REVOCATION_GROUND_LABEL[g]).startsWith(`${g})`)).toBe(true);
  });
});

describe('deadlines and places', () => {
  it('marks 7 days left or fewer as urgent', () => {
    expect(deadlineUrgent(8)).toBe(false);
    expect(deadlineUrgent(7)).toBe(true);
    expect(deadlineUrgent(-2)).toBe(true);
    expect(deadlineUrgent(null)).toBe(false);
    expect(deadlineUrgent(3 as unknown as bigint)).toBe(true);
  });

  it('joins the commune and district it has', () => {
    expect(placeText('Xã Nga Tân', 'Huyện Nga Sơn')).toBe('Xã Nga Tân, Huyện Nga Sơn');
    expect(placeText('Xã Nga Tân', '')).toBe('Xã Nga Tân');
    expect(placeText('', '')).toBe('');
  });
});
