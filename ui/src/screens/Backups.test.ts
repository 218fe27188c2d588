import { cleanup, render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, autoBackupStatus, backupCreate, backupInspect, backupRestore, backups } from '../lib/api';
import type { BackupInfo } from '../lib/bindings/BackupInfo';
import { lang } from '../lib/i18n';
import Backups from './Backups.svelte';

vi.mock('../lib/api', async (orig) => ({
  ApiError: ((await orig()) as { ApiError: unknown }).ApiError,
  autoBackupIfDue: vi.fn(),
  autoBackupStatus: vi.fn(),
  backupCreate: vi.fn(),
  backupInspect: vi.fn(),
  backupRestore: vi.fn(),
  backups: vi.fn(),
  chooseFolder: vi.fn(),
  chooseOpenPath: vi.fn(),
  chooseSavePath: vi.fn(),
  setBackupSettings: vi.fn(),
}));

const info: BackupInfo = {
  format: 1,
  path: '/media/usb/ocop-sao-luu.zip',
  size: 327_680,
  created_at: '2026-12-02T09:15:00Z',
  app_version: '0.1.0',
  backup_format: 1,
  schema_version: 8,
  office: { name: 'UBND tỉnh Thanh Hóa', fingerprint: 'a1b2c3d4e5f60718' },
  counts: { rounds: 2, products: 8, certificates: 3, registry_entries: 61, attachments: 4 },
  missing_attachments: [],
  verified: true,
};

beforeEach(() => {
  vi.mocked(backups).mockResolvedValue([]);
  vi.mocked(autoBackupStatus).mockResolvedValue({
    format: 1,
    settings: { format: 1, keep: 7, folder: null },
    local_dir: '/data/backups',
    newest_local: null,
    newest_folder: null,
    folder_reachable: null,
    due: true,
  });
});

afterEach(() => {
  cleanup();
  vi.resetAllMocks();
  lang.set('vi');
});

describe('Backups', () => {
  it('backs up to the typed file and says what it holds', async () => {
    vi.mocked(backupCreate).mockResolvedValue(info);
    render(Backups);
    await userEvent.type(document.querySelector('input[name=out]') as HTMLInputElement, info.path);
    await userEvent.click(screen.getByRole('button', { name: 'Sao lưu' }));
    await waitFor(() => expect(backupCreate).toHaveBeenCalledWith(info.path));
    expect(await screen.findByText(/2 đợt, 8 sản phẩm, 3 giấy chứng nhận/)).toBeInTheDocument();
  });

  it('restores only after the backup was checked and the user confirmed', async () => {
    vi.mocked(backupInspect).mockResolvedValue(info);
    vi.mocked(backupRestore).mockResolvedValue({ format: 1, restored: info, safety_copy: { ...info, path: '/data/backups/ocop-before-restore.zip' }, kept_aside: null });
    render(Backups);
    await userEvent.type(document.querySelector('input[name=restore_path]') as HTMLInputElement, info.path);
    await userEvent.click(document.getElementById('backup-inspect') as HTMLButtonElement);
    expect(await screen.findByText(/2 đợt, 8 sản phẩm, 3 giấy chứng nhận/)).toBeInTheDocument();
    const restore = document.getElementById('backup-restore') as HTMLButtonElement;
    expect(restore).toBeDisabled();
    await userEvent.click(screen.getByRole('checkbox'));
    await userEvent.click(restore);
    await waitFor(() => expect(backupRestore).toHaveBeenCalledWith(info.path, true));
    expect(await screen.findByText(/ocop-before-restore\.zip/)).toBeInTheDocument();
  });

  it('shows why a damaged backup is refused, and offers no restore', async () => {
    vi.mocked(backupInspect).mockRejectedValue(
      new ApiError('backend', 'backup_inspect', 'Bản sao lưu bị hỏng: database.sqlite không khớp mã băm', 'backup.member_damaged'),
    );
    render(Backups);
    await userEvent.type(document.querySelector('input[name=restore_path]') as HTMLInputElement, '/tmp/hong.zip');
    await userEvent.click(document.getElementById('backup-inspect') as HTMLButtonElement);
    expect(await screen.findByRole('alert')).toHaveTextContent('bị hỏng');
    expect(document.getElementById('backup-restore')).toBeNull();
    expect(backupRestore).not.toHaveBeenCalled();
  });
});
