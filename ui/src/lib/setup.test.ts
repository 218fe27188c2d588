import { describe, expect, it } from 'vitest';
import type { OfficeSettings } from './bindings/OfficeSettings';
import { nextStep, setupSteps, type SetupFacts } from './setup';

const EMPTY_OFFICE: OfficeSettings = {
  province: '',
  place: '',
  people_committee: '',
  authority: '',
  council_parent: '',
  council_name: '',
  standing_body: '',
  decision_symbol: '',
  next_decision_no: 1,
  decision_signer: { sign_for: '', title: '', name: '' },
};

const FULL_OFFICE: OfficeSettings = {
  ...EMPTY_OFFICE,
  province: 'Thanh Hóa',
  place: 'Thanh Hóa',
  people_committee: 'ỦY BAN NHÂN DÂN TỈNH THANH HÓA',
  council_name: 'HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP TỈNH THANH HÓA',
  decision_symbol: 'QĐ-UBND',
  decision_signer: { sign_for: 'KT. CHỦ TỊCH', title: 'PHÓ CHỦ TỊCH', name: 'Lê Đức Giang' },
};

const empty: SetupFacts = { office: EMPTY_OFFICE, keyProtected: false, persons: [], owners: 0, products: 0, rounds: 0 };

describe('setup steps', () => {
  it('lists the steps in order, none done on an empty database', () => {
    const steps = setupSteps(empty);
    expect(steps.map((s) => [s.id, s.done, s.screen])).toEqual([
      ['office', false, 'settings'],
      ['members', false, 'members'],
      ['owners', false, 'owners'],
      ['products', false, 'products'],
      ['round', false, undefined],
    ]);
    expect(steps[0].missing).toEqual([
      'office.province',
      'office.place',
      'office.people_committee',
      'office.council_name',
      'office.decision_symbol',
      'office.signer_name',
    ]);
    expect(steps.map((s) => s.detail)).toEqual([
      'setup.office.todo',
      'setup.members.todo',
      'setup.owners.todo',
      'setup.products.todo',
      'setup.round.todo',
    ]);
    expect(nextStep(steps)).toBe(0);
  });

  it('marks each step from what the database holds', () => {
    const steps = setupSteps({
      office: { ...FULL_OFFICE, decision_symbol: ' ' },
      keyProtected: true,
      persons: [{ has_pin: true }, { has_pin: false }, { has_pin: true }],
      owners: 2,
      products: 0,
      rounds: 0,
    });
    expect(steps.map((s) => s.done)).toEqual([false, true, true, false, false]);
    expect(steps[0].missing).toEqual(['office.decision_symbol']);
    expect(steps[1]).toMatchObject({ detail: 'setup.members.done', params: { n: 3, pins: 2 } });
    expect(steps[2]).toMatchObject({ detail: 'setup.owners.done', params: { n: 2 } });
    expect(nextStep(steps)).toBe(0);
    expect(nextStep(steps.slice(1))).toBe(2);
  });

  it('is complete once every step is done', () => {
    const steps = setupSteps({ office: FULL_OFFICE, keyProtected: true, persons: [{ has_pin: true }], owners: 1, products: 4, rounds: 1 });
    expect(steps.every((s) => s.done)).toBe(true);
    expect(steps[0].detail).toBe('setup.office.done');
    expect(steps[0].missing).toBeUndefined();
    expect(nextStep(steps)).toBe(-1);
  });

  it('asks for the signing key once the office details are complete', () => {
    const steps = setupSteps({ office: FULL_OFFICE, keyProtected: false, persons: [{ has_pin: true }], owners: 1, products: 4, rounds: 1 });
    expect(steps[0]).toMatchObject({ id: 'office', done: false, detail: 'setup.office.key' });
    expect(nextStep(steps)).toBe(0);
  });
});
