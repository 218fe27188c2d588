import { describe, expect, it } from 'vitest';
import type { AuditEntry } from './bindings/AuditEntry';
import { describeValue, nameIndex, roundEntityIds, sheetLabels, withNames } from './audit';
import { translate, type MessageKey, type Params } from './i18n';

const t = (key: MessageKey, params?: Params): string => translate('vi', key, params);
const A = '01a206b0-4623-705b-8209-751f3539e3c1';
const B = '01a206b0-4498-71b2-a703-1aa959ee2df2';
const S1 = '01a206b0-aaaa-705b-8209-751f3539e3c1';
const S2 = '01a206b0-bbbb-705b-8209-751f3539e3c1';

function entry(seq: number, action: string, entity_id: string, before: string | null, after: string | null): AuditEntry {
  return { seq, at: '', actor: '', action, entity: '', entity_id, before, after, hash: '' };
}

describe('audit log in words', () => {
  it('puts names in place of ids', () => {
    const names = nameIndex([[A, 'Chè xanh Bình Sơn']], []);
    expect(withNames(`${A}: có`, names)).toBe('Chè xanh Bình Sơn: có');
    expect(withNames(`${B}`, names)).toBe(B);
  });

  it('describes values: options from 1, statuses, roles, attendance, reopen reasons, file names', () => {
    const names = nameIndex([[B, 'Hoàng Thị Lan']], []);
    expect(describeValue('sheet.answer', '6.1.1=2', names, t)).toBe('6.1.1: phương án 3');
    expect(describeValue('round.status', 'scoring', names, t)).toBe('Đang chấm');
    expect(describeValue('round.member', 'Hoàng Thị Lan: vice_chair', names, t)).toBe('Hoàng Thị Lan: Phó Chủ tịch');
    expect(describeValue('round.attendance', `${B}: false`, names, t)).toBe('Hoàng Thị Lan: Vắng mặt');
    expect(describeValue('sheet.reopen', 'signed', names, t)).toBe('Đã ký');
    expect(describeValue('sheet.reopen', `${S2}: Chấm lại`, names, t)).toBe('Chấm lại');
    expect(describeValue('dossier.attach', `bien-ban.pdf ${'a'.repeat(64)}`, names, t)).toBe('bien-ban.pdf');
    expect(describeValue('person.set_pin', null, names, t)).toBe('—');
  });

  it("follows a round's sheets back through their reopened versions", () => {
    const log = [
      entry(3, 'sheet.reopen', S1, 'signed', `${S2}: Chấm lại`),
      entry(2, 'sheet.open', S1, null, 'Lê Đức Giang × Chè xanh Bình Sơn'),
      entry(1, 'round.create', A, null, 'Đợt 2'),
    ];
    expect([...roundEntityIds(log, A, [S2])].sort()).toEqual([A, S1, S2].sort());
    expect(sheetLabels(log).get(S2)).toBe('Lê Đức Giang × Chè xanh Bình Sơn');
  });
});
