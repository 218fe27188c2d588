import { cleanup, render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, saveCommuneReport } from '../../lib/api';
import type { CommuneReport as Report } from '../../lib/bindings/CommuneReport';
import { lang } from '../../lib/i18n';
import * as council from '../../test/council';
import CommuneReport from './CommuneReport.svelte';

vi.mock('../../lib/api', async (orig) => ({
  ApiError: ((await orig()) as { ApiError: unknown }).ApiError,
  saveCommuneReport: vi.fn(),
}));

afterEach(() => {
  cleanup();
  vi.resetAllMocks();
  lang.set('vi');
});

const report: Report = {
  raw_materials: 'Chè búp tươi của xã',
  local_labour: '12 lao động địa phương',
  idea_origin: 'Nghề chè truyền thống',
  local_identity: 'Chè vùng cao',
  assessed_on: '2026-10-20',
  assessed_by: 'UBND xã Bình Sơn',
  proposed: true,
};

describe('CommuneReport (Mẫu 03)', () => {
  it('saves the four contents, the commune and the proposal, and shows what the backend kept', async () => {
    const d = council.dossier(council.products[0]);
    vi.mocked(saveCommuneReport).mockImplementation(async (_id, r) => ({ ...d, commune_report: r }));
    const onsaved = vi.fn();
    render(CommuneReport, { dossier: d, readonly: false, onsaved });
    const save = screen.getByRole('button', { name: 'Lưu Mẫu số 03' });
    expect(save).toBeDisabled();
    await userEvent.type(screen.getByLabelText('Nguyên liệu địa phương'), report.raw_materials);
    await userEvent.type(screen.getByLabelText('Sử dụng lao động địa phương'), report.local_labour);
    await userEvent.type(screen.getByLabelText('Nguồn gốc ý tưởng sản phẩm'), report.idea_origin);
    await userEvent.type(screen.getByLabelText('Tính đặc trưng, bản sắc địa phương'), report.local_identity);
    await userEvent.type(screen.getByLabelText('UBND cấp xã'), report.assessed_by);
    await userEvent.type(screen.getByLabelText('Ngày báo cáo'), report.assessed_on);
    await userEvent.click(screen.getByLabelText('UBND cấp xã đề nghị đánh giá, phân hạng sản phẩm'));
    await userEvent.click(save);
    await waitFor(() => expect(saveCommuneReport).toHaveBeenCalledWith(d.id, report));
    expect(onsaved).toHaveBeenCalledWith({ ...d, commune_report: report });
    expect(await screen.findByRole('status')).toHaveTextContent('Đã lưu');
  });

  it('shows a refusal in the user language and keeps what was typed', async () => {
    const d = council.dossier(council.products[0]);
    vi.mocked(saveCommuneReport).mockRejectedValue(
      new ApiError('backend', 'save_commune_report', 'Ngày không hợp lệ: 2026-13-01', 'input.bad_date'),
    );
    render(CommuneReport, { dossier: d, readonly: false, onsaved: vi.fn() });
    const field = screen.getByLabelText('Nguồn gốc ý tưởng sản phẩm');
    await userEvent.type(field, 'Ý tưởng');
    await userEvent.click(screen.getByRole('button', { name: 'Lưu Mẫu số 03' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Ngày không hợp lệ');
    expect(field).toHaveValue('Ý tưởng');
  });

  it('reads a finalised round’s report without fields to edit', () => {
    const d = council.dossier(council.products[0], { commune_report: report });
    render(CommuneReport, { dossier: d, readonly: true, onsaved: vi.fn() });
    expect(screen.getByText('Chè búp tươi của xã')).toBeInTheDocument();
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(screen.queryByRole('button')).toBeNull();
  });
});
