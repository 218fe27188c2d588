import { cleanup, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  dossiers,
  mismatches,
  openSheet,
  recusals,
  reopenSheet,
  roster,
  saveAnswer,
  sheetByHash,
  sheetHistory,
  signSheet,
} from '../../lib/api';
import type { ScoreSheet } from '../../lib/bindings/ScoreSheet';
import { lang } from '../../lib/i18n';
import { scoreEntryPlaces } from '../../lib/score-entry';
import { clearUnsaved, unsavedAnswers } from '../../lib/unsaved.svelte';
import * as council from '../../test/council';
import { teaSheet } from '../../test/fixtures';
import ScoreEntry from './ScoreEntry.svelte';

vi.mock('../../lib/api', () => ({
  roster: vi.fn(),
  recusals: vi.fn(),
  dossiers: vi.fn(),
  openSheet: vi.fn(),
  sheetByHash: vi.fn(),
  sheetHistory: vi.fn(),
  mismatches: vi.fn(),
  saveAnswer: vi.fn(),
  signSheet: vi.fn(),
  reopenSheet: vi.fn(),
  setElimination: vi.fn(),
  setComment: vi.fn(),
  setPin: vi.fn(),
}));

const save = vi.mocked(saveAnswer);

/** A backend that keeps the answers of sheet s1 and answers like `save_answer`. */
function fakeSaving(): Record<string, number> {
  const answers: Record<string, number> = {};
  save.mockImplementation(async (_id, code, option) => {
    if (option === null) delete answers[code];
    else answers[code] = option;
    return council.makeSheet({ answers: { ...answers } });
  });
  return answers;
}

function backendError(message: string): Error & { kind: string } {
  return Object.assign(new Error(message), { kind: 'backend' });
}

function entry(): HTMLElement {
  const el = document.getElementById('score-entry');
  if (!el) throw new Error('#score-entry is missing');
  return el;
}

function row(code: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(`.criterion-row[data-criterion="${code}"]`);
  if (!el) throw new Error(`row ${code} is missing`);
  return el;
}

function activeCode(): string | undefined {
  return document.querySelector<HTMLElement>('.criterion-row.active')?.dataset.criterion;
}

function text(id: string): string {
  return document.getElementById(id)?.textContent?.trim() ?? '';
}

async function renderSheet(sheet: ScoreSheet = council.makeSheet()): Promise<void> {
  vi.mocked(openSheet).mockResolvedValue(sheet);
  render(ScoreEntry, { round: council.round });
  await waitFor(() => expect(row('1.1')).toBeInTheDocument());
}

