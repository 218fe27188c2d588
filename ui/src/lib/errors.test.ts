import { afterEach, describe, expect, it } from 'vitest';
import { codeText, errorText, noticeText } from './errors';
import { lang, t } from './i18n';
import { get } from 'svelte/store';

afterEach(() => lang.set('vi'));

describe('coded errors', () => {
  it('words a coded error in the interface language from the catalogue', () => {
    const e = { kind: 'backend', code: 'pin.wrong', params: { left: '3' }, message: 'Mã PIN không đúng (còn 3 lần thử)' };
    expect(errorText(e, get(t))).toBe('Mã PIN không đúng (còn 3 lần thử)');
    lang.set('en');
    expect(errorText(e, get(t))).toBe('Wrong PIN (3 tries left)');
  });

  it("falls back to the backend's wording for an unknown code or a missing parameter", () => {
    expect(codeText('no.such_code', {})).toBeNull();
    expect(codeText('pin.wrong', {})).toBeNull();
    const e = { kind: 'backend', code: 'pin.wrong', params: {}, message: 'Mã PIN không đúng' };
    expect(errorText(e, get(t))).toBe('Mã PIN không đúng');
  });

  it('words a notice in the language it is given', () => {
    const n = {
      code: 'dossier.permit_expired',
      params: { permit: 'ATTP', number: '12/2025', date: '01/10/2026' },
      message: 'ATTP 12/2025 hết hạn ngày 01/10/2026 (trước ngày họp Hội đồng)',
    };
    expect(noticeText(n, 'en')).toBe('ATTP 12/2025 expired on 01/10/2026 (before the council meets)');
    expect(noticeText(n, 'vi')).toBe(n.message);
  });
});
