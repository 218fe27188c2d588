import { cleanup, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cancelJob, importApply, importPlan, onImportProgress } from '../lib/api';
import type { ImportPlan } from '../lib/bindings/ImportPlan';
import type { ImportRow } from '../lib/bindings/ImportRow';
import { lang } from '../lib/i18n';
import ImportPlanView from './ImportPlanView.svelte';
import type { ImportProgress } from '../lib/bindings/ImportProgress';
import ImportXlsx from './ImportXlsx.svelte';

vi.mock('../lib/api', () => ({
  importPlan: vi.fn(),
  importApply: vi.fn(),
  cancelJob: vi.fn(),
  onImportProgress: vi.fn(async () => () => {}),
}));

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const BYTES = new Uint8Array([0x50, 0x4b, 3, 4]);

function file(name = 'ho-so-dot-2.xlsx'): File {
  return new File([BYTES], name, { type: XLSX });
}

const ref = (action: 'new' | 'update' | 'unchanged', id: string | null = null, same_as_row: number | null = null) => ({
  action,
  id,
  same_as_row,
});

function row(r: Partial<ImportRow> & Pick<ImportRow, 'row' | 'action'>): ImportRow {
  return {
    owner_name: 'Hợp tác xã Chè Bình Sơn',
    product_name: 'Chè xanh',
    owner: null,
    product: null,
    dossier: null,
    entry: null,
    changes: [],
    errors: [],
    ...r,
  };
}

function plan(rows: ImportRow[], extra: Partial<ImportPlan> = {}): ImportPlan {
  const count = (a: string) => rows.filter((r) => r.action === a).length;
  return {
    format: 1,
    round_id: 'r1',
    fingerprint: 'f1',
    applied: false,
    registry: false,
    unmapped_headers: [],
    counts: {
      rows: rows.length,
      new: count('new'),
      update: count('update'),
      unchanged: count('unchanged'),
      error: count('error'),
      owners_new: 0,
      owners_updated: 1,
      products_new: 1,
      products_updated: 1,
      dossiers_new: 1,
      dossiers_updated: 0,
      entries_new: 0,
      entries_updated: 0,
    },
    rows,
    ...extra,
  };
}

const GOOD = plan([
  row({
    row: 2,
    action: 'update',
    owner: ref('update', 'o1'),
    product: ref('update', 'p1'),
    dossier: ref('unchanged', 'd1'),
    changes: [
      { entity: 'owner', field: 'phone', old: '0237 3812345', new: '0912 000111' },
      { entity: 'owner', field: 'kind', old: 'khac', new: 'htx' },
      { entity: 'product', field: 'set_code', old: '11', new: '12' },
    ],
  }),
  row({
    row: 3,
    action: 'new',
    product_name: 'Chè',
    owner: ref('unchanged', 'o1', 2),
    product: ref('new'),
    dossier: ref('new'),
  }),
  row({
    row: 4,
    action: 'unchanged',
    product_name: 'Trà hoa vàng',
    owner: ref('unchanged', 'o1', 2),
    product: ref('unchanged', 'p2'),
    dossier: ref('unchanged', 'd2'),
  }),
]);

const BAD = plan([
  row({ row: 2, action: 'new', owner: ref('new'), product: ref('new'), dossier: ref('new') }),
  row({
    row: 3,
    action: 'error',
    errors: [
      {
        code: 'import.row.owner_ambiguous',
        message: '2 chủ thể khớp với dòng này: A (Xã Bình Sơn, 2801001); A (Xã Bình Sơn, 2801002).',
        params: {},
      },
    ],
  }),
]);

function cells(tr: Element): string[] {
  return [...tr.querySelectorAll('td')].map((td) => td.textContent?.replace(/\s+/g, ' ').trim() ?? '');
}

async function choose(name?: string): Promise<void> {
  await userEvent.upload(document.querySelector<HTMLInputElement>('#import-xlsx')!, file(name));
}

