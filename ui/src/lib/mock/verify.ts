/**
 * DEVELOPMENT ONLY: the certificate check for the mock backend (`./backend.ts`). Nothing is decoded
 * or signed: the verdict follows the shape of the text.
 *
 * - `OCOP2:…`: a valid compact code. By default this office has no full record of it (the code's own
 *   content, the product's name shortened); `?mock=verify-record`: the record is here and matches;
 *   `?mock=verify-differs`: a record with that number is here but is not the one the code names.
 * - `OCOP1.…`: a valid full record.
 * - `125/QĐ-UBND-01` (the number printed beside the code): the verdict of the code kept under it;
 *   another number: `verify.number_unknown`.
 * - anything else: `verify.format`.
 * - a picture (`verify_certificate_image`): a PNG or JPEG path reads as an `OCOP2` code; any other
 *   file is refused with `cli.bad_image`. Check real photos and scans in the desktop app.
 */
import type { CertificateClaim } from '../bindings/CertificateClaim';
import type { Verification } from '../bindings/Verification';
import { codeText } from '../errors';

type Args = Record<string, unknown>;

const ISSUER = 'UBND tỉnh Thanh Hóa';
const NUMBER = '125/QĐ-UBND-01';

const FULL: CertificateClaim = {
  v: 1,
  k: '0123456789abcdef',
  n: NUMBER,
  p: 'Nước mắm cá cơm truyền thống Ba Làng loại đặc biệt, chai thủy tinh 500 ml',
  o: 'Hợp tác xã Dịch vụ Nông nghiệp và Chế biến Hải sản Ba Làng, phường Hải Thanh',
  s: 4,
  c: '38-16213-001-2026',
  d: '125/QĐ-UBND',
  dd: '2026-12-05',
  i: '2026-12-05',
  u: '2029-12-05',
  b: 'ỦY BAN NHÂN DÂN TỈNH THANH HÓA',
  h: '',
  product_shortened: false,
  owner_shortened: false,
};

const HASH = '9f2c41d07ab35e6810c4d2e97f0b3a55';

/** What an `OCOP2` code carries alone: no code, decision or body; a long name cut to fit. */
const COMPACT: CertificateClaim = {
  ...FULL,
  v: 2,
  p: 'Nước mắm cá cơm truyền thống Ba Làng loại đặc biệt',
  c: '',
  d: '',
  dd: '',
  b: '',
  h: HASH,
  product_shortened: true,
};

function worded(code: string, params: Record<string, string>, fallback: string): string {
  return codeText(code, params) ?? fallback;
}

function valid(claim: CertificateClaim, record_matches: boolean | null, from_records: boolean): Verification {
  const params = { issuer: ISSUER };
  return {
    valid: true,
    code: 'verify.valid',
    params,
    message: worded('verify.valid', params, `Giấy chứng nhận hợp lệ, do ${ISSUER} cấp.`),
    claim,
    expired: false,
    revoked: false,
    signed_by: ISSUER,
    record_matches,
    from_records,
  };
}

function invalid(code: string, fallback: string): Verification {
  return {
    valid: false,
    code,
    params: {},
    message: worded(code, {}, fallback),
    claim: null,
    expired: false,
    revoked: false,
    signed_by: null,
    record_matches: null,
    from_records: false,
  };
}

function compact(variant: string): Verification {
  if (variant === 'verify-record') return valid({ ...FULL, v: 2, h: HASH }, true, false);
  return valid(COMPACT, variant === 'verify-differs' ? false : null, false);
}

function verify(text: string, variant: string): Verification {
  const t = text.replace(/[\r\n\t]+$/, '');
  if (t.startsWith('OCOP2:')) return compact(variant);
  if (t.startsWith('OCOP1.')) return valid(FULL, null, false);
  if (t.trim() === NUMBER) return valid({ ...FULL, v: 2, h: HASH }, true, true);
  if (/^\s*\d+\/\S+\s*$/.test(t)) {
    return invalid('verify.number_unknown', `Không có giấy chứng nhận số ${t.trim()} trong dữ liệu của cơ quan.`);
  }
  return invalid('verify.format', 'Không phải mã xác thực giấy chứng nhận OCOP (sai định dạng).');
}

function fail(code: string, message: string, params: Record<string, string> = {}): never {
  throw { code, message: codeText(code, params) ?? message, params };
}

export function verifyCommand(command: string, args: Args, variant: string): unknown {
  switch (command) {
    case 'verify_certificate':
      return verify(String(args.payload ?? ''), variant);
    case 'verify_certificate_image': {
      const path = String(args.path ?? '');
      if (!/\.(png|jpe?g)$/i.test(path)) {
        const reason = 'không phải ảnh PNG hoặc JPEG (mô phỏng)';
        fail('cli.bad_image', `Không đọc được ảnh ${path} (cần tệp PNG hoặc JPEG): ${reason}`, { path, reason });
      }
      return compact(variant);
    }
    default:
      return undefined;
  }
}
