import { cleanup, render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, chooseOpenPath, verifyCertificate, verifyCertificateImage } from '../lib/api';
import type { CertificateClaim } from '../lib/bindings/CertificateClaim';
import type { Verification } from '../lib/bindings/Verification';
import { lang } from '../lib/i18n';
import Verify from './Verify.svelte';

vi.mock('../lib/api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../lib/api')>();
  return {
    ApiError: actual.ApiError,
    chooseOpenPath: vi.fn(),
    verifyCertificate: vi.fn(),
    verifyCertificateImage: vi.fn(),
  };
});

const claim: CertificateClaim = {
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
  h: '',
  product_shortened: false,
  owner_shortened: false,
};

/** What an `OCOP2` code carries when this office has no record of it: names cut, no code, decision or body. */
const compactClaim: CertificateClaim = {
  ...claim,
  v: 2,
  p: 'Chè xanh Bình',
  o: 'Hợp tác xã Chè',
  c: '',
  d: '',
  dd: '',
  b: '',
  h: '9f2c41d07ab35e6810c4d2e97f0b3a55',
  product_shortened: true,
  owner_shortened: true,
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
  record_matches: null,
  from_records: false,
};

async function shownResult(): Promise<HTMLElement> {
  return waitFor(() => {
    const el = document.getElementById('verify-result');
    expect(el).not.toBeNull();
    return el as HTMLElement;
  });
}