beforeEach(() => {
  lang.set('vi');
});

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe('Excel import', () => {
  it('shows how many rows are read, and Stop asks the backend to stop', async () => {
    let report: (p: ImportProgress) => void = () => {};
    vi.mocked(onImportProgress).mockImplementation(async (h) => {
      report = h;
      return () => {};
    });
    let fail: (e: unknown) => void = () => {};
    vi.mocked(importPlan).mockImplementation(() => new Promise((_, j) => (fail = j)));
    vi.mocked(cancelJob).mockResolvedValue();
    render(ImportXlsx, {});
    await choose();
    await waitFor(() => expect(onImportProgress).toHaveBeenCalled());
    report({ done: 120, total: 480 });
    expect(await screen.findByText('Đã đọc 120/480 dòng')).toBeInTheDocument();
    expect((document.getElementById('import-progress') as HTMLProgressElement).value).toBe(120);
    await userEvent.click(screen.getByRole('button', { name: 'Dừng' }));
    expect(cancelJob).toHaveBeenCalledOnce();
    fail({ kind: 'backend', code: 'import.cancelled', params: {}, message: 'x' });
    expect(await screen.findByRole('alert')).toHaveTextContent('Đã dừng nhập theo yêu cầu; không ghi gì');
    expect(document.getElementById('import-progress')).toBeNull();
  });

  it('shows the plan with every change old → new and writes only when confirmed', async () => {
    vi.mocked(importPlan).mockResolvedValue(GOOD);
    vi.mocked(importApply).mockResolvedValue({ ...GOOD, applied: true });
    const onimported = vi.fn();
    render(ImportXlsx, { roundId: 'r1', onimported });
    await choose();

    const section = await screen.findByRole('region', { name: 'Xem trước khi nhập ho-so-dot-2.xlsx' });
    expect(importPlan).toHaveBeenCalledWith(BYTES, 'r1');
    expect(importApply).not.toHaveBeenCalled();
    expect(section).toHaveTextContent('3 dòng: 1 mới, 1 cập nhật, 1 không đổi, 0 lỗi.');
    expect(section).toHaveTextContent('Chưa ghi gì.');
    const rows = [...section.querySelectorAll('tbody tr')].map(cells);
    expect(rows[0][0]).toBe('2');
    expect(rows[0][1]).toBe('Cập nhật');
    expect(rows[0][3]).toContain('Chủ thể · Điện thoại: 0237 3812345 → 0912 000111');
    expect(rows[0][3]).toContain('Chủ thể · Loại hình: Khác → Hợp tác xã');
    expect(rows[0][3]).toContain('Sản phẩm · Bộ sản phẩm: 11 → 12');
    expect(rows[1].slice(1, 3)).toEqual(['Mới', 'Hợp tác xã Chè Bình Sơn Chè']);
    expect(rows[1][3]).toContain('Thêm mới: sản phẩm, hồ sơ');
    expect(rows[1][3]).toContain('Cùng chủ thể với dòng 2');
    expect(rows[2][1]).toBe('Không đổi');

    await userEvent.click(screen.getByRole('button', { name: 'Xác nhận nhập' }));
    expect(importApply).toHaveBeenCalledWith(BYTES, 'r1', 'f1');
    const done = await screen.findByRole('status');
    expect(done).toHaveTextContent('Đã nhập ho-so-dot-2.xlsx');
    expect(done).toHaveTextContent('Thêm mới — chủ thể: 0, sản phẩm: 1, hồ sơ: 1. Sửa — chủ thể: 1, sản phẩm: 1, hồ sơ: 0.');
    expect(onimported).toHaveBeenCalledOnce();
    expect(screen.queryByRole('button', { name: 'Xác nhận nhập' })).toBeNull();
  });

  it('blocks the confirmation while a row is in error, and names the error', async () => {
    vi.mocked(importPlan).mockResolvedValue(BAD);
    const onimported = vi.fn();
    render(ImportXlsx, { onimported });
    await choose('danh-muc.xlsx');

    const section = await screen.findByRole('region');
    expect(importPlan).toHaveBeenCalledWith(BYTES, undefined);
    expect(within(section).getByRole('alert')).toHaveTextContent(
      'Không nhập được vì có 1 dòng lỗi. Chưa ghi gì. Sửa các dòng này trong tệp rồi chọn lại tệp.',
    );
    const bad = section.querySelector('tr[data-row="3"]')!;
    expect(cells(bad)[1]).toBe('Lỗi');
    expect(bad.querySelector('[data-code="import.row.owner_ambiguous"]')).toHaveTextContent('2801001');
    const confirm = screen.getByRole('button', { name: 'Xác nhận nhập' });
    expect(confirm).toBeDisabled();
    await userEvent.click(confirm);
    expect(importApply).not.toHaveBeenCalled();
    expect(onimported).not.toHaveBeenCalled();
  });

  it('cancel drops the plan and writes nothing', async () => {
    vi.mocked(importPlan).mockResolvedValue(GOOD);
    render(ImportXlsx, { roundId: 'r1' });
    await choose();
    await screen.findByRole('region');
    await userEvent.click(screen.getByRole('button', { name: 'Huỷ' }));
    expect(screen.queryByRole('region')).toBeNull();
    expect(importApply).not.toHaveBeenCalled();
  });

  it('shows the new plan instead of applying when the records changed since the preview', async () => {
    const changed = plan(GOOD.rows.slice(0, 1), { fingerprint: 'f2' });
    vi.mocked(importPlan).mockResolvedValueOnce(GOOD).mockResolvedValueOnce(changed);
    vi.mocked(importApply)
      .mockRejectedValueOnce(Object.assign(new Error('Dữ liệu đã thay đổi'), { kind: 'backend', code: 'import.plan_changed' }))
      .mockResolvedValueOnce({ ...changed, applied: true });
    const onimported = vi.fn();
    render(ImportXlsx, { roundId: 'r1', onimported });
    await choose();
    await screen.findByRole('region');
    await userEvent.click(screen.getByRole('button', { name: 'Xác nhận nhập' }));

    expect(await screen.findByText(/Dữ liệu vừa thay đổi từ lúc xem trước/)).toBeInTheDocument();
    expect(importPlan).toHaveBeenCalledTimes(2);
    expect(onimported).not.toHaveBeenCalled();
    expect(screen.getByRole('region').querySelectorAll('tbody tr')).toHaveLength(1);
    await userEvent.click(screen.getByRole('button', { name: 'Xác nhận nhập' }));
    expect(importApply).toHaveBeenLastCalledWith(BYTES, 'r1', 'f2');
    expect(onimported).toHaveBeenCalledOnce();
  });

  it('shows a file the backend refuses outright', async () => {
    vi.mocked(importPlan).mockRejectedValue(
      Object.assign(new Error("Thiếu cột 'Tên chủ thể' ở dòng tiêu đề (dòng 1)"), {
        kind: 'backend',
        code: 'import.missing_column',
      }),
    );
    render(ImportXlsx, {});
    await choose('sai.xlsx');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent("Không nhập được sai.xlsx: Thiếu cột 'Tên chủ thể' ở dòng tiêu đề (dòng 1)");
    expect(screen.queryByRole('region')).toBeNull();
  });

  it('renders a plan in English too', () => {
    lang.set('en');
    render(ImportPlanView, { plan: BAD, fileName: 'a.xlsx' });
    const section = screen.getByRole('region', { name: 'Preview of importing a.xlsx' });
    expect(section).toHaveTextContent('Rows: 2 (new 1, update 0, unchanged 0, error 1).');
    expect(section).toHaveTextContent(
      'A row has an error, so nothing can be imported and nothing was written. Fix it in the file and choose it again.',
    );
    expect(section).toHaveTextContent('Creates: owner, product, dossier');
    expect(screen.getByRole('button', { name: 'Confirm import' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeEnabled();
  });
});
