import { cleanup, render, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { auditList, dossiers, owners, persons, products, rounds } from '../lib/api';
import type { AuditEntry } from '../lib/bindings/AuditEntry';
import { lang } from '../lib/i18n';
import * as council from '../test/council';
import AuditLog from './AuditLog.svelte';

vi.mock('../lib/api', () => ({
  auditList: vi.fn(),
  auditVerify: vi.fn(),
  dossiers: vi.fn(),
  owners: vi.fn(),
  persons: vi.fn(),
  products: vi.fn(),
  rounds: vi.fn(),
}));

const ROUND = council.round.id;
const SHEET = '01a206b0-aaaa-705b-8209-751f3539e3c1';

function entry(seq: number, action: string, entity: string, entity_id: string, before: unknown, after: unknown): AuditEntry {
  return { seq, at: '2026-11-20T08:00:00.000Z', actor: 'Thư ký', action, entity, entity_id, before, after, round_id: ROUND, hash: '' };
}

const log: AuditEntry[] = [
  entry(4, 'sheet.answer', 'score_sheet', SHEET, { criterion: '1.1', option: 1 }, { criterion: '1.1', option: 2 }),
  entry(3, 'sheet.open', 'score_sheet', SHEET, null, { member: 'Lê Đức Giang', product: 'Chè xanh Bình Sơn', round_id: ROUND }),
  entry(2, 'round.status', 'round', ROUND, { status: 'draft' }, { status: 'scoring' }),
  entry(1, 'sheet.comment', 'score_sheet', SHEET, 'Tốt', 'Rất tốt'),
];

function row(seq: number): HTMLElement {
  const el = document.querySelector<HTMLElement>(`#audit-table tr[data-seq="${seq}"]`);
  if (!el) throw new Error(`entry ${seq} is missing`);
  return el;
}

beforeEach(() => {
  lang.set('vi');
  vi.mocked(auditList).mockResolvedValue(structuredClone(log));
  vi.mocked(dossiers).mockResolvedValue([]);
  vi.mocked(owners).mockResolvedValue([]);
  vi.mocked(persons).mockResolvedValue([]);
  vi.mocked(products).mockResolvedValue([]);
  vi.mocked(rounds).mockResolvedValue([council.round]);
});

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe('AuditLog', () => {
  it("asks the backend for the round's entries and shows each changed field", async () => {
    render(AuditLog, { roundId: ROUND });
    await waitFor(() => expect(document.getElementById('audit-table')).not.toBeNull());
    expect(auditList).toHaveBeenCalledWith({ limit: 500, round_id: ROUND });
    expect(row(4).querySelector('.change')).toHaveTextContent('1.1: phương án 2 → phương án 3');
    expect(row(4).querySelector('.entity')).toHaveTextContent('Phiếu: Lê Đức Giang × Chè xanh Bình Sơn');
    expect(row(2).querySelector('.change')).toHaveTextContent('Trạng thái: Dự thảo → Đang chấm');
    // An entry of the first releases: its text as it was.
    expect(row(1).querySelector('.change')).toHaveTextContent('Tốt → Rất tốt');
  });

  it('narrows the log to a kind of record, and the whole log to one round', async () => {
    render(AuditLog, { verify: true });
    await waitFor(() => expect(document.getElementById('audit-table')).not.toBeNull());
    expect(auditList).toHaveBeenLastCalledWith({ limit: 500 });
    await userEvent.selectOptions(document.getElementById('audit-entity')!, 'score_sheet');
    await waitFor(() => expect(auditList).toHaveBeenLastCalledWith({ limit: 500, entity: 'score_sheet' }));
    await userEvent.selectOptions(document.getElementById('audit-round')!, ROUND);
    await waitFor(() => expect(auditList).toHaveBeenLastCalledWith({ limit: 500, round_id: ROUND, entity: 'score_sheet' }));
  });

  it('pages on from the oldest entry shown', async () => {
    const page = Array.from({ length: 500 }, (_, i) => entry(1000 - i, 'round.status', 'round', ROUND, { status: 'draft' }, { status: 'scoring' }));
    vi.mocked(auditList).mockResolvedValueOnce(page).mockResolvedValueOnce(structuredClone(log));
    render(AuditLog, { roundId: ROUND });
    await waitFor(() => expect(document.querySelector('.more')).not.toBeNull());
    await userEvent.click(document.querySelector<HTMLButtonElement>('.more')!);
    expect(auditList).toHaveBeenLastCalledWith({ limit: 500, round_id: ROUND, before_seq: 501 });
    await waitFor(() => expect(document.querySelectorAll('#audit-table tr.audit-entry')).toHaveLength(504));
    expect(document.querySelector('.more')).toBeNull();
  });
});
