import { afterEach, describe, expect, it, vi } from 'vitest';
import { invoke } from '@tauri-apps/api/core';
import { open, save } from '@tauri-apps/plugin-dialog';
import {
  addCompactCodes,
  ApiError,
  appInfo,
  attachFile,
  changePassphrase,
  attachment,
  certificatesWithoutCompactCode,
  chooseOpenPath,
  chooseSavePath,
  criteriaSheet,
  dashboard,
  importApply,
  importPlan,
  planImportApply,
  planImportPlan,
  registryPage,
  renewalOpinion,
  saveReportPaper,
  issueRecognition,
  openPaper,
  openSheet,
  paper,
  rotateKey,
  roomOpen,
  roomReissue,
  roomRevoke,
  saveAnswer,
  saveOffice,
  savePaper,
  setLang,
  setUpKey,
  trustKey,
  verifyCertificate,
  verifyCertificateImage,
} from './api';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: vi.fn(), save: vi.fn() }));
const invokeMock = vi.mocked(invoke);

function withTauri(): void {
  (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {};
}

afterEach(() => {
  delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__;
  vi.clearAllMocks();
});

describe('api', () => {
  it('passes command names and camelCase arguments to Tauri', async () => {
    withTauri();
    invokeMock.mockResolvedValueOnce({ code: '11' });
    await criteriaSheet('QD26-2026', '11');
    expect(invokeMock).toHaveBeenCalledWith('criteria_sheet', { decision: 'QD26-2026', set: '11' });
    invokeMock.mockResolvedValueOnce(null);
    await setLang('en');
    expect(invokeMock).toHaveBeenLastCalledWith('set_lang', { lang: 'en' });
  });

  it("names the council room's arguments as the shell's commands take them", async () => {
    withTauri();
    invokeMock.mockResolvedValue(null);
    await roomOpen('r1', null);
    expect(invokeMock).toHaveBeenLastCalledWith('room_open', { roundId: 'r1', port: null });
    await roomOpen('r1', 9443);
    expect(invokeMock).toHaveBeenLastCalledWith('room_open', { roundId: 'r1', port: 9443 });
    await roomReissue('p-huy');
    expect(invokeMock).toHaveBeenLastCalledWith('room_reissue', { memberId: 'p-huy' });
    await roomRevoke('pair-42');
    expect(invokeMock).toHaveBeenLastCalledWith('room_revoke', { pairingId: 'pair-42' });
  });

  it("turns the backend's string rejection into an ApiError with that message", async () => {
    withTauri();
    invokeMock.mockRejectedValueOnce("Quyết định QD26-2026 không có bộ sản phẩm '99'");
    const error = await criteriaSheet('QD26-2026', '99').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      kind: 'backend',
      command: 'criteria_sheet',
      message: "Quyết định QD26-2026 không có bộ sản phẩm '99'",
    });
  });

  it('reports a missing backend outside Tauri without calling invoke', async () => {
    const error = await appInfo().catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'unavailable', command: 'app_info' });
    expect(invokeMock).not.toHaveBeenCalled();
  });

  it('turns snake_case arguments into camelCase for the council commands', async () => {
    withTauri();
    invokeMock.mockResolvedValue({});
    await openSheet('r1', 'p1', 'm1', null, 1);
    expect(invokeMock).toHaveBeenLastCalledWith('open_sheet', {
      roundId: 'r1',
      productId: 'p1',
      personId: 'm1',
      keyedBy: null,
      pass: 1,
    });
    await saveAnswer('s1', '6.1.1', null);
    expect(invokeMock).toHaveBeenLastCalledWith('save_answer', { sheetId: 's1', criterion: '6.1.1', option: null });
  });

  it('sends files as the raw payload with their headers', async () => {
    withTauri();
    invokeMock.mockResolvedValue({});
    const bytes = new Uint8Array([0x25, 0x50, 0x44, 0x46]);
    await attachFile('d1', 'Biên bản số 1.pdf', bytes);
    expect(invokeMock).toHaveBeenLastCalledWith('attach_file', bytes, {
      headers: { dossier: 'd1', name: 'Bi%C3%AAn%20b%E1%BA%A3n%20s%E1%BB%91%201.pdf' },
    });
    await importPlan(bytes, 'r1');
    expect(invokeMock).toHaveBeenLastCalledWith('import_plan', bytes, { headers: { round: 'r1' } });
    await importPlan(bytes);
    expect(invokeMock).toHaveBeenLastCalledWith('import_plan', bytes, { headers: {} });
    await importApply(bytes, 'r1', 'ab12');
    expect(invokeMock).toHaveBeenLastCalledWith('import_apply', bytes, { headers: { fingerprint: 'ab12', round: 'r1' } });
    await importApply(bytes, undefined, 'ab12');
    expect(invokeMock).toHaveBeenLastCalledWith('import_apply', bytes, { headers: { fingerprint: 'ab12' } });
  });

  it('imports into the registry with the registry header, and plans with the year header', async () => {
    withTauri();
    invokeMock.mockResolvedValue({});
    const bytes = new Uint8Array([0x50, 0x4b]);
    await importPlan(bytes, undefined, { registry: true });
    expect(invokeMock).toHaveBeenLastCalledWith('import_plan', bytes, { headers: { registry: '1' } });
    await importApply(bytes, undefined, 'ab12', { registry: true });
    expect(invokeMock).toHaveBeenLastCalledWith('import_apply', bytes, { headers: { registry: '1', fingerprint: 'ab12' } });
    await planImportPlan(bytes, 2025);
    expect(invokeMock).toHaveBeenLastCalledWith('plan_import_plan', bytes, { headers: { year: '2025' } });
    await planImportApply(bytes, 2025, 'f1');
    expect(invokeMock).toHaveBeenLastCalledWith('plan_import_apply', bytes, { headers: { year: '2025', fingerprint: 'f1' } });
  });

  it('sends the registry commands their arguments in camelCase', async () => {
    withTauri();
    invokeMock.mockResolvedValue({});
    await registryPage({ status: 'revoked', offset: 100, limit: 100 });
    expect(invokeMock).toHaveBeenLastCalledWith('registry_page', { filter: { status: 'revoked', offset: 100, limit: 100 } });
    await dashboard(2025);
    expect(invokeMock).toHaveBeenLastCalledWith('dashboard', { year: 2025, from: null, to: null });
    await renewalOpinion('rn1', 'p1', false, 'Bao bì chưa đạt');
    expect(invokeMock).toHaveBeenLastCalledWith('renewal_opinion', { renewalId: 'rn1', personId: 'p1', agree: false, remark: 'Bao bì chưa đạt' });
    await saveReportPaper(2025, null, '2025-06-30', 'pdf', '/tmp/bao-cao.pdf');
    expect(invokeMock).toHaveBeenLastCalledWith('report_paper', { year: 2025, from: null, to: '2025-06-30', format: 'pdf', path: '/tmp/bao-cao.pdf' });
  });

  it('returns an attachment as an ArrayBuffer', async () => {
    withTauri();
    invokeMock.mockResolvedValueOnce(new Uint8Array([1, 2, 3]).buffer);
    expect(new Uint8Array(await attachment('abc'))).toEqual(new Uint8Array([1, 2, 3]));
    invokeMock.mockResolvedValueOnce([4, 5]);
    expect(new Uint8Array(await attachment('abc'))).toEqual(new Uint8Array([4, 5]));
    expect(invokeMock).toHaveBeenLastCalledWith('attachment', { sha256: 'abc' });
  });

  it('sends the papers, office and key commands with their arguments', async () => {
    withTauri();
    invokeMock.mockResolvedValueOnce(new Uint8Array([37, 80, 68, 70]));
    const bytes = await paper({ kind: 'summary', roundId: 'r1' });
    expect(invokeMock).toHaveBeenLastCalledWith('paper', { kind: 'summary', roundId: 'r1', productId: null, date: null });
    expect(new Uint8Array(bytes)).toEqual(new Uint8Array([37, 80, 68, 70]));

    invokeMock.mockResolvedValueOnce('/home/u/bien-ban.pdf');
    await savePaper({ kind: 'minutes', roundId: 'r1', date: '2026-12-05' }, '/home/u/bien-ban.pdf');
    expect(invokeMock).toHaveBeenLastCalledWith('save_paper', {
      kind: 'minutes',
      roundId: 'r1',
      productId: null,
      date: '2026-12-05',
      path: '/home/u/bien-ban.pdf',
    });
    invokeMock.mockResolvedValueOnce('/data/x.pdf');
    await openPaper({ kind: 'sheet', roundId: 'r1', productId: 'p1' });
    expect(invokeMock).toHaveBeenLastCalledWith('open_paper', { kind: 'sheet', roundId: 'r1', productId: 'p1', date: null });

    invokeMock.mockResolvedValueOnce({ id: 'k' });
    await trustKey('UBND tỉnh Nghệ An', 'ab'.repeat(32));
    expect(invokeMock).toHaveBeenLastCalledWith('trust_key', { name: 'UBND tỉnh Nghệ An', publicKey: 'ab'.repeat(32) });
    invokeMock.mockResolvedValueOnce({});
    const office = { province: 'Thanh Hóa' } as never;
    await saveOffice(office);
    expect(invokeMock).toHaveBeenLastCalledWith('save_office', { office });

    invokeMock.mockResolvedValue({ id: 'k' });
    await setUpKey('mật khẩu cơ quan');
    expect(invokeMock).toHaveBeenLastCalledWith('set_up_key', { passphrase: 'mật khẩu cơ quan' });
    await changePassphrase('cũ cũ cũ cũ', 'mới mới mới');
    expect(invokeMock).toHaveBeenLastCalledWith('change_passphrase', { current: 'cũ cũ cũ cũ', new: 'mới mới mới' });
    await rotateKey('1234');
    expect(invokeMock).toHaveBeenLastCalledWith('rotate_key', { passphrase: '1234' });
    await addCompactCodes('mùa chè xanh 2026');
    expect(invokeMock).toHaveBeenLastCalledWith('add_compact_codes', { passphrase: 'mùa chè xanh 2026' });
    invokeMock.mockResolvedValueOnce(3);
    await expect(certificatesWithoutCompactCode()).resolves.toBe(3);
    expect(invokeMock).toHaveBeenLastCalledWith('certificates_without_compact_code', undefined);
    await issueRecognition('r1', '2026-07-10', '1234');
    expect(invokeMock).toHaveBeenLastCalledWith('issue_recognition', { roundId: 'r1', date: '2026-07-10', passphrase: '1234' });
  });

  it('asks the save dialog for a path with a filter', async () => {
    withTauri();
    vi.mocked(save).mockResolvedValueOnce('/home/u/bien-ban.pdf');
    await expect(chooseSavePath('bien-ban.pdf', 'pdf', 'Tệp PDF')).resolves.toBe('/home/u/bien-ban.pdf');
    expect(save).toHaveBeenCalledWith({ defaultPath: 'bien-ban.pdf', filters: [{ name: 'Tệp PDF', extensions: ['pdf'] }] });
    vi.mocked(save).mockResolvedValueOnce(null);
    await expect(chooseSavePath('a.xlsx', 'xlsx', 'Excel')).resolves.toBeNull();
  });

  it('asks the open dialog for one file of several types', async () => {
    withTauri();
    vi.mocked(open).mockResolvedValueOnce('/home/u/giay.jpeg');
    await expect(chooseOpenPath('Chọn ảnh', ['png', 'jpg', 'jpeg'], 'Ảnh PNG, JPEG')).resolves.toBe('/home/u/giay.jpeg');
    expect(open).toHaveBeenLastCalledWith({
      multiple: false,
      title: 'Chọn ảnh',
      filters: [{ name: 'Ảnh PNG, JPEG', extensions: ['png', 'jpg', 'jpeg'] }],
    });
    vi.mocked(open).mockResolvedValueOnce(null);
    await expect(chooseOpenPath('Chọn bản sao lưu', 'zip', 'Tệp ZIP')).resolves.toBeNull();
    expect(open).toHaveBeenLastCalledWith({ multiple: false, title: 'Chọn bản sao lưu', filters: [{ name: 'Tệp ZIP', extensions: ['zip'] }] });
  });

  it('checks a certificate from its text, kept as typed, or from a picture', async () => {
    withTauri();
    invokeMock.mockResolvedValue({ valid: true });
    await verifyCertificate('OCOP2:ABC ');
    expect(invokeMock).toHaveBeenLastCalledWith('verify_certificate', { payload: 'OCOP2:ABC ' });
    await verifyCertificateImage('/home/u/giay.png');
    expect(invokeMock).toHaveBeenLastCalledWith('verify_certificate_image', { path: '/home/u/giay.png' });
  });
});