beforeEach(() => {
  lang.set('vi');
  scoreEntryPlaces.set({});
  clearUnsaved();
  vi.mocked(roster).mockResolvedValue(structuredClone(council.roster));
  vi.mocked(recusals).mockResolvedValue([]);
  vi.mocked(dossiers).mockResolvedValue(structuredClone(council.dossiers));
  vi.mocked(sheetByHash).mockResolvedValue(structuredClone(teaSheet));
  vi.mocked(sheetHistory).mockResolvedValue([]);
  vi.mocked(mismatches).mockResolvedValue([]);
});

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe('score entry: the keyboard flow', () => {
  it('opens the first product for the first member and shows the sheet ready to type', async () => {
    await renderSheet();
    expect(openSheet).toHaveBeenCalledWith('r1', 'pr-tea', 'p-chair', null, 1);
    expect(sheetByHash).toHaveBeenCalledWith('hash-tea');
    expect(entry()).toHaveAttribute('data-sheet-id', 's1');
    expect(entry()).toHaveAttribute('data-status', 'open');
    expect(entry()).toHaveAttribute('data-complete', 'false');
    // Leaves in printed order; the tea sensory block nested under 6.1, tourism cases as sub-headings.
    const codes = [...document.querySelectorAll<HTMLElement>('.criterion-row')].map((r) => r.dataset.criterion);
    expect(codes).toEqual(['1.1', '2.4', '8', '6.1.1', '6.1.2', '7']);
    expect(document.querySelector('.criterion-parent[data-criterion="6.1"] .criterion-row[data-criterion="6.1.1"]')).not.toBeNull();
    expect([...row('8').querySelectorAll('.case')].map((c) => c.textContent?.trim())).toEqual([
      'a. Trường hợp 1: Dịch vụ du lịch do cộng đồng cung cấp',
      'b. Trường hợp 2: Điểm dịch vụ du lịch',
    ]);
    // Options numbered across the cases, with their key, wording, points and star marker.
    const choices = [...row('8').querySelectorAll<HTMLElement>('.choice')];
    expect(choices.map((c) => [c.dataset.index, c.querySelector('.key')?.textContent])).toEqual([
      ['0', '1'],
      ['1', '2'],
      ['2', '3'],
      ['3', '4'],
    ]);
    expect(choices[1].querySelector('.marker [role="img"]')).toHaveAttribute('aria-label', 'Yêu cầu tối thiểu 5 sao');
    // Everything unanswered and highlighted; the first criterion active and focused.
    for (const r of document.querySelectorAll('.criterion-row')) {
      expect(r).toHaveAttribute('data-answered', 'false');
      expect(r).toHaveClass('unanswered');
    }
    expect(text('missing-count')).toBe('Còn 6 tiêu chí chưa chấm');
    expect(text('sheet-total')).toBe('0');
    expect(activeCode()).toBe('1.1');
    expect(document.activeElement).toBe(row('1.1'));
  });

  it('saves each digit at once, moves to the next unanswered criterion and updates the totals', async () => {
    fakeSaving();
    await renderSheet();

    await userEvent.keyboard('3');
    expect(save).toHaveBeenLastCalledWith('s1', '1.1', 2);
    expect(row('1.1')).toHaveAttribute('data-answered', 'true');
    expect(row('1.1').querySelector('.choice.chosen')).toHaveAttribute('data-index', '2');
    expect(activeCode()).toBe('2.4');
    expect(document.activeElement).toBe(row('2.4'));
    await waitFor(() => expect(row('1.1')).toHaveAttribute('data-state', 'saved'));
    expect(within(row('1.1')).getByText('Đã lưu')).toBeInTheDocument();
    expect(text('part-total-A')).toBe('3');
    expect(text('sheet-total')).toBe('3');

    await userEvent.keyboard('2'); // 2.4 → "Có", 1 point
    await userEvent.keyboard('4'); // 8 → case b, "Được công nhận điểm du lịch", 3 points
    await userEvent.keyboard('3'); // 6.1.1 → 2 points
    expect(save.mock.calls.map((c) => [c[1], c[2]])).toEqual([
      ['1.1', 2],
      ['2.4', 1],
      ['8', 3],
      ['6.1.1', 2],
    ]);
    await waitFor(() => expect(text('sheet-total')).toBe('9'));
    expect(text('part-total-A')).toBe('7');
    expect(text('part-total-B')).toBe('0');
    expect(text('part-total-C')).toBe('2');
    expect(activeCode()).toBe('6.1.2');
    expect(document.getElementById('missing-count')).toHaveAttribute('data-count', '2');

    // An option the criterion does not have: nothing saved, a short notice.
    await userEvent.keyboard('9');
    expect(save).toHaveBeenCalledTimes(4);
    expect(screen.getByRole('status', { name: '' })).toBeInTheDocument();
    expect(document.querySelector('.notice')).toHaveTextContent('Tiêu chí 6.1.2 chỉ có 2 phương án.');

    // Back up and clear an answer.
    await userEvent.keyboard('{ArrowUp}');
    expect(activeCode()).toBe('6.1.1');
    await userEvent.keyboard('{Backspace}');
    expect(save).toHaveBeenLastCalledWith('s1', '6.1.1', null);
    await waitFor(() => expect(text('part-total-C')).toBe('0'));
    expect(row('6.1.1')).toHaveClass('unanswered');
    expect(row('1.1')).not.toHaveClass('unanswered');
    expect(entry()).toHaveAttribute('data-complete', 'false');
  });

  it('moves with the arrows, Tab, Enter, Home and End', async () => {
    await renderSheet();
    await userEvent.keyboard('{ArrowDown}');
    expect(activeCode()).toBe('2.4');
    await userEvent.keyboard('{Enter}');
    expect(activeCode()).toBe('8');
    await userEvent.tab();
    expect(activeCode()).toBe('6.1.1');
    await userEvent.tab({ shift: true });
    expect(activeCode()).toBe('8');
    await userEvent.keyboard('{End}');
    expect(activeCode()).toBe('7');
    await userEvent.keyboard('{Home}');
    expect(activeCode()).toBe('1.1');
    expect(save).not.toHaveBeenCalled();
  });

  it('keeps an answer whose save failed and sends it again on the next action', async () => {
    const answers = fakeSaving();
    const ok = save.getMockImplementation()!;
    save.mockRejectedValueOnce(backendError('Không ghi được cơ sở dữ liệu: đĩa đầy'));
    await renderSheet();

    await userEvent.keyboard('1');
    await waitFor(() => expect(row('1.1')).toHaveAttribute('data-state', 'error'));
    // Never lost: still shown as chosen and counted.
    expect(row('1.1')).toHaveAttribute('data-answered', 'true');
    expect(row('1.1').querySelector('.choice.chosen')).toHaveAttribute('data-index', '0');
    expect(text('sheet-total')).toBe('1');
    expect(within(row('1.1')).getByText('Chưa lưu được — sẽ thử lại')).toBeInTheDocument();
    const alert = document.querySelector('.save-error')!;
    expect(alert).toHaveTextContent('1 câu trả lời chưa lưu được');
    expect(alert).toHaveTextContent('đĩa đầy');
    expect(answers).toEqual({});

    save.mockImplementation(ok);
    await userEvent.keyboard('{ArrowDown}');
    await waitFor(() => expect(row('1.1')).toHaveAttribute('data-state', 'saved'));
    expect(save.mock.calls.map((c) => [c[1], c[2]])).toEqual([
      ['1.1', 0],
      ['1.1', 0],
    ]);
    expect(answers).toEqual({ '1.1': 0 });
    expect(document.querySelector('.save-error')).toBeNull();
  });

  it('keeps unsaved answers when the member leaves, and sends them on return', async () => {
    const answers = fakeSaving();
    const ok = save.getMockImplementation()!;
    save.mockRejectedValue(backendError('Cơ sở dữ liệu đang bận'));
    await renderSheet();
    await userEvent.keyboard('2');
    await waitFor(() => expect(row('1.1')).toHaveAttribute('data-state', 'error'));
    cleanup();
    expect(unsavedAnswers).toEqual({ s1: { '1.1': 1 } });

    save.mockImplementation(ok);
    await renderSheet();
    expect(row('1.1')).toHaveAttribute('data-answered', 'true');
    await waitFor(() => expect(answers).toEqual({ '1.1': 1 }));
    expect(unsavedAnswers).toEqual({});
    await waitFor(() => expect(row('1.1')).toHaveAttribute('data-answered', 'true'));
  });

  it('signs a complete sheet with the member PIN', async () => {
    const full = { '1.1': 2, '2.4': 1, '8': 1, '6.1.1': 2, '6.1.2': 1, '7': 1 };
    await renderSheet(council.makeSheet({ answers: full }));
    expect(entry()).toHaveAttribute('data-complete', 'true');
    expect(text('sheet-total')).toBe('16');
    vi.mocked(signSheet).mockResolvedValue(
      council.makeSheet({ answers: full, status: 'signed', signed_at: '2026-11-26T03:15:00.000Z' }),
    );

    const sign = document.querySelector<HTMLButtonElement>('#sign-sheet')!;
    expect(sign).toBeEnabled();
    await userEvent.click(sign);
    const dialog = document.getElementById('pin-dialog')!;
    expect(dialog).toHaveTextContent('Mã PIN của Lê Đức Giang');
    await userEvent.type(within(dialog).getByLabelText('Mã PIN của Lê Đức Giang'), '1234{Enter}');
    expect(signSheet).toHaveBeenCalledWith('s1', '1234');
    await waitFor(() => expect(entry()).toHaveAttribute('data-status', 'signed'));
    expect(document.getElementById('pin-dialog')).toBeNull();
    expect(document.getElementById('sheet-signed')).toHaveTextContent('Đã ký');
  });

  it('shows a wrong PIN and lets the member try again', async () => {
    const full = { '1.1': 2, '2.4': 1, '8': 1, '6.1.1': 2, '6.1.2': 1, '7': 1 };
    await renderSheet(council.makeSheet({ answers: full }));
    vi.mocked(signSheet).mockRejectedValueOnce(backendError('Mã PIN không đúng (còn 4 lần thử)'));
    await userEvent.click(document.querySelector<HTMLButtonElement>('#sign-sheet')!);
    const dialog = document.getElementById('pin-dialog')!;
    const pin = dialog.querySelector<HTMLInputElement>('input[name="pin"]')!;
    await userEvent.type(pin, '9999');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Ký phiếu' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Mã PIN không đúng (còn 4 lần thử)');
    expect(pin.value).toBe('');
    expect(entry()).toHaveAttribute('data-status', 'open');
  });

  it('cannot sign an incomplete sheet', async () => {
    await renderSheet(council.makeSheet({ answers: { '1.1': 0 } }));
    expect(document.querySelector('#sign-sheet')).toBeDisabled();
    expect(screen.getByText('Ký được khi đã chấm đủ mọi tiêu chí.')).toBeInTheDocument();
  });
});