function field(result: HTMLElement, name: string): string | null | undefined {
  return result.querySelector(`[data-field="${name}"]`)?.textContent?.replace(/\s+/g, ' ').trim();
}

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
      record_matches: null,
      from_records: false,
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
    expect(screen.getByRole('alert')).toHaveTextContent('Chưa có nội dung mã QR hoặc số giấy chứng nhận.');

    await user.type(payloadBox(), 'a{Shift>}{Enter}{/Shift}b');
    expect(payloadBox().value).toBe('a\nb');
    expect(verifyCertificate).not.toHaveBeenCalled();

    vi.mocked(verifyCertificate).mockRejectedValue(new Error('Không đọc được mã.'));
    await user.keyboard('{Enter}');
    expect(await screen.findByText('Không đọc được mã.')).toBeInTheDocument();
    expect(document.getElementById('verify-result')).toBeNull();
  });

  it('sends a code ending with a space with that space, only leading space and trailing line ends removed', async () => {
    vi.mocked(verifyCertificate).mockResolvedValue({ ...valid, claim: compactClaim });
    const user = userEvent.setup();
    render(Verify);
    await user.click(payloadBox());
    await user.paste('  OCOP2:6BFOXN%TS3DH \r\n\t');
    await user.click(screen.getByRole('button', { name: 'Kiểm tra' }));
    expect(verifyCertificate).toHaveBeenCalledWith('OCOP2:6BFOXN%TS3DH ');
    await shownResult();

    // Spaces alone are still nothing to check.
    await user.clear(payloadBox());
    await user.type(payloadBox(), '   {Enter}');
    expect(verifyCertificate).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('alert')).toHaveTextContent('Chưa có nội dung mã QR hoặc số giấy chứng nhận.');
  });

  it('checks a chosen photo or scan and shows its verdict as for a scanned code', async () => {
    vi.mocked(chooseOpenPath).mockResolvedValue('/home/thu-ky/Ảnh/giay-chung-nhan.jpg');
    vi.mocked(verifyCertificateImage).mockResolvedValue(valid);
    const user = userEvent.setup();
    render(Verify);
    const button = screen.getByRole('button', { name: 'Chọn ảnh chụp hoặc bản quét…' });
    expect(button).toHaveAttribute('id', 'verify-image');
    await user.click(button);
    expect(chooseOpenPath).toHaveBeenCalledWith(expect.any(String), ['png', 'jpg', 'jpeg'], 'Ảnh PNG, JPEG');
    expect(verifyCertificateImage).toHaveBeenCalledWith('/home/thu-ky/Ảnh/giay-chung-nhan.jpg');
    expect(verifyCertificate).not.toHaveBeenCalled();
    const result = await shownResult();
    expect(result).toHaveAttribute('data-verdict', 'valid');
    expect(result).toHaveTextContent('GIẤY CHỨNG NHẬN HỢP LỆ');
    expect(field(result, 'product')).toBe('Chè xanh Bình Sơn');
    expect(document.getElementById('verify-from-image')).toHaveTextContent('giay-chung-nhan.jpg');
    expect(document.getElementById('verify-record')).toBeNull();
  });

  it('does nothing when the file dialog is cancelled', async () => {
    vi.mocked(chooseOpenPath).mockResolvedValue(null);
    const user = userEvent.setup();
    render(Verify);
    await user.click(screen.getByRole('button', { name: 'Chọn ảnh chụp hoặc bản quét…' }));
    await waitFor(() => expect(chooseOpenPath).toHaveBeenCalledTimes(1));
    expect(verifyCertificateImage).not.toHaveBeenCalled();
    expect(verifyCertificate).not.toHaveBeenCalled();
    expect(document.getElementById('verify-result')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it("shows the backend's error for a picture without a readable code", async () => {
    vi.mocked(chooseOpenPath).mockResolvedValue('/tmp/mo.png');
    vi.mocked(verifyCertificateImage).mockRejectedValue(
      new ApiError('backend', 'verify_certificate_image', 'No readable QR code', 'cli.no_qr', { path: '/tmp/mo.png' }),
    );
    const user = userEvent.setup();
    render(Verify);
    await user.click(screen.getByRole('button', { name: 'Chọn ảnh chụp hoặc bản quét…' }));
    expect(await screen.findByText(/Không tìm thấy mã QR nào đọc được trong ảnh \/tmp\/mo\.png/)).toBeInTheDocument();
    expect(screen.getByText('Không kiểm tra được.')).toBeInTheDocument();
    expect(document.getElementById('verify-result')).toBeNull();
  });

  it('shows an OCOP2 code without the record: no empty rows, shortened names, the code alone checked', async () => {
    vi.mocked(verifyCertificate).mockResolvedValue({ ...valid, claim: compactClaim });
    const user = userEvent.setup();
    render(Verify);
    await user.type(payloadBox(), 'OCOP2:ABC{Enter}');
    const result = await shownResult();
    expect(result).toHaveAttribute('data-verdict', 'valid');
    expect(field(result, 'product')).toBe('Chè xanh Bình… (tên rút gọn trong mã)');
    expect(field(result, 'owner')).toBe('Hợp tác xã Chè… (tên rút gọn trong mã)');
    expect(field(result, 'certificate')).toBe('012/GCN-OCOP');
    expect(field(result, 'valid-until')).toBe('05/12/2029');
    for (const name of ['code', 'decision', 'body']) expect(result.querySelector(`[data-field="${name}"]`)).toBeNull();
    expect(result).not.toHaveTextContent('Mã số sản phẩm');
    expect(result).not.toHaveTextContent('Quyết định công nhận');
    expect(result).not.toHaveTextContent('Cơ quan cấp');
    const record = document.getElementById('verify-record');
    expect(record).toHaveAttribute('data-record', 'absent');
    expect(record).toHaveTextContent('Cơ quan chưa có hồ sơ đầy đủ của giấy này: chỉ kiểm tra nội dung trong mã.');
    expect(document.getElementById('verify-from-records')).toBeNull();
  });

  it('says whether the full record matches the code, and warns when it does not', async () => {
    const user = userEvent.setup();
    render(Verify);
    vi.mocked(verifyCertificate).mockResolvedValueOnce({ ...valid, claim: { ...claim, v: 2, h: compactClaim.h }, record_matches: true });
    await user.type(payloadBox(), 'OCOP2:ABC{Enter}');
    let record = await waitFor(() => {
      const el = document.getElementById('verify-record');
      expect(el).toHaveAttribute('data-record', 'matches');
      return el as HTMLElement;
    });
    expect(record).toHaveTextContent('Khớp với hồ sơ đầy đủ lưu tại cơ quan.');
    const result = await shownResult();
    expect(field(result, 'code')).toBe('38-16213-001-2026');
    expect(field(result, 'product')).toBe('Chè xanh Bình Sơn');

    vi.mocked(verifyCertificate).mockResolvedValueOnce({ ...valid, claim: compactClaim, record_matches: false });
    await user.keyboard('{Enter}');
    record = await waitFor(() => {
      const el = document.getElementById('verify-record');
      expect(el).toHaveAttribute('data-record', 'differs');
      return el as HTMLElement;
    });
    expect(record).toHaveTextContent('Cảnh báo: cơ quan có hồ sơ số này nhưng không khớp với mã');
    expect(record).toHaveAttribute('role', 'alert');

    // An OCOP1 code is the full record itself: nothing to say.
    vi.mocked(verifyCertificate).mockResolvedValueOnce(valid);
    await user.keyboard('{Enter}');
    await waitFor(() => expect(verifyCertificate).toHaveBeenCalledTimes(3));
    await shownResult();
    expect(document.getElementById('verify-record')).toBeNull();
  });

  it('says when the verdict comes from a typed certificate number', async () => {
    vi.mocked(verifyCertificate).mockResolvedValue({
      ...valid,
      claim: { ...claim, n: '125/QĐ-UBND-01', v: 2, h: compactClaim.h },
      record_matches: true,
      from_records: true,
    });
    const user = userEvent.setup();
    render(Verify);
    await user.type(payloadBox(), '125/QĐ-UBND-01{Enter}');
    expect(verifyCertificate).toHaveBeenCalledWith('125/QĐ-UBND-01');
    const note = await waitFor(() => {
      const el = document.getElementById('verify-from-records');
      expect(el).not.toBeNull();
      return el as HTMLElement;
    });
    expect(note).toHaveTextContent('Kiểm tra theo số giấy chứng nhận, từ dữ liệu lưu tại cơ quan.');
    expect(field(await shownResult(), 'certificate')).toBe('125/QĐ-UBND-01');
  });

  it('says a typed number this office has no record of was not found, not that it is invalid', async () => {
    vi.mocked(verifyCertificate).mockResolvedValue({
      ...valid,
      valid: false,
      code: 'verify.number_unknown',
      params: { number: '999/QĐ-UBND-07' },
      message: 'Không tìm thấy giấy chứng nhận số 999/QĐ-UBND-07 có mã ký số trong dữ liệu của cơ quan.',
      claim: null,
      signed_by: null,
    });
    const user = userEvent.setup();
    render(Verify);
    await user.type(payloadBox(), '999/QĐ-UBND-07{Enter}');
    const result = await shownResult();
    expect(result).toHaveAttribute('data-verdict', 'unknown');
    expect(result).toHaveAttribute('data-valid', 'false');
    expect(result).toHaveTextContent('KHÔNG TÌM THẤY GIẤY CHỨNG NHẬN');
    expect(result).not.toHaveTextContent('KHÔNG HỢP LỆ');
  });

  it('shows the new notes in English', async () => {
    lang.set('en');
    vi.mocked(verifyCertificate).mockResolvedValue({ ...valid, claim: compactClaim, from_records: true });
    const user = userEvent.setup();
    render(Verify);
    expect(screen.getByRole('button', { name: 'Choose a photo or scan…' })).toBeInTheDocument();
    await user.type(payloadBox(), 'OCOP2:ABC{Enter}');
    const result = await shownResult();
    expect(field(result, 'product')).toBe('Chè xanh Bình… (shortened in the code)');
    expect(document.getElementById('verify-record')).toHaveTextContent('only what the code carries was checked');
    expect(document.getElementById('verify-from-records')).toHaveTextContent('Checked by certificate number');
  });
});
