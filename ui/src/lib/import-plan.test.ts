import { describe, expect, it } from 'vitest';
import type { ImportChange } from './bindings/ImportChange';
import type { ImportRow } from './bindings/ImportRow';
import { translate } from './i18n';
import { canConfirm, createdBy, fieldLabel, valueText } from './import-plan';
import type { Translate } from './i18n';

const vi: Translate = (k, p) => translate('vi', k, p);
const en: Translate = (k, p) => translate('en', k, p);

const change = (entity: ImportChange['entity'], field: string): ImportChange => ({ entity, field, old: '', new: '' });

describe('import plan words', () => {
  it('names the record and the field of a change', () => {
    expect(fieldLabel(change('owner', 'registration_no'), vi)).toBe('Chủ thể · Số đăng ký kinh doanh/mã số thuế');
    expect(fieldLabel(change('dossier', 'received_on'), en)).toBe('Dossier · Received on');
    expect(fieldLabel(change('product', 'something_new'), en)).toBe('Product · something_new');
  });

  it('shows codes as words and dates as dd/mm/yyyy', () => {
    expect(valueText(change('owner', 'kind'), 'trang_trai', vi)).toBe('Trang trại');
    expect(valueText(change('owner', 'rep_sex'), 'nu', en)).toBe('Female');
    expect(valueText(change('dossier', 'application_type'), 'upgrade', vi)).toBe('Nâng hạng');
    expect(valueText(change('dossier', 'received_on'), '2026-10-01', vi)).toBe('01/10/2026');
    expect(valueText(change('owner', 'phone'), '', vi)).toBe('—');
    expect(valueText(change('owner', 'phone'), '0912 000111', vi)).toBe('0912 000111');
  });

  it('says which records a row creates, not those of an earlier row', () => {
    const base: ImportRow = {
      row: 3,
      action: 'new',
      owner_name: 'A',
      product_name: 'B',
      owner: { action: 'new', id: null, same_as_row: 2 },
      product: { action: 'new', id: null, same_as_row: null },
      dossier: null,
      entry: null,
      changes: [],
      errors: [],
    };
    expect(createdBy(base)).toEqual(['product']);
    expect(createdBy({ ...base, owner: { action: 'new', id: null, same_as_row: null } })).toEqual(['owner', 'product']);
  });

  it('confirms only a plan without errors that is not applied yet', () => {
    const counts = {
      rows: 1,
      new: 1,
      update: 0,
      unchanged: 0,
      error: 0,
      owners_new: 1,
      owners_updated: 0,
      products_new: 1,
      products_updated: 0,
      dossiers_new: 0,
      dossiers_updated: 0,
      entries_new: 0,
      entries_updated: 0,
    };
    const plan = { format: 1, round_id: null, fingerprint: 'f', applied: false, registry: false, unmapped_headers: [], counts, rows: [] };
    expect(canConfirm(plan)).toBe(true);
    expect(canConfirm({ ...plan, counts: { ...counts, error: 1 } })).toBe(false);
    expect(canConfirm({ ...plan, applied: true })).toBe(false);
  });
});