describe('score entry: a signed sheet', () => {
  const full = { '1.1': 2, '2.4': 1, '8': 1, '6.1.1': 2, '6.1.2': 1, '7': 1 };
  const signed = (): ScoreSheet =>
    council.makeSheet({ answers: full, status: 'signed', signed_at: '2026-11-26T03:15:00.000Z' });

  it('is read-only: choices disabled, digits do nothing, "Đã ký" shown', async () => {
    await renderSheet(signed());
    expect(entry()).toHaveAttribute('data-status', 'signed');
    expect(entry()).toHaveAttribute('data-complete', 'true');
    expect(document.getElementById('sheet-signed')).toHaveTextContent('Đã ký');
    for (const c of document.querySelectorAll('.choice')) expect(c).toBeDisabled();
    row('1.1').focus();
    await userEvent.keyboard('1');
    await userEvent.keyboard('{Backspace}');
    expect(save).not.toHaveBeenCalled();
    expect(row('1.1').querySelector('.choice.chosen')).toHaveAttribute('data-index', '2');
    expect(document.querySelector('.notice')).toHaveTextContent('chỉ đọc');
    expect(document.querySelector('#sign-sheet')).toBeNull();
    expect(document.querySelector('#eliminate')).toBeDisabled();
    expect(document.querySelector('textarea[name="comment"]')).toHaveAttribute('readonly');
  });

  it('reopens with the chair PIN and a reason, and shows the version history', async () => {
    await renderSheet(signed());
    const reopened = council.makeSheet({ id: 's2', answers: full, version: 2, reopen_reason: 'Chấm lại sau thảo luận' });
    vi.mocked(reopenSheet).mockResolvedValue(reopened);
    vi.mocked(sheetHistory).mockResolvedValue([
      { ...signed(), status: 'superseded' },
      reopened,
    ]);

    await userEvent.click(document.querySelector<HTMLButtonElement>('#reopen-sheet')!);
    const dialog = document.getElementById('reopen-dialog')!;
    expect(dialog).toHaveTextContent('Mã PIN của Chủ tịch Hội đồng (Lê Đức Giang)');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Mở lại phiếu' }));
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Cần ghi lý do mở lại phiếu.');
    await userEvent.type(dialog.querySelector('[name="reason"]')!, 'Chấm lại sau thảo luận');
    await userEvent.type(dialog.querySelector('input[name="pin"]')!, '1234');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Mở lại phiếu' }));
    expect(reopenSheet).toHaveBeenCalledWith('s1', '1234', 'Chấm lại sau thảo luận');
    await waitFor(() => expect(entry()).toHaveAttribute('data-status', 'open'));
    expect(entry()).toHaveAttribute('data-sheet-id', 's2');
    const history = await waitFor(() => {
      const h = document.getElementById('sheet-history');
      if (!h) throw new Error('no history yet');
      return h;
    });
    expect(history).toHaveTextContent('Phiên bản 2');
    expect(history).toHaveTextContent('Mở lại: Chấm lại sau thảo luận');
  });
});

