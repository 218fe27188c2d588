import { get } from 'svelte/store';
import { afterEach, describe, expect, it } from 'vitest';
import { dictionaries, isLang, lang, LANG_STORAGE_KEY, t, translate } from './i18n';

describe('translate', () => {
  it('gives the message in the requested language', () => {
    expect(translate('vi', 'nav.criteria')).toBe('Bộ tiêu chí');
    expect(translate('en', 'nav.criteria')).toBe('Criteria');
  });

  it('falls back to Vietnamese when the English message is missing', () => {
    const dicts = { vi: { 'only.vi': 'Chỉ có tiếng Việt' }, en: {} };
    expect(translate('en', 'only.vi', undefined, dicts)).toBe('Chỉ có tiếng Việt');
  });

  it('falls back to the key itself when no dictionary has it', () => {
    expect(translate('en', 'no.such.key')).toBe('no.such.key');
    expect(translate('vi', 'no.such.key')).toBe('no.such.key');
  });

  it('fills parameters and leaves unknown placeholders visible', () => {
    expect(translate('vi', 'sheet.title', { no: 11, name: 'Chè tươi, chè chế biến' })).toBe(
      'Bộ sản phẩm số 11: Chè tươi, chè chế biến',
    );
    const dicts = { vi: { k: '{a} và {b}' }, en: {} };
    expect(translate('vi', 'k', { a: 1 }, dicts)).toBe('1 và {b}');
  });

  it('uses the English singular form for n = 1 only', () => {
    expect(translate('en', 'common.points', { n: 1 })).toBe('1 point');
    expect(translate('en', 'common.points', { n: 3 })).toBe('3 points');
    expect(translate('vi', 'common.points', { n: 1 })).toBe('1 điểm');
    expect(translate('vi', 'common.points', { n: 40 })).toBe('40 điểm');
  });

  it('has every Vietnamese key in English', () => {
    const missing = Object.keys(dictionaries.vi).filter((k) => !(k in dictionaries.en));
    expect(missing).toEqual([]);
  });
});

describe('language store', () => {
  afterEach(() => lang.set('vi'));

  it('starts in Vietnamese and persists the choice', () => {
    expect(get(lang)).toBe('vi');
    lang.set('en');
    expect(localStorage.getItem(LANG_STORAGE_KEY)).toBe('en');
    expect(document.documentElement.lang).toBe('en');
    expect(get(t)('nav.about')).toBe('About');
    lang.set('vi');
    expect(get(t)('nav.about')).toBe('Giới thiệu');
  });

  it('recognises only supported languages', () => {
    expect(isLang('vi')).toBe(true);
    expect(isLang('en')).toBe(true);
    expect(isLang('fr')).toBe(false);
    expect(isLang(null)).toBe(false);
  });
});
