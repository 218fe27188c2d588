import { cleanup, render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, bundleImport, bundleInspect, exchangeConflicts, resolveConflict, rounds, trustedKeys } from '../lib/api';
import type { BundlePlan } from '../lib/bindings/BundlePlan';
import { lang } from '../lib/i18n';
import Exchange from './Exchange.svelte';

vi.mock('../lib/api', async (orig) => ({
  ApiError: ((await orig()) as { ApiError: unknown }).ApiError,
  bundleExport: vi.fn(),
  bundleImport: vi.fn(),
  bundleInspect: vi.fn(),
  chooseOpenPath: vi.fn(),
  chooseSavePath: vi.fn(),
  dossiers: vi.fn(),
  exchangeConflicts: vi.fn(),
  resolveConflict: vi.fn(),
  rounds: vi.fn(),
  trustedKeys: vi.fn(),
}));

const plan: BundlePlan = {
  format: 1,
  file: 'goi.ocop.zip',
  info: {
    bundle_uuid: '0b6f3c2e-1111-4a4a-9999-000000000001',
    sender_office: 'UBND xã Bình Sơn',
    sender_key_fingerprint: '9f86d081884c7d65',
    sender_public_key: 'ab'.repeat(32),
    created: '2026-12-02T08:00:00Z',
    schema_version: 8,
    purpose: 'commune_to_province',
    counts: { dossier: 2, product: 2 },
    attachments: 3,
  },
  trusted: false,
  minisign_public_key: 'RWQ…',
  already_imported: null,
  applied: false,
  trusted_now: false,
  entities: [
    { entity: 'product', new: 1, updated: 0, unchanged: 0, conflict: 1 },
    { entity: 'dossier', new: 2, updated: 0, unchanged: 0, conflict: 0 },
  ],
  records: [{ entity: 'product', id: 'p1', label: 'Chè xanh Bình Sơn', action: 'conflict', version: 'v2', supersedes: 'v1', local_version: 'v1b' }],
  conflicts: 1,
  notice: null,
};

beforeEach(() => {
  vi.mocked(rounds).mockResolvedValue([]);
  vi.mocked(trustedKeys).mockResolvedValue([]);
  vi.mocked(exchangeConflicts).mockResolvedValue([]);
});

afterEach(() => {
  cleanup();
  vi.resetAllMocks();
  lang.set('vi');
});

async function inspect(): Promise<void> {
  await userEvent.type(document.querySelector('input[name=in]') as HTMLInputElement, '/media/usb/goi.ocop.zip');
  await userEvent.click(document.getElementById('inspect-bundle') as HTMLButtonElement);
}

describe('Exchange', () => {
  it('shows the sender, its fingerprint, the plan and the conflicts, and imports an unknown sender only once trusted', async () => {
    vi.mocked(bundleInspect).mockResolvedValue(plan);
    vi.mocked(bundleImport).mockResolvedValue({ ...plan, applied: true, trusted: true, trusted_now: true });
    render(Exchange);
    await inspect();
    const sender = await screen.findByText('UBND xã Bình Sơn');
    expect(sender.closest('#import-sender')).toHaveAttribute('data-trusted', 'false');
    expect(screen.getAllByText('9f86d081884c7d65').length).toBeGreaterThan(0);
    expect(document.querySelector('#import-plan tr[data-entity="product"]')).toHaveTextContent('Sản phẩm');
    expect(document.getElementById('import-conflicts')).toHaveTextContent('Chè xanh Bình Sơn');
    const go = document.getElementById('import-bundle') as HTMLButtonElement;
    expect(go).toBeDisabled();
    await userEvent.click(screen.getByRole('checkbox'));
    await userEvent.click(go);
    await waitFor(() => expect(bundleImport).toHaveBeenCalledWith('/media/usb/goi.ocop.zip', true, false));
    await waitFor(() => expect(document.getElementById('import-sender')).toHaveAttribute('data-applied', 'true'));
  });

  it('says a bundle was already imported and offers no second import', async () => {
    vi.mocked(bundleInspect).mockResolvedValue({ ...plan, trusted: true, already_imported: '2026-12-01T10:00:00Z', notice: 'Gói này đã được nhập ngày 01/12/2026' });
    render(Exchange);
    await inspect();
    expect(await screen.findByText(/đã được nhập/)).toBeInTheDocument();
    expect(document.getElementById('import-bundle')).toBeNull();
  });

  it('shows a tampered bundle refused in the user language, with nothing to import', async () => {
    vi.mocked(bundleInspect).mockRejectedValue(
      new ApiError('backend', 'bundle_inspect', 'Chữ ký của gói hồ sơ không hợp lệ', 'bundle.bad_signature'),
    );
    render(Exchange);
    await inspect();
    expect(await screen.findByRole('alert')).toHaveTextContent('Chữ ký của gói trao đổi không hợp lệ');
    expect(document.getElementById('import-plan')).toBeNull();
    expect(bundleImport).not.toHaveBeenCalled();
  });

  it('lists the conflicts kept apart and settles one as the user chooses', async () => {
    const waiting = {
      format: 1,
      id: 'c1',
      bundle_id: plan.info.bundle_uuid,
      office: 'UBND tỉnh Thanh Hóa',
      entity: 'product',
      record_id: 'p1',
      label: 'Chè xanh Bình Sơn (lần 2)',
      local_version: 'v1b',
      incoming_version: 'v2',
      at: '2026-12-02T08:00:00Z',
      resolved_at: null,
      resolution: null,
    };
    vi.mocked(exchangeConflicts).mockResolvedValueOnce([waiting]).mockResolvedValue([]);
    vi.mocked(resolveConflict).mockResolvedValue({ ...waiting, resolved_at: '2026-12-02T09:00:00Z', resolution: 'took_incoming' });
    render(Exchange);
    const row = await screen.findByText('Chè xanh Bình Sơn (lần 2)');
    expect(row.closest('#exchange-conflicts')).toHaveTextContent('1 xung đột chờ xử lý');
    await userEvent.click(screen.getByRole('button', { name: 'Lấy bản gửi đến' }));
    await waitFor(() => expect(resolveConflict).toHaveBeenCalledWith('c1', 'took_incoming'));
    await waitFor(() => expect(document.getElementById('exchange-conflicts')).toBeNull());
  });
});
