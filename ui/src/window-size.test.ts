// The app window must fit the most common office screen, a 1366×768 laptop, with the Windows
// taskbar (48 px on Windows 11) and the window's title bar and borders (about 34 px) on it.
import { describe, expect, it } from 'vitest';
import config from '../../src-tauri/tauri.conf.json';

const main = config.app.windows.find((w) => w.label === 'main');

describe('the main window', () => {
  it('opens within a 1366×768 screen less the taskbar and the title bar', () => {
    expect(main).toBeDefined();
    expect(main!.width).toBeLessThanOrEqual(1366 - 2);
    expect(main!.height).toBeLessThanOrEqual(768 - 48 - 34);
  });

  it('can be made smaller, down to a size every screen is laid out for', () => {
    expect(main!.minWidth).toBeLessThanOrEqual(main!.width);
    expect(main!.minHeight).toBeLessThanOrEqual(main!.height);
    expect([main!.minWidth, main!.minHeight]).toEqual([900, 600]);
  });
});
