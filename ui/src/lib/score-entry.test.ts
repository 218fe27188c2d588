import { describe, expect, it } from 'vitest';
import { teaSheet } from '../test/fixtures';
import { choiceBlocks, nextUnanswered, sheetLeaves, totals } from './score-entry';

describe('score entry helpers', () => {
  it('lists the leaves in printed order with their part', () => {
    expect(sheetLeaves(teaSheet).map((l) => `${l.part}:${l.code}`)).toEqual([
      'A:1.1',
      'A:2.4',
      'A:8',
      'C:6.1.1',
      'C:6.1.2',
      'C:7',
    ]);
  });

  it('numbers options across tourism cases', () => {
    const c8 = sheetLeaves(teaSheet).find((l) => l.code === '8')!.criterion;
    expect(choiceBlocks(c8).map((b) => [b.case?.code ?? null, b.options.map((o) => o.index)])).toEqual([
      ['a', [0, 1]],
      ['b', [2, 3]],
    ]);
  });

  it('sums the shown answers per part and lists the unanswered', () => {
    expect(totals(teaSheet, { '1.1': 2, '8': 3, '6.1.1': 1, '2.4': null })).toEqual({
      parts: { A: 6, B: 0, C: 1 },
      total: 7,
      missing: ['2.4', '6.1.2', '7'],
    });
  });

  it('finds the next unanswered criterion, wrapping round', () => {
    const order = ['a', 'b', 'c', 'd'];
    const answered = (done: string[]) => (c: string) => done.includes(c);
    expect(nextUnanswered(order, answered(['a']), 'a')).toBe('b');
    expect(nextUnanswered(order, answered(['a', 'b', 'c']), 'b')).toBe('d');
    expect(nextUnanswered(order, answered(['b', 'c', 'd']), 'd')).toBe('a');
    expect(nextUnanswered(order, answered(order), 'b')).toBeNull();
  });
});
