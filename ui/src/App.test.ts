import { cleanup, render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import App from './App.svelte';
import { appInfo, criteriaIndex, setLang } from './lib/api';
import { lang } from './lib/i18n';
import { screenFromHash } from './lib/router';
import { SCREENS, screenFor } from './nav';
import { index } from './test/fixtures';

vi.mock('./lib/api', () => ({
  criteriaIndex: vi.fn(),
  criteriaSheet: vi.fn(),
  appInfo: vi.fn(),
  setLang: vi.fn(),
}));

beforeEach(() => {
  lang.set('vi');
  window.location.hash = '';
  vi.mocked(criteriaIndex).mockResolvedValue(structuredClone(index));
  vi.mocked(setLang).mockResolvedValue();
  vi.mocked(appInfo).mockResolvedValue({
    version: '0.1.0',
    dataDir: '/home/user/.local/share/vn.ocop.council',
    schemaVersion: 1 as never,
  });
});

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe('routing', () => {
  it('reads the screen from the hash and falls back to the first screen', () => {
    expect(screenFromHash('#/about')).toBe('about');
    expect(screenFromHash('')).toBe('');
    expect(screenFor('about').id).toBe('about');
    expect(screenFor('nope').id).toBe('criteria');
    expect(screenFor('').id).toBe('criteria');
  });
});

describe('app shell', () => {
  it('shows the app name and builds the navigation from SCREENS', async () => {
    render(App);
    expect(screen.getByRole('banner')).toHaveTextContent(
      'OCOP Council — Hội đồng đánh giá, phân hạng sản phẩm OCOP',
    );
    const links = [...document.querySelectorAll<HTMLAnchorElement>('#main-nav a')];
    expect(links.map((a) => [a.dataset.screen, a.textContent, a.getAttribute('href')])).toEqual(
      SCREENS.map((s) => [s.id, s.id === 'criteria' ? 'Bộ tiêu chí' : 'Giới thiệu', `#/${s.id}`]),
    );
    expect(links[0]).toHaveAttribute('aria-current', 'page');
    expect(document.getElementById('criteria-browser')).not.toBeNull();
    await waitFor(() => expect(document.querySelectorAll('.set-item')).toHaveLength(4));
  });

  it('switches language, persists it and tells the backend', async () => {
    render(App);
    await waitFor(() => expect(setLang).toHaveBeenCalledWith('vi'));
    const en = document.querySelector<HTMLButtonElement>('#lang-switch [data-lang="en"]')!;
    expect(en).toHaveAttribute('aria-pressed', 'false');
    await userEvent.click(en);
    expect(en).toHaveAttribute('aria-pressed', 'true');
    expect(localStorage.getItem('ocop.lang')).toBe('en');
    expect(document.documentElement.lang).toBe('en');
    expect(screen.getByRole('link', { name: 'Criteria' })).toBeInTheDocument();
    await waitFor(() => expect(setLang).toHaveBeenLastCalledWith('en'));
  });

  it('shows the About panel with the application information', async () => {
    window.location.hash = '#/about';
    render(App);
    const info = await waitFor(() => {
      const el = document.getElementById('about-info');
      if (!el) throw new Error('not yet');
      return el;
    });
    expect(info.querySelector('[data-field="version"]')).toHaveTextContent('0.1.0');
    expect(info.querySelector('[data-field="dataDir"]')).toHaveTextContent('/home/user/.local/share/vn.ocop.council');
    expect(info.querySelector('[data-field="schemaVersion"]')).toHaveTextContent('1');
    expect(screen.getByRole('link', { name: 'Giới thiệu' })).toHaveAttribute('aria-current', 'page');
  });

  it('shows an error state when the application information fails', async () => {
    vi.mocked(appInfo).mockRejectedValueOnce(Object.assign(new Error('Không đọc được thư mục dữ liệu'), { kind: 'backend' }));
    window.location.hash = '#/about';
    render(App);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Không tải được thông tin ứng dụng.');
    expect(alert).toHaveTextContent('Không đọc được thư mục dữ liệu');
  });
});
