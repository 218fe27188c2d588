import { describe, expect, it } from 'vitest';
import type { AuditEntry } from './bindings/AuditEntry';
import { describeChange, nameIndex, sheetLabels, withNames, type Change } from './audit';
import { translate, type MessageKey, type Params } from './i18n';

const t = (key: MessageKey, params?: Params): string => translate('vi', key, params);
const en = (key: MessageKey, params?: Params): string => translate('en', key, params);
const A = '01a206b0-4623-705b-8209-751f3539e3c1';
const B = '01a206b0-4498-71b2-a703-1aa959ee2df2';
const S1 = '01a206b0-aaaa-705b-8209-751f3539e3c1';
const S2 = '01a206b0-bbbb-705b-8209-751f3539e3c1';

function entry(seq: number, action: string, entity: string, entity_id: string, before: unknown, after: unknown): AuditEntry {
  return { seq, at: '', actor: '', action, entity, entity_id, before, after, round_id: null, hash: '' };
}

function change(action: string, entity: string, before: unknown, after: unknown, names = nameIndex([], [])): Change[] {
  return describeChange({ action, entity, before, after }, names, t);
}

describe('audit log in words', () => {
  it('puts names in place of ids', () => {
    const names = nameIndex([[A, 'Chè xanh Bình Sơn']], []);
    expect(withNames(`${A}: có`, names)).toBe('Chè xanh Bình Sơn: có');
    expect(withNames(`${B}`, names)).toBe(B);
  });

  it('shows each changed field of a structured value as field: before → after', () => {
    const names = nameIndex([[B, 'Hoàng Thị Lan']], []);
    expect(change('sheet.answer', 'score_sheet', { criterion: '6.1.1', option: 1 }, { criterion: '6.1.1', option: 2 })).toEqual([
      { field: '6.1.1', before: 'phương án 2', after: 'phương án 3' },
    ]);
    expect(change('sheet.answer', 'score_sheet', null, { criterion: '1.1', option: 0 })).toEqual([
      { field: '1.1', before: null, after: 'phương án 1' },
    ]);
    expect(change('round.status', 'round', { status: 'draft' }, { status: 'scoring' })).toEqual([
      { field: 'Trạng thái', before: 'Dự thảo', after: 'Đang chấm' },
    ]);
    expect(change('sheet.sign', 'score_sheet', { status: 'open' }, { status: 'signed', total: 92 })).toEqual([
      { field: 'Trạng thái', before: 'Đang chấm', after: 'Đã ký' },
      { field: 'Tổng điểm', before: '—', after: '92' },
    ]);
    // Unchanged fields are left out; ids become names; roles and attendance are words.
    expect(
      change(
        'person.update',
        'person',
        { full_name: 'Hoàng Thị Lan', title: 'Phó Giám đốc', unit: 'Sở' },
        { full_name: 'Hoàng Thị Lan', title: 'Giám đốc', unit: 'Sở' },
      ),
    ).toEqual([{ field: 'Chức vụ', before: 'Phó Giám đốc', after: 'Giám đốc' }]);
    expect(change('round.member', 'round', null, { person_id: B, person: 'Hoàng Thị Lan', role: 'vice_chair' }, names)).toEqual([
      { field: 'Thành viên', before: null, after: 'Hoàng Thị Lan' },
      { field: 'Thành viên', before: null, after: 'Hoàng Thị Lan' },
      { field: 'Vai trò', before: null, after: 'Phó Chủ tịch' },
    ]);
    expect(change('round.attendance', 'round', null, { person_id: B, present: false }, names)[1]).toEqual({
      field: 'Điểm danh',
      before: null,
      after: 'Vắng mặt',
    });
    expect(change('round.finalise', 'round', null, { results_sha256: 'a'.repeat(64) })[0].after).toBe('aaaaaaaaaaaa…');
    expect(change('person.set_pin', 'person', null, null)).toEqual([]);
    // A field the screen has no word for keeps its name; English words in English.
    expect(change('x.y', 'owner', null, { new_field: 'v' })[0].field).toBe('new field');
    expect(describeChange({ action: 'round.status', entity: 'round', before: { status: 'draft' }, after: { status: 'scoring' } }, nameIndex([], []), en)).toEqual([
      { field: 'Status', before: 'Draft', after: 'Scoring' },
    ]);
  });

  it("reads the first releases' plain text as before: options from 1, statuses, roles, attendance, reasons, file names", () => {
    const names = nameIndex([[B, 'Hoàng Thị Lan']], []);
    const one = (action: string, value: string): string | null => change(action, 'x', null, value, names)[0].after;
    expect(one('sheet.answer', '6.1.1=2')).toBe('6.1.1: phương án 3');
    expect(one('round.status', 'scoring')).toBe('Đang chấm');
    expect(one('round.member', 'Hoàng Thị Lan: vice_chair')).toBe('Hoàng Thị Lan: Phó Chủ tịch');
    expect(one('round.attendance', `${B}: false`)).toBe('Hoàng Thị Lan: Vắng mặt');
    expect(one('sheet.reopen', 'signed')).toBe('Đã ký');
    expect(one('sheet.reopen', `${S2}: Chấm lại`)).toBe('Chấm lại');
    expect(one('dossier.attach', `bien-ban.pdf ${'a'.repeat(64)}`)).toBe('bien-ban.pdf');
    expect(change('sheet.comment', 'score_sheet', 'Tốt', 'Rất tốt')).toEqual([{ field: null, before: 'Tốt', after: 'Rất tốt' }]);
  });

  it('labels sheets from the log, old and new, through their reopened versions', () => {
    const log = [
      entry(5, 'sheet.reopen', 'score_sheet', S2, { status: 'signed' }, { status: 'superseded', new_sheet_id: A, reason: 'Chấm lại' }),
      entry(4, 'sheet.open', 'score_sheet', S2, null, { member: 'Hoàng Thị Lan', product: 'Trà hoa vàng', round_id: B }),
      entry(3, 'sheet.reopen', 'score_sheet', S1, 'signed', `${B}: Chấm lại`),
      entry(2, 'sheet.open', 'score_sheet', S1, null, 'Lê Đức Giang × Chè xanh Bình Sơn'),
    ];
    const labels = sheetLabels(log);
    expect(labels.get(S1)).toBe('Lê Đức Giang × Chè xanh Bình Sơn');
    expect(labels.get(B)).toBe('Lê Đức Giang × Chè xanh Bình Sơn');
    expect(labels.get(S2)).toBe('Hoàng Thị Lan × Trà hoa vàng');
    expect(labels.get(A)).toBe('Hoàng Thị Lan × Trà hoa vàng');
  });
});