describe('score entry: choosing product, member and entry mode', () => {
  it('lists the scoring members only, with recused and absent ones disabled and why', async () => {
    const r = structuredClone(council.roster);
    r[2].present = false;
    vi.mocked(roster).mockResolvedValue(r);
    vi.mocked(recusals).mockResolvedValue([
      { person_id: 'p-ha', product_id: 'pr-tea', reason: 'Có người thân là thành viên hợp tác xã' },
    ]);
    await renderSheet();
    const options = [...document.querySelectorAll<HTMLOptionElement>('#score-member option')];
    expect(options.map((o) => [o.value, o.disabled])).toEqual([
      ['p-chair', false],
      ['p-ha', true],
      ['p-tuan', true],
      ['p-sec', false],
    ]);
    expect(options[1].textContent).toContain('tránh xung đột lợi ích: Có người thân là thành viên hợp tác xã');
    expect(options[2].textContent).toContain('vắng mặt');
  });

  it('switches product with PageDown and member with Alt+↓', async () => {
    await renderSheet();
    await userEvent.keyboard('{PageDown}');
    await waitFor(() => expect(openSheet).toHaveBeenLastCalledWith('r1', 'pr-bud', 'p-chair', null, 1));
    expect(document.querySelector<HTMLSelectElement>('#score-product')!.value).toBe('pr-bud');
    await waitFor(() => expect(document.activeElement).toBe(row('1.1')));
    await userEvent.keyboard('{Alt>}{ArrowDown}{/Alt}');
    await waitFor(() => expect(openSheet).toHaveBeenLastCalledWith('r1', 'pr-bud', 'p-ha', null, 1));
    await userEvent.keyboard('{PageUp}');
    await waitFor(() => expect(openSheet).toHaveBeenLastCalledWith('r1', 'pr-tea', 'p-ha', null, 1));
  });

  it('keys a paper sheet twice and highlights where the two keyings differ', async () => {
    await renderSheet();
    vi.mocked(openSheet).mockResolvedValue(
      council.makeSheet({ id: 's-p2', entry: 'keyed', keyed_by: 'p-sec', pass: 2, answers: { '1.1': 2 } }),
    );
    vi.mocked(mismatches).mockResolvedValue([{ criterion: '1.1', first: 0, second: 2 }]);
    await userEvent.selectOptions(document.querySelector('#score-mode')!, 'keyed');
    expect(document.querySelector<HTMLSelectElement>('#keyed-by')!.value).toBe('p-sec');
    await userEvent.selectOptions(document.querySelector('#pass')!, '2');
    await waitFor(() => expect(openSheet).toHaveBeenLastCalledWith('r1', 'pr-tea', 'p-chair', 'p-sec', 2));
    await waitFor(() => expect(row('1.1')).toHaveClass('mismatch'));
    expect(row('2.4')).not.toHaveClass('mismatch');
    expect(row('1.1')).toHaveTextContent('Lần 1: phương án 1 (1 điểm) · Lần 2: phương án 3 (3 điểm)');
    expect(document.querySelector('#sign-sheet')).toBeDisabled();
    expect(screen.getByText('Lần nhập thứ hai chỉ để đối chiếu; ký ở lần nhập thứ nhất.')).toBeInTheDocument();
  });

  it('explains why nothing can be scored before the round starts', async () => {
    render(ScoreEntry, { round: { ...council.round, status: 'draft' } });
    expect(await screen.findByText(/Đợt đánh giá chưa bắt đầu chấm điểm/)).toBeInTheDocument();
    expect(openSheet).not.toHaveBeenCalled();
  });

  it('shows the backend refusal when the sheet cannot be opened', async () => {
    vi.mocked(openSheet).mockRejectedValue(backendError('Phạm Minh Tuấn được ghi vắng mặt'));
    render(ScoreEntry, { round: council.round });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Không mở được phiếu đánh giá.');
    expect(alert).toHaveTextContent('Phạm Minh Tuấn được ghi vắng mặt');
  });
});
