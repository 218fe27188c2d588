import { cleanup, render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import App from './App.svelte';
import { appInfo, criteriaIndex, rounds, setLang, setOperator } from './lib/api';
import { OPERATOR_STORAGE_KEY } from './lib/operator';
import { lang } from './lib/i18n';
import { screenFromHash } from './lib/router';
import { SCREENS, screenFor } from './nav';
import { index } from './test/fixtures';

vi.mock('./lib/api', () => ({
  criteriaIndex: vi.fn(),
  criteriaSheet: vi.fn(),
  appInfo: vi.fn(),
  setLang: vi.fn(),
  setOperator: vi.fn(),
  rounds: vi.fn(),
  round: vi.fn(() => new Promise(() => {})),
}));

beforeEach(() => {
  lang.set('vi');
  window.location.hash = '';
  vi.mocked(criteriaIndex).mockResolvedValue(structuredClone(index));
  vi.mocked(setLang).mockResolvedValue();
  vi.mocked(setOperator).mockResolvedValue();
  vi.mocked(rounds).mockResolvedValue([]);
  vi.mocked(appInfo).mockResolvedValue({
    version: '0.1.0',
    dataDir: '/home/user/.local/share/vn.ocop.council',
    schemaVersion: 1 as never,
    buildDate: '2026-12-03',
    criteriaFingerprint: '0123456789abcdef',
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
    expect(screenFor('nope').id).toBe('rounds');
    expect(screenFor('').id).toBe('rounds');
  });
});

describe('app shell', () => {
  it('shows the app name and builds the navigation from SCREENS', async () => {
    render(App);
    expect(screen.getByRole('banner')).toHaveTextContent(
      'OCOP Council — Hội đồng đánh giá, phân hạng sản phẩm OCOP',
    );
    const links = [...document.querySelectorAll<HTMLAnchorElement>('#main-nav a')];
    expect(links.map((a) => [a.dataset.screen, a.textContent, a.getAttribute('href')])).toEqual([
      ['rounds', 'Đợt đánh giá', '#/rounds'],
      ['members', 'Thành viên', '#/members'],
      ['owners', 'Chủ thể', '#/owners'],
      ['products', 'Sản phẩm', '#/products'],
      ['registry', 'Sổ theo dõi OCOP', '#/registry'],
      ['renewals', 'Công nhận lại, nâng hạng', '#/renewals'],
      ['central', 'Kết quả cấp Trung ương', '#/central'],
      ['exchange', 'Trao đổi hồ sơ', '#/exchange'],
      ['plan', 'Kế hoạch', '#/plan'],
      ['dashboard', 'Tổng quan', '#/dashboard'],
      ['criteria', 'Bộ tiêu chí', '#/criteria'],
      ['audit', 'Nhật ký kiểm toán', '#/audit'],
      ['verify', 'Kiểm tra giấy chứng nhận', '#/verify'],
      ['settings', 'Cài đặt cơ quan', '#/settings'],
      ['backups', 'Sao lưu, khôi phục', '#/backups'],
      ['about', 'Giới thiệu', '#/about'],
    ]);
    // Every navigable screen is listed; the round detail is reached from the rounds.
    expect(links).toHaveLength(SCREENS.filter((x) => x.placement !== 'hidden').length);
    expect(links[0]).toHaveAttribute('aria-current', 'page');
    expect(document.getElementById('rounds')).not.toBeNull();
    expect(await screen.findByText(/Chưa có đợt đánh giá nào/)).toBeInTheDocument();
  });

  it('opens the criteria browser from the navigation', async () => {
    window.location.hash = '#/criteria';
    render(App);
    expect(document.getElementById('criteria-browser')).not.toBeNull();
    await waitFor(() => expect(document.querySelectorAll('.set-item')).toHaveLength(4));
  });

  it('highlights the rounds entry on a round detail route and passes the route parameters', () => {
    window.location.hash = '#/round/abc/results';
    render(App);
    expect(document.querySelector('#content')).toHaveAttribute('data-screen', 'round');
    expect(screen.getByRole('link', { name: 'Đợt đánh giá' })).toHaveAttribute('aria-current', 'page');
  });

  it('asks who is at the keyboard, keeps it and tells the backend', async () => {
    localStorage.removeItem(OPERATOR_STORAGE_KEY);
    render(App);
    const field = document.querySelector<HTMLInputElement>('#operator')!;
    expect(field.value).toBe('Thư ký Hội đồng');
    await waitFor(() => expect(setOperator).toHaveBeenCalledWith('Thư ký Hội đồng'));
    await userEvent.clear(field);
    await userEvent.type(field, '  Nguyễn   Văn An {Enter}');
    expect(field.value).toBe('Nguyễn Văn An');
    expect(localStorage.getItem(OPERATOR_STORAGE_KEY)).toBe('Nguyễn Văn An');
    await waitFor(() => expect(setOperator).toHaveBeenLastCalledWith('Nguyễn Văn An'));
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
    expect(screen.getByRole('link', { name: 'Rounds' })).toBeInTheDocument();
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
    expect(info.querySelector('[data-field="buildDate"]')).toHaveTextContent('2026-12-03');
    expect(info.querySelector('[data-field="criteriaFingerprint"]')).toHaveTextContent('0123456789abcdef');
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
