import { cleanup, render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { verifyCertificate } from '../lib/api';
import type { Verification } from '../lib/bindings/Verification';
import { lang } from '../lib/i18n';
import Verify from './Verify.svelte';

vi.mock('../lib/api', () => ({ verifyCertificate: vi.fn() }));

const claim = {
  v: 1,
  k: '0123456789abcdef',
  n: '012/GCN-OCOP',
  p: 'Chè xanh Bình Sơn',
  o: 'Hợp tác xã Chè Bình Sơn',
  s: 4,
  c: '38-16213-001-2026',
  d: '1234/QĐ-UBND',
  dd: '2026-12-05',
  i: '2026-12-05',
  u: '2029-12-05',
  b: 'ỦY BAN NHÂN DÂN TỈNH THANH HÓA',
};

const valid: Verification = {
  valid: true,
  code: 'verify.valid',
  params: { issuer: 'UBND tỉnh Thanh Hóa' },
  message: 'Chữ ký hợp lệ.',
  claim,
  expired: false,
  revoked: false,
  signed_by: 'UBND tỉnh Thanh Hóa',
};

function payloadBox(): HTMLTextAreaElement {
  return document.getElementById('verify-payload') as HTMLTextAreaElement;
}

beforeEach(() => lang.set('vi'));

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe('Verify', () => {
  it('checks the scanned text on Enter and shows a valid certificate in full', async () => {
    vi.mocked(verifyCertificate).mockResolvedValue(valid);
    const user = userEvent.setup();
    render(Verify);
    expect(payloadBox()).toHaveFocus();
    await user.type(payloadBox(), 'OCOP1.abc.def{Enter}');
    expect(verifyCertificate).toHaveBeenCalledWith('OCOP1.abc.def');
    const result = await waitFor(() => {
      const el = document.getElementById('verify-result');
      expect(el).not.toBeNull();
      return el as HTMLElement;
    });
    expect(result).toHaveAttribute('data-valid', 'true');
    expect(result).toHaveAttribute('data-verdict', 'valid');
    expect(result).toHaveTextContent('GIẤY CHỨNG NHẬN HỢP LỆ');
    expect(result).toHaveTextContent('Chữ ký hợp lệ.');
    expect(result).toHaveTextContent('UBND tỉnh Thanh Hóa');
    const field = (name: string): string | null | undefined =>
      result.querySelector(`[data-field="${name}"]`)?.textContent?.trim();
    expect(field('product')).toBe('Chè xanh Bình Sơn');
    expect(field('owner')).toBe('Hợp tác xã Chè Bình Sơn');
    expect(field('star')).toContain('4 sao');
    expect(field('code')).toBe('38-16213-001-2026');
    expect(field('decision')).toBe('Số 1234/QĐ-UBND ngày 05/12/2026');
    expect(field('certificate')).toBe('012/GCN-OCOP');
    expect(field('valid-until')).toBe('05/12/2029');
    expect(field('body')).toBe('ỦY BAN NHÂN DÂN TỈNH THANH HÓA');
  });

  it('shows an invalid signature as invalid, with the message, via the button', async () => {
    vi.mocked(verifyCertificate).mockResolvedValue({
      valid: false,
      code: 'verify.signature_mismatch',
      params: {},
      message: 'Chữ ký không khớp: nội dung đã bị sửa.',
      claim,
      expired: false,
      revoked: false,
      signed_by: null,
    });
    const user = userEvent.setup();
    render(Verify);
    await user.type(payloadBox(), 'tampered');
    await user.click(screen.getByRole('button', { name: 'Kiểm tra' }));
    const result = await waitFor(() => {
      const el = document.getElementById('verify-result');
      expect(el).not.toBeNull();
      return el as HTMLElement;
    });
    expect(result).toHaveAttribute('data-valid', 'false');
    expect(result).toHaveAttribute('data-verdict', 'invalid');
    expect(result).toHaveAttribute('data-code', 'verify.signature_mismatch');
    expect(result).toHaveTextContent('GIẤY CHỨNG NHẬN KHÔNG HỢP LỆ');
    expect(result).toHaveTextContent('Chữ ký không khớp: nội dung đã bị sửa.');
    expect(result).toHaveTextContent('chưa được xác thực');
  });

  it('treats expired and revoked certificates as not valid', async () => {
    const user = userEvent.setup();
    render(Verify);
    vi.mocked(verifyCertificate).mockResolvedValueOnce({
      ...valid,
      code: 'verify.expired',
      expired: true,
      message: 'Đã hết hạn.',
    });
    await user.type(payloadBox(), 'x{Enter}');
    let result = await waitFor(() => {
      const el = document.getElementById('verify-result');
      expect(el).not.toBeNull();
      return el as HTMLElement;
    });
    expect(result).toHaveAttribute('data-valid', 'false');
    expect(result).toHaveAttribute('data-verdict', 'expired');
    expect(result).toHaveTextContent('ĐÃ HẾT HIỆU LỰC');

    // As the backend sends it: a revoked certificate is not valid.
    vi.mocked(verifyCertificate).mockResolvedValueOnce({
      ...valid,
      valid: false,
      code: 'verify.revoked',
      params: { on: '01/02/2027' },
      revoked: true,
      message: 'Đã thu hồi.',
    });
    await user.click(screen.getByRole('button', { name: 'Kiểm tra' }));
    result = await waitFor(() => {
      const el = document.getElementById('verify-result') as HTMLElement;
      expect(el).toHaveAttribute('data-verdict', 'revoked');
      return el;
    });
    expect(result).toHaveAttribute('data-valid', 'false');
    expect(result).toHaveTextContent('ĐÃ BỊ THU HỒI');
  });

  it('asks for text when empty, keeps Shift+Enter as a new line and shows a backend error', async () => {
    const user = userEvent.setup();
    render(Verify);
    await user.click(screen.getByRole('button', { name: 'Kiểm tra' }));
    expect(verifyCertificate).not.toHaveBeenCalled();
    expect(screen.getByRole('alert')).toHaveTextContent('Chưa có nội dung mã QR.');

    await user.type(payloadBox(), 'a{Shift>}{Enter}{/Shift}b');
    expect(payloadBox().value).toBe('a\nb');
    expect(verifyCertificate).not.toHaveBeenCalled();

    vi.mocked(verifyCertificate).mockRejectedValue(new Error('Không đọc được mã.'));
    await user.keyboard('{Enter}');
    expect(await screen.findByText('Không đọc được mã.')).toBeInTheDocument();
    expect(document.getElementById('verify-result')).toBeNull();
  });
});
