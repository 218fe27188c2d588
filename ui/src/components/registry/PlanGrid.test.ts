import { cleanup, render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setPlanTargets } from '../../lib/api';
import type { Locality } from '../../lib/bindings/Locality';
import type { PlanTarget } from '../../lib/bindings/PlanTarget';
import { lang } from '../../lib/i18n';
import PlanGrid from './PlanGrid.svelte';

vi.mock('../../lib/api', () => ({ setPlanTargets: vi.fn() }));

const localities: Locality[] = [
  { code: 'L01', name: 'Huyện Nga Sơn', level: 'district', parent_code: null },
  { code: 'L02', name: 'Huyện Hoằng Hóa', level: 'district', parent_code: null },
];
const targets: PlanTarget[] = [
  { year: 2025, locality_code: 'L01', star: 3, target: 6 },
  { year: 2025, locality_code: 'L01', star: 4, target: 2 },
  { year: 2025, locality_code: 'L02', star: 3, target: 8 },
];

function cell(locality: string, star: number): HTMLInputElement {
  return screen.getByRole('textbox', { name: `${locality}, ${star} sao` }) as HTMLInputElement;
}

describe('PlanGrid', () => {
  beforeEach(() => lang.set('vi'));
  afterEach(() => {
    cleanup();
    vi.mocked(setPlanTargets).mockReset();
  });

  it('shows each target, the row totals and the column totals', () => {
    render(PlanGrid, { year: 2025, localities, targets });
    expect(cell('Huyện Nga Sơn', 3).value).toBe('6');
    expect(cell('Huyện Hoằng Hóa', 5).value).toBe('0');
    const row = document.querySelector('tr[data-locality="L01"]')!;
    expect(row.querySelector('[data-star="total"]')).toHaveTextContent('8');
    const foot = document.querySelector('tfoot tr')!;
    expect([...foot.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['14', '2', '0', '16']);
  });

  it('refuses a target that is not a whole number from 0, in words, and saves nothing', async () => {
    render(PlanGrid, { year: 2025, localities, targets });
    const input = cell('Huyện Nga Sơn', 4);
    await userEvent.clear(input);
    await userEvent.type(input, '-3');
    await userEvent.tab();
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Huyện Nga Sơn, 4 sao: chỉ tiêu phải là số nguyên không âm (0, 1, 2…).',
    );
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input.value).toBe('-3');
    expect(setPlanTargets).not.toHaveBeenCalled();

    await userEvent.clear(input);
    await userEvent.type(input, '2,5');
    await userEvent.tab();
    expect(setPlanTargets).not.toHaveBeenCalled();
  });

  it('saves a changed cell when it is left, and only that cell', async () => {
    const saved: PlanTarget[] = [...targets.slice(0, 2), { year: 2025, locality_code: 'L02', star: 3, target: 12 }];
    vi.mocked(setPlanTargets).mockResolvedValue(saved);
    const onsaved = vi.fn();
    render(PlanGrid, { year: 2025, localities, targets, onsaved });
    const input = cell('Huyện Hoằng Hóa', 3);
    await userEvent.clear(input);
    await userEvent.type(input, '12');
    await userEvent.tab();
    await waitFor(() => expect(onsaved).toHaveBeenCalledWith(saved));
    expect(setPlanTargets).toHaveBeenCalledExactlyOnceWith([{ year: 2025, locality_code: 'L02', star: 3, target: 12 }]);
    expect(screen.getByRole('status')).toHaveTextContent('Đã lưu chỉ tiêu Huyện Hoằng Hóa, 3 sao.');

    // Leaving a cell that did not change saves nothing.
    cell('Huyện Nga Sơn', 3).focus();
    await userEvent.tab();
    expect(setPlanTargets).toHaveBeenCalledOnce();
  });
});
