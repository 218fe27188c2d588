import { cleanup, render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  addCompactCodes,
  certificatesWithoutCompactCode,
  changePassphrase,
  office,
  officeKeys,
  rotateKey,
  saveOffice,
  setUpKey,
  trustedKeys,
  trustKey,
} from '../lib/api';
import type { OfficeKey } from '../lib/bindings/OfficeKey';
import type { OfficeSettings } from '../lib/bindings/OfficeSettings';
import type { TrustedKey } from '../lib/bindings/TrustedKey';
import { lang } from '../lib/i18n';
import Settings from './Settings.svelte';

vi.mock('../lib/api', () => ({
  office: vi.fn(),
  saveOffice: vi.fn(),
  officeKeys: vi.fn(),
  setUpKey: vi.fn(),
  changePassphrase: vi.fn(),
  rotateKey: vi.fn(),
  trustedKeys: vi.fn(),
  trustKey: vi.fn(),
  certificatesWithoutCompactCode: vi.fn(),
  addCompactCodes: vi.fn(),
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

const OWN: OfficeKey = {
  id: 'aa11bb22cc33dd44',
  name: 'Cơ quan này',
  public_key: 'ab'.repeat(32),
  fingerprint: 'aa11bb22cc33dd44',
  protected: true,
  created_at: '2026-11-02T08:00:00.000Z',
  created_by: 'Văn thư',
  retired_at: null,
  retired_by: null,
};

const RETIRED: OfficeKey = {
  ...OWN,
  id: '0f0f0f0f0f0f0f0f',
  fingerprint: '0f0f0f0f0f0f0f0f',
  public_key: '0f'.repeat(32),
  created_at: '2025-01-10T08:00:00.000Z',
  retired_at: '2026-11-02T08:00:00.000Z',
  retired_by: 'Văn thư',
};

function trusted(fingerprint: string, name: string, own = false): TrustedKey {
  return {
    id: fingerprint,
    fingerprint,
    name,
    public_key: 'cd'.repeat(32),
    own,
    added_at: '2026-11-20T08:00:00.000Z',
    added_by: 'Văn thư',
    retired_at: null,
  };
}

function field(form: string, name: string): HTMLInputElement {
  const el = document.querySelector<HTMLInputElement>(`#${form} [name="${name}"]`);
  if (!el) throw new Error(`no #${form} [name=${name}]`);
  return el;
}

function input(name: string): HTMLInputElement {
  const el = document.querySelector<HTMLInputElement>(`#office-form [name="${name}"]`);
  if (!el) throw new Error(`no input ${name}`);
  return el;
}

beforeEach(() => {
  lang.set('vi');
  vi.mocked(office).mockResolvedValue(structuredClone(EMPTY));
  vi.mocked(saveOffice).mockImplementation((o) => Promise.resolve(structuredClone(o)));
  vi.mocked(officeKeys).mockResolvedValue([OWN]);
  vi.mocked(trustedKeys).mockResolvedValue([trusted(OWN.fingerprint, 'Cơ quan này', true), trusted('ee55ff66', 'UBND tỉnh Nghệ An')]);
  vi.mocked(certificatesWithoutCompactCode).mockResolvedValue(0);
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
    vi.mocked(officeKeys).mockResolvedValue([OWN, RETIRED]);
    vi.mocked(trustKey).mockResolvedValue({ ...trusted('9988', 'UBND tỉnh Hà Tĩnh'), public_key: 'ef'.repeat(32) });
    const user = userEvent.setup();
    render(Settings);
    const own = await waitFor(() => {
      const el = document.getElementById('own-key');
      expect(el).not.toBeNull();
      return el as HTMLElement;
    });
    expect(own).toHaveTextContent(OWN.id);
    expect(own).toHaveAttribute('data-protected', 'true');
    expect(own).toHaveTextContent('ngày 02/11/2026, bởi Văn thư');
    expect(document.getElementById('own-public-key')).toHaveTextContent(OWN.public_key);
    // The retired key stays, with its dates.
    const old = document.getElementById('retired-keys') as HTMLElement;
    expect(old).toHaveTextContent(RETIRED.fingerprint);
    expect(old).toHaveTextContent('Dùng từ 10/01/2025 đến 02/11/2026');
    const list = document.getElementById('trusted-keys') as HTMLElement;
    expect(list).toHaveTextContent('UBND tỉnh Nghệ An');
    expect(list).toHaveTextContent('Thêm ngày 20/11/2026, bởi Văn thư');
    expect(list).not.toHaveTextContent('Cơ quan này');
    expect(document.getElementById('key-setup-form')).toBeNull();

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

  it('sets up the key under a passphrase the office chooses, checked twice', async () => {
    vi.mocked(officeKeys).mockResolvedValueOnce([]).mockResolvedValue([OWN]);
    vi.mocked(setUpKey).mockResolvedValue(OWN);
    const user = userEvent.setup();
    render(Settings);
    expect(await screen.findByText(/Cơ quan chưa có khóa ký/)).toBeInTheDocument();
    expect(document.getElementById('own-key')).toBeNull();
    const submit = screen.getByRole('button', { name: 'Tạo khóa ký' });

    await user.type(field('key-setup-form', 'passphrase'), '1234');
    await user.type(field('key-setup-form', 'confirm'), '1234');
    await user.click(submit);
    expect(screen.getByRole('alert')).toHaveTextContent('ít nhất 8 ký tự');
    await user.clear(field('key-setup-form', 'passphrase'));
    await user.type(field('key-setup-form', 'passphrase'), 'mùa chè xanh 2026');
    await user.click(submit);
    expect(screen.getByRole('alert')).toHaveTextContent('không giống nhau');
    expect(setUpKey).not.toHaveBeenCalled();

    await user.clear(field('key-setup-form', 'confirm'));
    await user.type(field('key-setup-form', 'confirm'), 'mùa chè xanh 2026');
    await user.click(submit);
    expect(setUpKey).toHaveBeenCalledWith('mùa chè xanh 2026');
    await waitFor(() => expect(document.getElementById('own-key')).not.toBeNull());
    expect(screen.getByRole('status')).toHaveTextContent(`Khóa ${OWN.fingerprint} đã được bảo vệ`);
    expect(document.getElementById('key-setup-form')).toBeNull();
  });

  it('offers to protect a key from before passphrases', async () => {
    vi.mocked(officeKeys).mockResolvedValue([{ ...OWN, protected: false }]);
    render(Settings);
    expect(await screen.findByText(/chưa được bảo vệ/)).toBeInTheDocument();
    expect(document.getElementById('own-key')).toHaveAttribute('data-protected', 'false');
    expect(screen.getByRole('button', { name: 'Bảo vệ khóa bằng cụm mật khẩu' })).toBeInTheDocument();
  });

  it('changes the passphrase with the current one, and makes a new key', async () => {
    vi.mocked(changePassphrase).mockRejectedValueOnce({ code: 'office.passphrase_wrong', message: 'Cụm mật khẩu của cơ quan không đúng' });
    vi.mocked(changePassphrase).mockResolvedValue(OWN);
    const fresh = { ...OWN, id: '1212121212121212', fingerprint: '1212121212121212' };
    vi.mocked(rotateKey).mockResolvedValue(fresh);
    const user = userEvent.setup();
    render(Settings);
    await waitFor(() => expect(document.getElementById('own-key')).not.toBeNull());
    await user.click(screen.getByText('Đổi cụm mật khẩu', { selector: 'summary' }));
    const change = screen.getByRole('button', { name: 'Lưu cụm mật khẩu mới' });
    await user.type(field('passphrase-form', 'passphrase'), 'mùa chè xanh 2027');
    await user.type(field('passphrase-form', 'confirm'), 'mùa chè xanh 2027');
    await user.click(change);
    expect(screen.getByRole('alert')).toHaveTextContent('Chưa nhập cụm mật khẩu hiện tại.');
    await user.type(field('passphrase-form', 'current'), 'sai rồi');
    await user.click(change);
    expect(await screen.findByRole('alert')).toHaveTextContent('Cụm mật khẩu của cơ quan không đúng');
    await user.clear(field('passphrase-form', 'current'));
    await user.type(field('passphrase-form', 'current'), 'mùa chè xanh 2026');
    await user.click(change);
    expect(changePassphrase).toHaveBeenLastCalledWith('mùa chè xanh 2026', 'mùa chè xanh 2027');
    expect(await screen.findByRole('status')).toHaveTextContent('Đã đổi cụm mật khẩu');

    await user.click(screen.getByText('Tạo khóa mới', { selector: 'summary' }));
    await user.type(field('rotate-form', 'current'), 'mùa chè xanh 2027');
    await user.click(screen.getByRole('button', { name: 'Tạo khóa mới, thôi dùng khóa cũ' }));
    expect(rotateKey).toHaveBeenCalledWith('mùa chè xanh 2027');
    expect(await screen.findByRole('status')).toHaveTextContent('Đã tạo khóa mới 1212121212121212');
    expect(officeKeys).toHaveBeenCalledTimes(3);
  });

  it('offers no compact QR codes when every certificate has one', async () => {
    render(Settings);
    await waitFor(() => expect(document.getElementById('own-key')).not.toBeNull());
    expect(certificatesWithoutCompactCode).toHaveBeenCalled();
    expect(document.getElementById('compact-codes')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Cấp mã QR gọn' })).toBeNull();
  });

  it('gives older certificates their compact QR code with the passphrase, then hides the offer', async () => {
    vi.mocked(certificatesWithoutCompactCode).mockResolvedValueOnce(3).mockResolvedValue(0);
    vi.mocked(addCompactCodes).mockResolvedValue(3);
    const user = userEvent.setup();
    render(Settings);
    const section = await waitFor(() => {
      const el = document.getElementById('compact-codes');
      expect(el).not.toBeNull();
      return el as HTMLElement;
    });
    expect(section).toHaveAttribute('data-count', '3');
    expect(section).toHaveTextContent(
      '3 giấy chứng nhận đã cấp trước đây chỉ có mã QR cũ, khó quét từ bản scan. Cấp mã QR gọn cho các giấy này (nội dung giấy không đổi) rồi in lại để dùng.',
    );
    const submit = screen.getByRole('button', { name: 'Cấp mã QR gọn' });
    await user.click(submit);
    expect(screen.getByRole('alert')).toHaveTextContent('Chưa nhập cụm mật khẩu hiện tại.');
    expect(addCompactCodes).not.toHaveBeenCalled();

    await user.type(field('compact-form', 'current'), 'mùa chè xanh 2026');
    await user.click(submit);
    expect(addCompactCodes).toHaveBeenCalledWith('mùa chè xanh 2026');
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Đã cấp mã QR gọn cho 3 giấy chứng nhận. In lại giấy chứng nhận ở thẻ Giấy tờ của đợt để dùng mã mới.',
    );
    await waitFor(() => expect(document.getElementById('compact-codes')).toBeNull());
    expect(certificatesWithoutCompactCode).toHaveBeenCalledTimes(2);
    expect(document.getElementById('key-ok')).toHaveTextContent('Đã cấp mã QR gọn cho 3 giấy chứng nhận.');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('keeps the compact QR code offer and the typed passphrase when the passphrase is wrong', async () => {
    vi.mocked(certificatesWithoutCompactCode).mockResolvedValue(1);
    vi.mocked(addCompactCodes).mockRejectedValue({ code: 'office.passphrase_wrong', message: 'wrong passphrase', params: {} });
    const user = userEvent.setup();
    render(Settings);
    await waitFor(() => expect(document.getElementById('compact-codes')).not.toBeNull());
    await user.type(field('compact-form', 'current'), 'sai rồi');
    await user.click(screen.getByRole('button', { name: 'Cấp mã QR gọn' }));
    expect(addCompactCodes).toHaveBeenCalledWith('sai rồi');
    expect(await screen.findByRole('alert')).toHaveTextContent('Cụm mật khẩu của cơ quan không đúng');
    expect(document.getElementById('compact-codes')).toHaveAttribute('data-count', '1');
    expect(field('compact-form', 'current').value).toBe('sai rồi');
    expect(document.getElementById('key-ok')).toBeNull();
  });

  it('words the compact QR code offer in English, one certificate in the singular', async () => {
    lang.set('en');
    vi.mocked(certificatesWithoutCompactCode).mockResolvedValue(1);
    render(Settings);
    const section = await waitFor(() => {
      const el = document.getElementById('compact-codes');
      expect(el).not.toBeNull();
      return el as HTMLElement;
    });
    expect(section).toHaveTextContent('1 certificate issued earlier has only the old QR code');
    expect(screen.getByRole('button', { name: 'Add compact QR codes' })).toBeInTheDocument();
  });

  it('does not offer compact QR codes before the key is protected', async () => {
    vi.mocked(officeKeys).mockResolvedValue([{ ...OWN, protected: false }]);
    vi.mocked(certificatesWithoutCompactCode).mockResolvedValue(2);
    render(Settings);
    expect(await screen.findByText(/chưa được bảo vệ/)).toBeInTheDocument();
    expect(document.getElementById('compact-codes')).toBeNull();
  });

  it('shows loading errors with a retry', async () => {
    vi.mocked(office).mockRejectedValue(new Error('CSDL bị khóa'));
    render(Settings);
    expect(await screen.findByText('Không tải được thông tin cơ quan.')).toBeInTheDocument();
    expect(screen.getByText('CSDL bị khóa')).toBeInTheDocument();
  });
});
