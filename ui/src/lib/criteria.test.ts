import { describe, expect, it } from 'vitest';
import { index, teaSheet } from '../test/fixtures';
import {
  bestMatch,
  decisionYear,
  filterSets,
  footerNote,
  groupByCategory,
  isDirectGroup,
  leafCount,
  newestDecision,
  noteItems,
  optionsByCase,
  romanValue,
  sheetTotal,
  starMarker,
} from './criteria';

const sets = index.decisions[1].sets;

describe('decisions', () => {
  it('picks the decision signed last', () => {
    expect(newestDecision(index.decisions)?.id).toBe('QD26-2026');
    expect(newestDecision([...index.decisions].reverse())?.id).toBe('QD26-2026');
    expect(newestDecision([])).toBeUndefined();
    expect(decisionYear(index.decisions[0])).toBe('2023');
  });

  it('reads the footnote when the backend sends one', () => {
    expect(footerNote(index.decisions[1])).toBeNull();
    expect(footerNote({ ...index.decisions[1], footer_note: 'Dấu sao …' } as never)).toBe('Dấu sao …');
  });
});

describe('set list', () => {
  it('orders roman category codes numerically', () => {
    expect(['VI', 'IV', 'II', 'I', 'V', 'III'].sort((a, b) => romanValue(a) - romanValue(b))).toEqual([
      'I', 'II', 'III', 'IV', 'V', 'VI',
    ]);
  });

  it('groups by category, sets by number', () => {
    const groups = groupByCategory(sets);
    expect(groups.map((g) => g.category.code)).toEqual(['I', 'II', 'VI']);
    expect(groups[0].sets.map((s) => s.no)).toEqual([7, 11]);
  });

  it('filters by name or number without diacritics', () => {
    expect(filterSets(sets, 'che').map((s) => s.code)).toEqual(['07', '11']);
    expect(filterSets(sets, '14').map((s) => s.code)).toEqual(['14']);
    expect(filterSets(sets, '')).toHaveLength(4);
  });

  it('prefers a match with the same diacritics for Enter', () => {
    const shown = groupByCategory(filterSets(sets, 'chè')).flatMap((g) => g.sets);
    expect(shown.map((s) => s.code)).toEqual(['07', '11']);
    expect(bestMatch(shown, 'chè')?.code).toBe('11');
    expect(bestMatch(shown, 'che')?.code).toBe('07');
    expect(bestMatch([], 'che')).toBeUndefined();
  });
});

describe('sheet helpers', () => {
  const [partA, , partC] = teaSheet.parts;
  const c11 = partA.groups[0].criteria[0];
  const c8 = partA.groups[0].criteria[2];

  it('flags eliminating notes without repeating them', () => {
    expect(noteItems(c11)).toEqual([
      { text: 'Ghi chú: Bị loại nếu sử dụng toàn bộ nguyên liệu nhập khẩu', eliminating: true },
    ]);
    expect(noteItems({ notes: ['a'], eliminating: ['b'] })).toEqual([
      { text: 'a', eliminating: false },
      { text: 'b', eliminating: true },
    ]);
  });

  it('splits options by case', () => {
    const blocks = optionsByCase(c8);
    expect(blocks.map((b) => [b.case?.code, b.options.map((o) => o.points)])).toEqual([
      ['a', [1, 3]],
      ['b', [1, 3]],
    ]);
    expect(optionsByCase(c11)).toEqual([{ case: null, options: c11.options }]);
  });

  it('recognises directly scored groups', () => {
    expect(isDirectGroup(partC.groups[1])).toBe(true);
    expect(isDirectGroup(partC.groups[0])).toBe(false);
  });

  it('totals the parts and counts leaves', () => {
    expect(sheetTotal(teaSheet)).toBe(100);
    expect(leafCount(teaSheet)).toBe(6);
  });

  it('draws star markers', () => {
    expect(starMarker(3)).toBe('★★★');
    expect(starMarker(5)).toBe('★★★★★');
  });
});
