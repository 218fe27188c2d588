import { cleanup, render, screen } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dashboard } from '../lib/api';
import type { Dashboard as DashboardData } from '../lib/bindings/Dashboard';
import type { PlanRow } from '../lib/bindings/PlanRow';
import { lang } from '../lib/i18n';
import Dashboard from './Dashboard.svelte';

vi.mock('../lib/api', () => ({ dashboard: vi.fn(), saveReportPaper: vi.fn(), chooseSavePath: vi.fn(), openSavedFile: vi.fn() }));
// No canvas in jsdom: the charts are not drawn, their tables are what the test reads.
vi.mock('../lib/charts', () => ({ drawBars: vi.fn(() => () => {}) }));

function row(code: string, name: string, target: [number, number, number], achieved: [number, number, number]): PlanRow {
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  return { locality_code: code, locality: name, target, achieved, target_total: sum(target), achieved_total: sum(achieved) };
}

const data: DashboardData = {
  format: 1,
  year: 2025,
  today: '2025-12-31',
  from: '2025-01-01',
  to: '2025-12-31',
  plan: [row('L01', 'Huyện Nga Sơn', [4, 2, 0], [3, 1, 0]), row('L02', 'Huyện Hoằng Hóa', [5, 0, 1], [5, 1, 0]), row('', '', [0, 0, 0], [1, 0, 0])],
  plan_total: row('', 'Tổng cộng', [9, 2, 1], [9, 2, 0]),
  in_force_by_year: [],
  period_by_owner_kind: [],
  period_by_set: [],
  by_year: [
    { year: 2024, star3: 10, star4: 3, star5: 0, total: 13 },
    { year: 2025, star3: 9, star4: 2, star5: 0, total: 11 },
  ],
  by_category: [{ key: '1', label: 'Thực phẩm', count: 20 }],
  by_set: [{ key: '05', label: '5. Bánh, kẹo, mứt', count: 7 }],
  by_owner_kind: [
    { key: 'htx', label: 'Hợp tác xã', count: 12 },
    { key: 'hkd', label: 'Hộ kinh doanh/hộ sản xuất', count: 8 },
  ],
  by_sex: [{ key: 'nu', label: 'Nữ', count: 11 }],
  by_ethnicity: [{ key: 'muong', label: 'Mường', count: 3 }],
  expiring_by_month: [
    { key: '2026-01', label: '01/2026', count: 2 },
    { key: '2026-02', label: '02/2026', count: 0 },
  ],
  by_status: [
    { key: 'valid', label: 'valid', count: 18 },
    { key: 'revoked', label: 'revoked', count: 1 },
  ],
  period_new: 11,
  period_upgraded: 1,
  period_rerecognised: 2,
  period_revoked: 1,
  period_expired: 0,
  in_force: 20,
};

function cell(locality: string, star: string): HTMLElement {
  const table = screen.getByTestId('plan-table');
  return table.querySelector(`tr[data-locality="${locality}"] [data-star="${star}"]`) as HTMLElement;
}

describe('Dashboard', () => {
  beforeEach(() => lang.set('vi'));
  afterEach(() => {
    cleanup();
    vi.mocked(dashboard).mockReset();
  });

  it('shows achieved/target and the percentage per locality and star, with the total row', async () => {
    vi.mocked(dashboard).mockResolvedValue(data);
    render(Dashboard, {});
    await screen.findByTestId('plan-table');
    expect(dashboard).toHaveBeenCalledWith(new Date().getFullYear(), null, null);
    expect(cell('L01', '3')).toHaveTextContent('3/4');
    expect(cell('L01', '3')).toHaveTextContent('75 %');
    expect(cell('L01', '5')).toHaveTextContent('0/—');
    expect(cell('L02', '4')).toHaveTextContent('1/—');
    expect(cell('L02', 'total')).toHaveTextContent('6/6');
    expect(cell('L02', 'total')).toHaveTextContent('100 %');
    expect(cell('', '3').closest('tr')).toHaveTextContent('Chưa rõ địa bàn');
    expect(cell('total', 'total')).toHaveTextContent('11/12');
    expect(cell('total', 'total')).toHaveTextContent('92 %');
    expect(cell('total', '5')).toHaveTextContent('0/1');
    const rows = screen.getByTestId('plan-table').querySelectorAll('tr[data-locality]');
    expect(rows).toHaveLength(4);
  });

  it('gives every chart its data table, one row per bar', async () => {
    vi.mocked(dashboard).mockResolvedValue(data);
    render(Dashboard, {});
    await screen.findByTestId('chart-table-by-year');
    const keys = (name: string) =>
      [...screen.getByTestId(`chart-table-${name}`).querySelectorAll('tbody tr')].map((tr) => tr.getAttribute('data-key'));
    expect(keys('by-year')).toEqual(['2024', '2025']);
    expect(keys('owner-kind')).toEqual(['htx', 'hkd']);
    expect(keys('expiring')).toEqual(['2026-01', '2026-02']);
    expect(keys('plan')).toEqual(['L01', 'L02', '']);
    for (const name of ['category', 'set', 'sex', 'ethnicity', 'status']) expect(keys(name).length).toBe(1 + (name === 'status' ? 1 : 0));
    const year2024 = screen.getByTestId('chart-table-by-year').querySelector('tr[data-key="2024"]')!;
    expect([...year2024.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['10', '3', '0', '13']);
    // The status chart words the codes.
    expect(screen.getByTestId('chart-table-status').querySelector('tr[data-key="revoked"]')).toHaveTextContent('Bị thu hồi');
    expect(document.querySelector('[data-figure="in_force"]')).toHaveTextContent('20');
  });

  it('shows the error when the dashboard cannot be read', async () => {
    vi.mocked(dashboard).mockRejectedValue({ kind: 'backend', code: '', message: 'Không đọc được cơ sở dữ liệu', params: {} });
    render(Dashboard, {});
    expect(await screen.findByRole('alert')).toHaveTextContent('Không đọc được cơ sở dữ liệu');
  });
});
