import { afterEach, describe, expect, it, vi } from 'vitest';
import { invoke } from '@tauri-apps/api/core';
import { ApiError, appInfo, criteriaSheet, setLang } from './api';

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
});
