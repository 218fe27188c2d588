import { describe, expect, it } from 'vitest';
import { fold, matchesQuery, matchesQueryExactly } from './text';

describe('fold', () => {
  it('strips Vietnamese tone and vowel marks', () => {
    expect(fold('Chè tươi, chè chế biến')).toBe('che tuoi, che che bien');
    expect(fold('Rượu trắng')).toBe('ruou trang');
    expect(fold('Sinh vật cảnh')).toBe('sinh vat canh');
  });

  it('maps đ and Đ to d and lower-cases', () => {
    expect(fold('Đồ uống')).toBe('do uong');
    expect(fold('đặc sản')).toBe('dac san');
    expect(fold('ĐỒ UỐNG')).toBe('do uong');
  });

  it('treats precomposed (NFC) and decomposed (NFD) input alike', () => {
    const nfc = 'Cà phê'.normalize('NFC');
    const nfd = 'Cà phê'.normalize('NFD');
    expect(nfc).not.toBe(nfd);
    expect(fold(nfc)).toBe(fold(nfd));
    expect(fold(nfc)).toBe('ca phe');
  });

  it('leaves plain ASCII unchanged apart from case', () => {
    expect(fold('OCOP 2026')).toBe('ocop 2026');
  });
});

describe('matchesQuery', () => {
  it('finds "Chè" with "che"', () => {
    expect(matchesQuery('11. Chè tươi, chè chế biến', 'che')).toBe(true);
  });

  it('requires every word, in any order', () => {
    expect(matchesQuery('13. Cà phê, cacao', 'cacao phe')).toBe(true);
    expect(matchesQuery('13. Cà phê, cacao', 'phe gao')).toBe(false);
  });

  it('matches everything on an empty or blank query', () => {
    expect(matchesQuery('anything', '')).toBe(true);
    expect(matchesQuery('anything', '   ')).toBe(true);
  });

  it('folds the query too', () => {
    expect(matchesQuery('Rượu trắng', 'RƯỢU')).toBe(true);
    expect(matchesQuery('Đồ uống có cồn khác', 'đồ uống')).toBe(true);
  });
});

describe('matchesQueryExactly', () => {
  it('respects diacritics but not case or normal form', () => {
    expect(matchesQueryExactly('11. Chè tươi', 'chè')).toBe(true);
    expect(matchesQueryExactly('7. Chế biến', 'chè')).toBe(false);
    expect(matchesQueryExactly('11. Chè tươi', 'CHÈ'.normalize('NFD'))).toBe(true);
  });
});
