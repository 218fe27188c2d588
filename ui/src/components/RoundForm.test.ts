import { cleanup, render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRound } from '../lib/api';
import { lang } from '../lib/i18n';
import * as council from '../test/council';
import { index } from '../test/fixtures';
import RoundForm from './RoundForm.svelte';

vi.mock('../lib/api', () => ({ createRound: vi.fn() }));

function form(): HTMLFormElement {
  return document.querySelector<HTMLFormElement>('#round-form')!;
}

function field<T extends HTMLElement>(name: string): T {
  return form().querySelector<T>(`[name="${name}"]`)!;
}

function procedureOptions(): string[] {
  return [...field<HTMLSelectElement>('procedure').options].map((o) => o.value);
}

beforeEach(() => {
  lang.set('vi');
});

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe('new round form', () => {
  it('offers only the procedures of the chosen decision at the chosen level', async () => {
    render(RoundForm, { decisions: structuredClone(index.decisions), oncreated: vi.fn(), oncancel: vi.fn() });
    expect(field<HTMLSelectElement>('decision').value).toBe('QD26-2026');
    expect(field<HTMLSelectElement>('level').value).toBe('province');
    expect(procedureOptions()).toEqual(['26-province']);
    expect(field<HTMLSelectElement>('procedure').value).toBe('26-province');

    await userEvent.selectOptions(field('level'), 'centre');
    expect(procedureOptions()).toEqual(['centre']);
    expect(field<HTMLSelectElement>('procedure').value).toBe('centre');

    // Decision 26/2026 has no district level: nothing to choose, and the form says why.
    await userEvent.selectOptions(field('level'), 'district');
    expect(procedureOptions()).toEqual(['']);
    expect(field('procedure')).toBeDisabled();
    expect(screen.getByText('Quyết định đã chọn không có quy trình đánh giá Cấp huyện.')).toBeInTheDocument();
    expect(form().querySelector('button[type="submit"]')).toBeDisabled();

    await userEvent.selectOptions(field('decision'), 'QD148-2023');
    expect(procedureOptions()).toEqual(['148-district']);
    await userEvent.selectOptions(field('level'), 'province');
    expect(procedureOptions()).toEqual(['148-province']);
    expect(field('procedure')).toHaveDisplayValue(/QĐ 148 — cấp tỉnh/);
  });

  it('creates the round with its rules and reports a refusal', async () => {
    const oncreated = vi.fn();
    render(RoundForm, { decisions: structuredClone(index.decisions), oncreated, oncancel: vi.fn() });

    await userEvent.click(form().querySelector('button[type="submit"]')!);
    expect(screen.getByRole('alert')).toHaveTextContent('Chưa nhập tên đợt đánh giá.');
    expect(createRound).not.toHaveBeenCalled();

    await userEvent.type(field('name'), 'Đợt 2 năm 2026');
    await userEvent.clear(field('date'));
    await userEvent.type(field('date'), '2026-11-26');
    expect(screen.getByText('ngày 26 tháng 11 năm 2026')).toBeInTheDocument();
    await userEvent.type(field('place'), 'Hội trường UBND tỉnh');
    await userEvent.clear(field('max_spread'));
    await userEvent.type(field('max_spread'), '8');
    await userEvent.click(field('chair_required'));

    vi.mocked(createRound).mockRejectedValueOnce(Object.assign(new Error('ngày không hợp lệ'), { kind: 'backend' }));
    await userEvent.click(form().querySelector('button[type="submit"]')!);
    expect(await screen.findByRole('alert')).toHaveTextContent('ngày không hợp lệ');

    vi.mocked(createRound).mockResolvedValueOnce(council.round);
    await userEvent.click(form().querySelector('button[type="submit"]')!);
    expect(createRound).toHaveBeenLastCalledWith({
      name: 'Đợt 2 năm 2026',
      level: 'province',
      decision_id: 'QD26-2026',
      procedure: '26-province',
      date: '2026-11-26',
      place: 'Hội trường UBND tỉnh',
      rules: { max_spread: 8, quorum_numerator: 3, quorum_denominator: 4, chair_required: false },
    });
    await vi.waitFor(() => expect(oncreated).toHaveBeenCalledWith(council.round));
  });
});
