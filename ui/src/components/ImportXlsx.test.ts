import { cleanup, render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { importXlsx } from '../lib/api';
import { lang } from '../lib/i18n';
import ImportReportView from './ImportReportView.svelte';
import ImportXlsx from './ImportXlsx.svelte';

vi.mock('../lib/api', () => ({ importXlsx: vi.fn() }));

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function file(name = 'ho-so-dot-2.xlsx'): File {
  return new File([new Uint8Array([0x50, 0x4b, 3, 4])], name, { type: XLSX });
}

beforeEach(() => {
  lang.set('vi');
});

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe('Excel import', () => {
  it('sends the file bytes with the round, and shows the row errors when nothing was written', async () => {
    vi.mocked(importXlsx).mockResolvedValue({
      ok: false,
      rows: 3,
      owners: 0,
      products: 0,
      dossiers: 0,
      errors: [
        { row: 3, message: "bộ sản phẩm '27' không có trong QD26-2026", code: 'import.row.unknown_set', params: {} },
        { row: 4, message: 'mã số sản phẩm sai dạng', code: 'product.bad_code', params: {} },
      ],
    });
    const onimported = vi.fn();
    render(ImportXlsx, { roundId: 'r1', onimported });
    await userEvent.upload(document.querySelector<HTMLInputElement>('#import-xlsx')!, file());

    const report = await screen.findByRole('alert');
    expect(importXlsx).toHaveBeenCalledWith(new Uint8Array([0x50, 0x4b, 3, 4]), 'r1');
    expect(report).toHaveAttribute('data-ok', 'false');
    expect(report).toHaveTextContent('Không nhập ho-so-dot-2.xlsx: có dòng lỗi');
    expect(report).toHaveTextContent('Chưa ghi dòng nào. Sửa 2 lỗi dưới đây trong tệp rồi nhập lại.');
    const rows = [...report.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
    expect(rows).toEqual([
      ['3', "bộ sản phẩm '27' không có trong QD26-2026"],
      ['4', 'mã số sản phẩm sai dạng'],
    ]);
    expect(onimported).not.toHaveBeenCalled();
  });

  it('reports what was imported', async () => {
    vi.mocked(importXlsx).mockResolvedValue({ ok: true, rows: 12, owners: 5, products: 12, dossiers: 12, errors: [] });
    const onimported = vi.fn();
    render(ImportXlsx, { onimported });
    await userEvent.upload(document.querySelector<HTMLInputElement>('#import-xlsx')!, file('danh-muc.xlsx'));
    const report = await screen.findByRole('status');
    expect(importXlsx).toHaveBeenCalledWith(expect.any(Uint8Array), undefined);
    expect(report).toHaveTextContent('Đã nhập danh-muc.xlsx');
    expect(report).toHaveTextContent('12 dòng: 5 chủ thể, 12 sản phẩm, 12 hồ sơ.');
    expect(onimported).toHaveBeenCalledOnce();
  });

  it('shows a file the backend refuses outright', async () => {
    vi.mocked(importXlsx).mockRejectedValue(
      Object.assign(new Error("thiếu cột 'Tên chủ thể' ở dòng tiêu đề (dòng 1)"), { kind: 'backend' }),
    );
    render(ImportXlsx, {});
    await userEvent.upload(document.querySelector<HTMLInputElement>('#import-xlsx')!, file('sai.xlsx'));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent("Không nhập được sai.xlsx: thiếu cột 'Tên chủ thể' ở dòng tiêu đề (dòng 1)");
  });

  it('renders a report in English too', () => {
    lang.set('en');
    render(ImportReportView, {
      report: { ok: false, rows: 1, owners: 0, products: 0, dossiers: 0, errors: [{ row: 2, message: 'x', code: 'import.row.owner_missing', params: {} }] },
      fileName: 'a.xlsx',
    });
    expect(document.getElementById('import-report')).toHaveTextContent(
      'Nothing was written. Fix the error below in the file and import again.',
    );
  });
});
