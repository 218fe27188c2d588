import { describe, expect, it } from 'vitest';
import * as council from '../test/council';
import type { ScoreEntryPlace } from './score-entry';
import { firstActive, keyAction, memberBlock, memberFor, restoredPlace, type KeyPress } from './score-flow';

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  ...mods,
});

const inSheet = { inSheet: true, position: 2, count: 6 };
const outside = { inSheet: false, position: 2, count: 6 };

describe('score entry keys', () => {
  it('switches product and member and opens the help from anywhere', () => {
    for (const at of [inSheet, outside]) {
      expect(keyAction(press('?'), at)).toEqual({ kind: 'help' });
      expect(keyAction(press('PageDown'), at)).toEqual({ kind: 'product', delta: 1 });
      expect(keyAction(press('ArrowRight', { altKey: true }), at)).toEqual({ kind: 'product', delta: 1 });
      expect(keyAction(press('PageUp'), at)).toEqual({ kind: 'product', delta: -1 });
      expect(keyAction(press('ArrowLeft', { altKey: true }), at)).toEqual({ kind: 'product', delta: -1 });
      expect(keyAction(press('ArrowDown', { altKey: true }), at)).toEqual({ kind: 'member', delta: 1 });
      expect(keyAction(press('ArrowUp', { altKey: true }), at)).toEqual({ kind: 'member', delta: -1 });
    }
  });

  it('answers, clears and moves only in the sheet', () => {
    expect(keyAction(press('1'), inSheet)).toEqual({ kind: 'choose', index: 0 });
    expect(keyAction(press('9'), inSheet)).toEqual({ kind: 'choose', index: 8 });
    expect(keyAction(press('0'), inSheet)).toBeNull();
    expect(keyAction(press('Backspace'), inSheet)).toEqual({ kind: 'clear' });
    expect(keyAction(press('Delete'), inSheet)).toEqual({ kind: 'clear' });
    expect(keyAction(press('ArrowDown'), inSheet)).toEqual({ kind: 'move', delta: 1 });
    expect(keyAction(press('Enter'), inSheet)).toEqual({ kind: 'move', delta: 1 });
    expect(keyAction(press('ArrowUp'), inSheet)).toEqual({ kind: 'move', delta: -1 });
    expect(keyAction(press('Home'), inSheet)).toEqual({ kind: 'first' });
    expect(keyAction(press('End'), inSheet)).toEqual({ kind: 'last' });
    for (const key of ['1', 'Backspace', 'ArrowDown', 'Enter', 'Home', 'Tab']) {
      expect(keyAction(press(key), outside)).toBeNull();
    }
  });

  it('leaves shortcuts with Ctrl, Cmd or Alt to the browser', () => {
    expect(keyAction(press('1', { ctrlKey: true }), inSheet)).toBeNull();
    expect(keyAction(press('1', { metaKey: true }), inSheet)).toBeNull();
    expect(keyAction(press('1', { altKey: true }), inSheet)).toBeNull();
    expect(keyAction(press('Backspace', { ctrlKey: true }), inSheet)).toBeNull();
  });

  it('moves with Tab between criteria and lets Tab leave past the first or last', () => {
    expect(keyAction(press('Tab'), inSheet)).toEqual({ kind: 'move', delta: 1 });
    expect(keyAction(press('Tab', { shiftKey: true }), inSheet)).toEqual({ kind: 'move', delta: -1 });
    expect(keyAction(press('Tab'), { ...inSheet, position: 5 })).toBeNull();
    expect(keyAction(press('Tab', { shiftKey: true }), { ...inSheet, position: 0 })).toBeNull();
  });
});

describe('score entry members and places', () => {
  const [chair, ha, tuan, sec] = council.roster;

  it('says why a member cannot score a product', () => {
    const recusals = [{ person_id: 'p-ha', product_id: 'pr-tea', reason: 'Người thân' }];
    expect(memberBlock(chair, 'pr-tea', recusals)).toBeNull();
    expect(memberBlock(ha, 'pr-tea', recusals)).toEqual({ kind: 'recused', reason: 'Người thân' });
    expect(memberBlock(ha, 'pr-bud', recusals)).toBeNull();
    expect(memberBlock({ ...tuan, present: false }, 'pr-bud', [])).toEqual({ kind: 'absent' });
  });

  it('keeps a member who can score, else takes the first who can', () => {
    const scorers = [chair, ha, tuan, sec];
    const all = () => true;
    expect(memberFor('p-ha', scorers, all)).toBe('p-ha');
    expect(memberFor('', scorers, all)).toBe('p-chair');
    expect(memberFor('p-gone', scorers, all)).toBe('p-chair');
    const notHa = (m: { person: { id: string } }) => m.person.id !== 'p-ha';
    expect(memberFor('p-ha', scorers, notHa)).toBe('p-chair');
    // Nobody can: the current member stays, so the screen says why.
    expect(memberFor('p-ha', scorers, () => false)).toBe('p-ha');
    expect(memberFor('', scorers, () => false)).toBe('');
    expect(memberFor('', [], all)).toBe('');
  });

  it('comes back to the remembered place, made valid for the round', () => {
    const blank: ScoreEntryPlace = { productId: '', personId: '', mode: 'member', keyedBy: '', pass: 1 };
    const ids = ['pr-tea', 'pr-bud'];
    expect(restoredPlace(undefined, blank, ids, council.roster)).toEqual({ ...blank, productId: 'pr-tea', keyedBy: 'p-sec' });
    const saved: ScoreEntryPlace = { productId: 'pr-bud', personId: 'p-ha', mode: 'keyed', keyedBy: 'p-chair', pass: 2 };
    expect(restoredPlace(saved, blank, ids, council.roster)).toEqual(saved);
    expect(restoredPlace({ ...saved, productId: 'pr-gone', keyedBy: 'p-gone' }, blank, ids, council.roster)).toEqual({
      ...saved,
      productId: 'pr-tea',
      keyedBy: 'p-sec',
    });
    // Without a secretary the first member keys; without products nothing is chosen.
    expect(restoredPlace(undefined, blank, [], [chair, ha]).keyedBy).toBe('p-chair');
    expect(restoredPlace(undefined, blank, [], []).productId).toBe('');
  });

  it('starts at the first unanswered criterion', () => {
    const order = ['1.1', '2.4', '8'];
    expect(firstActive(order, (c) => c === '1.1')).toBe('2.4');
    expect(firstActive(order, () => false)).toBe('1.1');
    expect(firstActive(order, () => true)).toBe('1.1');
    expect(firstActive([], () => false)).toBe('');
  });
});
