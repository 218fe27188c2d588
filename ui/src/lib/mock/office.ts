/**
 * DEVELOPMENT ONLY: the office's signing keys for the mock backend (`./backend.ts`), as far as the
 * Settings screen's key area needs them: one current key (made up), protected by the passphrase
 * `1234` (its id is the one `./verify.ts`'s certificate names), no other office's key, and three
 * certificates issued before the compact QR code (`certificates_without_compact_code`).
 * `add_compact_codes` with `1234` gives them theirs (then none is left); another passphrase is
 * refused with `office.passphrase_wrong`. `?mock=empty`: none lacks its compact code. Setting up,
 * changing or rotating the key is not simulated.
 */
import type { OfficeKey } from '../bindings/OfficeKey';
import type { TrustedKey } from '../bindings/TrustedKey';
import { codeText } from '../errors';

type Args = Record<string, unknown>;

const PASSPHRASE = '1234';

const KEY: OfficeKey = {
  id: '0123456789abcdef',
  name: 'UBND tỉnh Thanh Hóa',
  public_key: '3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29',
  fingerprint: '0123456789abcdef',
  protected: true,
  created_at: '2026-11-02T08:00:00.000Z',
  created_by: 'Văn thư',
  retired_at: null,
  retired_by: null,
};

const TRUSTED: TrustedKey = {
  id: KEY.id,
  fingerprint: KEY.fingerprint,
  name: KEY.name,
  public_key: KEY.public_key,
  own: true,
  added_at: KEY.created_at,
  added_by: KEY.created_by,
  retired_at: null,
};

/** Certificates issued before the compact code that still lack one. */
let withoutCompact = 3;

function fail(code: string, message: string, params: Record<string, string> = {}): never {
  throw { code, message: codeText(code, params) ?? message, params };
}

export function officeCommand(command: string, args: Args, variant: string): unknown {
  switch (command) {
    case 'office_keys':
      return [KEY];
    case 'trusted_keys':
      return [TRUSTED];
    case 'certificates_without_compact_code':
      return variant === 'empty' ? 0 : withoutCompact;
    case 'add_compact_codes': {
      if (variant === 'empty' || withoutCompact === 0) return 0;
      if (String(args.passphrase ?? '') !== PASSPHRASE) fail('office.passphrase_wrong', 'Cụm mật khẩu của cơ quan không đúng');
      const added = withoutCompact;
      withoutCompact = 0;
      return added;
    }
    default:
      return undefined;
  }
}
