import { cleanup, render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, cancelJob, chooseFolder, onPapersProgress, saveAllPapers } from '../../lib/api';
import type { BatchProgress } from '../../lib/bindings/BatchProgress';
import { lang } from '../../lib/i18n';
import * as council from '../../test/council';
import BatchPrint from './BatchPrint.svelte';

vi.mock('../../lib/api', async (orig) => ({
  ApiError: ((await orig()) as { ApiError: unknown }).ApiError,
  chooseFolder: vi.fn(),
  saveAllPapers: vi.fn(),
  cancelJob: vi.fn(),
  onPapersProgress: vi.fn(),
}));

afterEach(() => {
  cleanup();
  vi.resetAllMocks();
  lang.set('vi');
});

describe('BatchPrint', () => {
  it('shows progress while the batch runs, then what was written', async () => {
    let report: (p: BatchProgress) => void = () => {};
    vi.mocked(onPapersProgress).mockImplementation(async (h) => {
      report = h;
      return () => {};
    });
    vi.mocked(chooseFolder).mockResolvedValue('/tmp/giay-to');
    let finish: (v: unknown) => void = () => {};
    vi.mocked(saveAllPapers).mockImplementation(() => new Promise((r) => (finish = r as (v: unknown) => void)));
    render(BatchPrint, { round: council.round, date: null });
    await userEvent.click(screen.getByRole('button', { name: 'Lưu tất cả giấy tờ vào một thư mục' }));
    await waitFor(() => expect(saveAllPapers).toHaveBeenCalledWith(council.round.id, null, '/tmp/giay-to'));
    report({ done: 3, total: 10, current: 'phieu-danh-gia-003-che.pdf' });
    await waitFor(() => expect(screen.getByText(/3\/10/)).toBeInTheDocument());
    expect((document.getElementById('batch-progress') as HTMLProgressElement).value).toBe(3);
    finish({ dir: '/tmp/giay-to', files: ['a.pdf', 'b.pdf'], skipped: [{ kind: 'certificates', code: 'paper.none_recognised', message: 'Không có sản phẩm' }] });
    await waitFor(() => expect(document.getElementById('batch-result')?.textContent).toContain('2'));
    expect(screen.getByText('Không có sản phẩm')).toBeInTheDocument();
  });

  it('cancels through the backend and shows the coded message in the interface language', async () => {
    vi.mocked(onPapersProgress).mockResolvedValue(() => {});
    vi.mocked(chooseFolder).mockResolvedValue('/tmp/x');
    let fail: (e: unknown) => void = () => {};
    vi.mocked(saveAllPapers).mockImplementation(() => new Promise((_, j) => (fail = j)));
    vi.mocked(cancelJob).mockResolvedValue();
    lang.set('en');
    render(BatchPrint, { round: council.round, date: null });
    await userEvent.click(screen.getByRole('button', { name: 'Save every paper into a folder' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
    expect(cancelJob).toHaveBeenCalled();
    fail(new ApiError('backend', 'save_all_papers', 'Đã dừng', 'paper.cancelled', { done: '4', total: '9', dir: '/tmp/x' }));
    await waitFor(() =>
      expect(document.getElementById('batch-error')?.textContent).toBe('Printing stopped as asked: 4 of 9 files saved in /tmp/x'),
    );
  });

  it('does nothing when no folder is chosen', async () => {
    vi.mocked(chooseFolder).mockResolvedValue(null);
    render(BatchPrint, { round: council.round, date: null });
    await userEvent.click(screen.getByRole('button', { name: 'Lưu tất cả giấy tờ vào một thư mục' }));
    expect(saveAllPapers).not.toHaveBeenCalled();
  });
});
