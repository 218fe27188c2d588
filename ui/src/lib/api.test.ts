import { afterEach, describe, expect, it, vi } from 'vitest';
import { invoke } from '@tauri-apps/api/core';
import { ApiError, appInfo, attachFile, attachment, criteriaSheet, importXlsx, openSheet, saveAnswer, setLang } from './api';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
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
    await importXlsx(bytes, 'r1');
    expect(invokeMock).toHaveBeenLastCalledWith('import_xlsx', bytes, { headers: { round: 'r1' } });
    await importXlsx(bytes);
    expect(invokeMock).toHaveBeenLastCalledWith('import_xlsx', bytes, { headers: {} });
  });

  it('returns an attachment as an ArrayBuffer', async () => {
    withTauri();
    invokeMock.mockResolvedValueOnce(new Uint8Array([1, 2, 3]).buffer);
    expect(new Uint8Array(await attachment('abc'))).toEqual(new Uint8Array([1, 2, 3]));
    invokeMock.mockResolvedValueOnce([4, 5]);
    expect(new Uint8Array(await attachment('abc'))).toEqual(new Uint8Array([4, 5]));
    expect(invokeMock).toHaveBeenLastCalledWith('attachment', { sha256: 'abc' });
  });
});
