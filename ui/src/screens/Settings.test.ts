import { cleanup, render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { office, ownKey, saveOffice, trustedKeys, trustKey } from '../lib/api';
import type { OfficeSettings } from '../lib/bindings/OfficeSettings';
import { lang } from '../lib/i18n';
import Settings from './Settings.svelte';

vi.mock('../lib/api', () => ({
  office: vi.fn(),
  saveOffice: vi.fn(),
  ownKey: vi.fn(),
  trustedKeys: vi.fn(),
  trustKey: vi.fn(),
}));

const EMPTY: OfficeSettings = {
  province: '',
  place: '',
  people_committee: '',
  authority: '',
  council_parent: '',
  council_name: '',
  standing_body: '',
  decision_symbol: '',
  next_decision_no: 1,
  decision_signer: { sign_for: '', title: '', name: '' },
};

const OWN = { id: 'aa11bb22cc33dd44', name: 'Cơ quan này', public_key: 'ab'.repeat(32) };

function input(name: string): HTMLInputElement {
  const el = document.querySelector<HTMLInputElement>(`#office-form [name="${name}"]`);
  if (!el) throw new Error(`no input ${name}`);
  return el;
}

beforeEach(() => {
  lang.set('vi');
  vi.mocked(office).mockResolvedValue(structuredClone(EMPTY));
  vi.mocked(saveOffice).mockImplementation((o) => Promise.resolve(structuredClone(o)));
  vi.mocked(ownKey).mockResolvedValue(OWN);
  vi.mocked(trustedKeys).mockResolvedValue([OWN, { id: 'ee55ff66', name: 'UBND tỉnh Nghệ An', public_key: 'cd'.repeat(32) }]);
});

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe('Settings', () => {
  it('round-trips every office field through the form', async () => {
    const user = userEvent.setup();
    render(Settings);
    await waitFor(() => expect(document.getElementById('office-form')).not.toBeNull());
    expect(document.getElementById('office-missing')).toHaveTextContent('Còn thiếu');
    // The hints carry the official examples.
    const form = document.getElementById('office-form') as HTMLElement;
    for (const example of ['ỦY BAN NHÂN DÂN TỈNH THANH HÓA', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH', 'QĐ-UBND']) {
      expect(form).toHaveTextContent(example);
    }

    const values: Record<string, string> = {
      province: 'Thanh Hóa',
      place: 'Thanh Hóa',
      people_committee: 'ỦY BAN NHÂN DÂN TỈNH THANH HÓA',
      authority: 'CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH THANH HÓA',
      council_parent: 'UBND TỈNH THANH HÓA',
      council_name: 'HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP TỈNH THANH HÓA',
      standing_body: 'Sở Nông nghiệp và Môi trường',
      decision_symbol: 'QĐ-UBND',
      signer_sign_for: 'KT. CHỦ TỊCH',
      signer_title: 'PHÓ CHỦ TỊCH',
      signer_name: 'Nguyễn Văn An',
    };
    for (const [name, value] of Object.entries(values)) {
      await user.click(input(name));
      await user.paste(value);
    }
    await user.clear(input('next_decision_no'));
    await user.type(input('next_decision_no'), '125');
    expect(document.getElementById('office-complete')).not.toBeNull();
    await user.click(screen.getByRole('button', { name: 'Lưu cài đặt' }));

    expect(saveOffice).toHaveBeenCalledWith({
      province: 'Thanh Hóa',
      place: 'Thanh Hóa',
      people_committee: 'ỦY BAN NHÂN DÂN TỈNH THANH HÓA',
      authority: 'CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH THANH HÓA',
      council_parent: 'UBND TỈNH THANH HÓA',
      council_name: 'HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP TỈNH THANH HÓA',
      standing_body: 'Sở Nông nghiệp và Môi trường',
      decision_symbol: 'QĐ-UBND',
      next_decision_no: 125,
      decision_signer: { sign_for: 'KT. CHỦ TỊCH', title: 'PHÓ CHỦ TỊCH', name: 'Nguyễn Văn An' },
    });
    expect(await screen.findByText('Đã lưu thông tin cơ quan.')).toBeInTheDocument();
  });

  it('fills the form from the saved settings and shows a refusal', async () => {
    const saved: OfficeSettings = {
      ...EMPTY,
      province: 'Nghệ An',
      council_name: 'HỘI ĐỒNG OCOP TỈNH NGHỆ AN',
      next_decision_no: 7,
      decision_signer: { sign_for: 'KT. CHỦ TỊCH', title: 'PHÓ CHỦ TỊCH', name: 'Lê Văn B' },
    };
    vi.mocked(office).mockResolvedValue(saved);
    vi.mocked(saveOffice).mockRejectedValue(new Error('Số quyết định phải lớn hơn 0'));
    const user = userEvent.setup();
    render(Settings);
    await waitFor(() => expect(input('province').value).toBe('Nghệ An'));
    expect(input('council_name').value).toBe('HỘI ĐỒNG OCOP TỈNH NGHỆ AN');
    expect(input('next_decision_no').value).toBe('7');
    expect(input('signer_sign_for').value).toBe('KT. CHỦ TỊCH');
    expect(input('signer_title').value).toBe('PHÓ CHỦ TỊCH');
    expect(input('signer_name').value).toBe('Lê Văn B');
    await user.click(screen.getByRole('button', { name: 'Lưu cài đặt' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Số quyết định phải lớn hơn 0');
  });

  it("shows this office's key and the other offices' keys, and trusts a new one", async () => {
    vi.mocked(trustKey).mockResolvedValue({ id: '9988', name: 'UBND tỉnh Hà Tĩnh', public_key: 'ef'.repeat(32) });
    const user = userEvent.setup();
    render(Settings);
    const own = await waitFor(() => {
      const el = document.getElementById('own-key');
      expect(el).not.toBeNull();
      return el as HTMLElement;
    });
    expect(own).toHaveTextContent(OWN.id);
    expect(document.getElementById('own-public-key')).toHaveTextContent(OWN.public_key);
    const list = document.getElementById('trusted-keys') as HTMLElement;
    expect(list).toHaveTextContent('UBND tỉnh Nghệ An');
    expect(list).not.toHaveTextContent('Cơ quan này');

    const form = document.getElementById('trust-key-form') as HTMLFormElement;
    const name = form.querySelector<HTMLInputElement>('[name="name"]') as HTMLInputElement;
    const key = form.querySelector<HTMLInputElement>('[name="public_key"]') as HTMLInputElement;
    await user.type(name, 'UBND tỉnh Hà Tĩnh');
    await user.type(key, 'xyz');
    await user.click(screen.getByRole('button', { name: 'Thêm khóa tin cậy' }));
    expect(trustKey).not.toHaveBeenCalled();
    expect(screen.getByRole('alert')).toHaveTextContent('64 chữ số hex');

    await user.clear(key);
    await user.paste('EF'.repeat(32));
    await user.click(screen.getByRole('button', { name: 'Thêm khóa tin cậy' }));
    expect(trustKey).toHaveBeenCalledWith('UBND tỉnh Hà Tĩnh', 'ef'.repeat(32));
    await waitFor(() => expect(document.getElementById('trusted-keys')).toHaveTextContent('UBND tỉnh Hà Tĩnh'));
    expect(name.value).toBe('');
  });

  it('shows loading errors with a retry', async () => {
    vi.mocked(office).mockRejectedValue(new Error('CSDL bị khóa'));
    render(Settings);
    expect(await screen.findByText('Không tải được thông tin cơ quan.')).toBeInTheDocument();
    expect(screen.getByText('CSDL bị khóa')).toBeInTheDocument();
  });
});
