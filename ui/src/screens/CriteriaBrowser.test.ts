import { cleanup, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { criteriaIndex, criteriaSheet } from '../lib/api';
import { lang } from '../lib/i18n';
import { index, teaSheet } from '../test/fixtures';
import CriteriaBrowser from './CriteriaBrowser.svelte';
import { resetCriteriaBrowserState } from './criteria-state';

vi.mock('../lib/api', () => ({
  criteriaIndex: vi.fn(),
  criteriaSheet: vi.fn(),
  appInfo: vi.fn(),
  setLang: vi.fn(),
}));

const indexMock = vi.mocked(criteriaIndex);
const sheetMock = vi.mocked(criteriaSheet);

function backendError(message: string): Error & { kind: string } {
  return Object.assign(new Error(message), { kind: 'backend' });
}

function sheetEl(): HTMLElement {
  const el = document.getElementById('sheet');
  if (!el) throw new Error('#sheet is missing');
  return el;
}

function criterion(code: string): HTMLElement {
  const el = sheetEl().querySelector<HTMLElement>(`.criterion[data-criterion="${code}"]`);
  if (!el) throw new Error(`criterion ${code} is missing`);
  return el;
}

/** The options of a criterion itself, not of its nested criteria. */
function ownOptions(code: string): HTMLElement[] {
  return [...criterion(code).querySelectorAll<HTMLElement>(':scope > .options > .option')];
}

function setItems(): HTMLButtonElement[] {
  return [...document.querySelectorAll<HTMLButtonElement>('button.set-item')];
}

async function renderReady(): Promise<void> {
  render(CriteriaBrowser);
  await waitFor(() => expect(setItems().length).toBeGreaterThan(0));
}

async function openTea(): Promise<void> {
  await renderReady();
  await userEvent.click(document.querySelector<HTMLButtonElement>('button.set-item[data-code="11"]')!);
  await waitFor(() => expect(sheetEl().dataset.state).toBe('ready'));
}

beforeEach(() => {
  resetCriteriaBrowserState();
  lang.set('vi');
  indexMock.mockResolvedValue(structuredClone(index));
  sheetMock.mockResolvedValue(structuredClone(teaSheet));
});

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe('criteria browser: decision and set list', () => {
  it('shows a loading state, then the newest decision by default', async () => {
    render(CriteriaBrowser);
    expect(screen.getByRole('status')).toHaveTextContent('Đang tải danh mục bộ tiêu chí');
    await waitFor(() => expect(setItems().length).toBe(4));

    const select = document.querySelector<HTMLSelectElement>('select#decision')!;
    expect(select.value).toBe('QD26-2026');
    const options = [...select.options].map((o) => [o.value, o.textContent]);
    expect(options).toEqual([
      ['QD148-2023', 'QĐ 148/QĐ-TTg (2023)'],
      ['QD26-2026', 'QĐ 26/2026/QĐ-TTg (2026)'],
    ]);
    expect(screen.getByText(/Ký ngày 22 tháng 5 năm 2026/)).toBeInTheDocument();
    expect(sheetEl()).toHaveTextContent('Chọn một bộ sản phẩm');
  });

  it('groups the sets by category in order I, II, VI, labelled "no. name"', async () => {
    await renderReady();
    const headings = [...document.querySelectorAll('.category-name')].map((h) => h.textContent?.trim());
    expect(headings).toEqual([
      'I. Thực phẩm',
      'II. Đồ uống',
      'VI. Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch',
    ]);
    expect(setItems().map((b) => [b.dataset.code, b.textContent?.trim()])).toEqual([
      ['07', '7. Chế biến từ rau, củ, quả, hạt'],
      ['11', '11. Chè tươi, chè chế biến'],
      ['14', '14. Rượu trắng'],
      ['26', '26. Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch'],
    ]);
  });

  it('filters diacritic-insensitively', async () => {
    await renderReady();
    const search = document.querySelector<HTMLInputElement>('#set-search')!;
    await userEvent.type(search, 'che tuoi');
    expect(setItems().map((b) => b.dataset.code)).toEqual(['11']);

    await userEvent.clear(search);
    await userEvent.type(search, 'RUOU');
    expect(setItems().map((b) => b.dataset.code)).toEqual(['14']);

    await userEvent.clear(search);
    await userEvent.type(search, 'cà phê');
    expect(setItems()).toHaveLength(0);
    expect(screen.getByText('Không có bộ sản phẩm nào khớp với “cà phê”.')).toBeInTheDocument();

    await userEvent.keyboard('{Escape}');
    expect(search.value).toBe('');
    expect(setItems()).toHaveLength(4);
  });

  it('is keyboard usable: one tab stop, arrows move, Enter opens', async () => {
    await renderReady();
    const tabStops = setItems().filter((b) => b.tabIndex === 0);
    expect(tabStops.map((b) => b.dataset.code)).toEqual(['07']);

    setItems()[0].focus();
    await userEvent.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(setItems()[1]);
    await userEvent.keyboard('{End}');
    expect(document.activeElement).toBe(setItems()[3]);
    await userEvent.keyboard('{ArrowUp}{ArrowUp}');
    expect((document.activeElement as HTMLElement).dataset.code).toBe('11');
    expect(sheetMock).not.toHaveBeenCalled();

    await userEvent.keyboard('{Enter}');
    expect(sheetMock).toHaveBeenCalledWith('QD26-2026', '11');
    await waitFor(() => expect(sheetEl().dataset.state).toBe('ready'));
    expect(document.querySelector('button.set-item[data-code="11"]')).toHaveAttribute('aria-current', 'true');
  });

  it('opens the first match with Enter in the search field', async () => {
    await renderReady();
    await userEvent.type(document.querySelector<HTMLInputElement>('#set-search')!, 'chè{Enter}');
    expect(sheetMock).toHaveBeenCalledWith('QD26-2026', '11');
  });

  it('keeps the open set when the decision changes', async () => {
    await openTea();
    await userEvent.selectOptions(document.querySelector<HTMLSelectElement>('#decision')!, 'QD148-2023');
    expect(sheetMock).toHaveBeenLastCalledWith('QD148-2023', '11');
    expect(setItems().map((b) => b.dataset.code)).toEqual(['07', '11']);
  });
});

describe('criteria browser: the score sheet', () => {
  it('shows the header, classification, disqualification and totals', async () => {
    await openTea();
    const sheet = sheetEl();
    expect(sheet.dataset.decision).toBe('QD26-2026');
    expect(sheet.dataset.set).toBe('11');
    expect(within(sheet).getByRole('heading', { level: 2 })).toHaveTextContent(
      'Bộ sản phẩm số 11: Chè tươi, chè chế biến',
    );
    expect(sheet).toHaveTextContent('Quyết định số 26/2026/QĐ-TTg');
    expect(sheet).toHaveTextContent('I.5.a. Chè tươi, chè chế biến');
    expect(sheet.querySelector('.disqualification')).toHaveTextContent(
      'Hồ sơ bị loại khi: Giả mạo hồ sơ hoặc không đáp ứng về hồ sơ đăng ký theo quy định',
    );
    const parts = [...sheet.querySelectorAll('.part')].map((p) => [
      p.getAttribute('data-part'),
      p.querySelector('.part-title')?.textContent,
      p.querySelector('.part-max')?.textContent,
    ]);
    expect(parts).toEqual([
      ['A', 'Phần A: SẢN PHẨM VÀ SỨC MẠNH CỦA CỘNG ĐỒNG', '40 điểm'],
      ['B', 'Phần B: KHẢ NĂNG TIẾP THỊ', '25 điểm'],
      ['C', 'Phần C: CHẤT LƯỢNG SẢN PHẨM', '35 điểm'],
    ]);
    expect(sheet.querySelector('.sheet-totals [data-total]')).toHaveTextContent('100');
    expect(sheet.querySelector('.sheet-total')).toHaveTextContent('Tổng điểm tối đa của phiếu: 100 điểm');
    expect(sheet.querySelector('.sheet-footer')).toHaveTextContent(
      'Dấu sao là yêu cầu tối thiểu phải đạt theo các cấp độ sao (*** - 3 sao; **** - 4 sao; ***** - 5 sao)',
    );
  });

  it('lists the criteria with codes, maxima, options, points and star markers', async () => {
    await openTea();
    const codes = [...sheetEl().querySelectorAll<HTMLElement>('.criterion')].map((c) => c.dataset.criterion);
    expect(codes).toEqual(['1.1', '2.4', '8', '6.1', '6.1.1', '6.1.2', '7']);

    const c11 = criterion('1.1');
    expect(c11.querySelector('.crit-code')).toHaveTextContent('1.1');
    expect(c11.querySelector('.crit-title')).toHaveTextContent('Nguồn nguyên liệu');
    expect(c11.querySelector('.crit-max')).toHaveTextContent('3 điểm');
    expect(ownOptions('1.1').map((o) => o.querySelector('.points')?.textContent)).toEqual(['1', '2', '3']);

    const marked = ownOptions('1.1')[0].querySelector('.marker');
    expect(marked).toHaveTextContent('★★★');
    expect(marked).toHaveAttribute('aria-label', 'Yêu cầu tối thiểu 3 sao');
    expect(ownOptions('1.1')[1].querySelector('.marker')).toBeNull();
    expect(screen.getAllByRole('img', { name: 'Yêu cầu tối thiểu 4 sao' })).toHaveLength(2);
  });

  it('marks eliminating notes and inferred options', async () => {
    await openTea();
    const note = criterion('1.1').querySelector('.note');
    expect(note).toHaveClass('eliminating');
    expect(note).toHaveTextContent('Điều kiện loại');
    expect(note).toHaveTextContent('Bị loại nếu sử dụng toàn bộ nguyên liệu nhập khẩu');

    const inferred = ownOptions('2.4');
    expect(inferred.map((o) => o.querySelector('.inferred-tag')?.textContent)).toEqual(['(suy ra)', '(suy ra)']);
    expect(criterion('8').querySelector('.note')).not.toHaveClass('eliminating');
  });

  it('nests child criteria under their parent', async () => {
    await openTea();
    const parent = criterion('6.1');
    expect(parent).toHaveClass('parent');
    expect(ownOptions('6.1')).toHaveLength(0);
    const child = criterion('6.1.1');
    expect(child.parentElement?.closest('.criterion')).toBe(parent);
    expect(child.dataset.depth).toBe('1');
    expect(child.querySelector('.crit-max')).toHaveTextContent('2 điểm');
    expect(ownOptions('6.1.1').map((o) => o.querySelector('.points')?.textContent)).toEqual(['0', '1', '2']);
    expect(ownOptions('6.1.1')[2].querySelector('.marker')).toHaveTextContent('★★★★');
  });

  it('shows tourism cases as sub-headings with their own options', async () => {
    await openTea();
    const c8 = criterion('8');
    const cases = [...c8.querySelectorAll<HTMLElement>('.case')];
    expect(cases.map((h) => [h.dataset.case, h.textContent?.replace(/\s+/g, ' ').trim()])).toEqual([
      ['a', 'a. Trường hợp 1: Dịch vụ du lịch do cộng đồng cung cấp'],
      ['b', 'b. Trường hợp 2: Điểm dịch vụ du lịch'],
    ]);
    const lists = [...c8.querySelectorAll(':scope > .options')];
    expect(lists).toHaveLength(2);
    expect(cases[0].nextElementSibling).toBe(lists[0]);
    expect([...lists[0].querySelectorAll('.points')].map((p) => p.textContent)).toEqual(['1', '3']);
    expect(lists[0].querySelector('.marker')).toHaveAttribute('aria-label', 'Yêu cầu tối thiểu 5 sao');
    expect([...lists[1].querySelectorAll('.opt-text')].map((p) => p.textContent?.trim())).toEqual([
      'Đáp ứng đủ điều kiện kinh doanh',
      'Được công nhận điểm du lịch',
    ]);
  });

  it('draws a directly scored group once, as its criterion', async () => {
    await openTea();
    const group = sheetEl().querySelector('.group[data-group="7"]')!;
    expect(group.querySelector('.group-head')).toBeNull();
    expect(group.querySelectorAll('.criterion')).toHaveLength(1);
    expect(criterion('7')).toHaveClass('direct');
  });

  it('follows the interface language for labels, not for the official text', async () => {
    await openTea();
    lang.set('en');
    await waitFor(() => expect(criterion('1.1').querySelector('.crit-max')).toHaveTextContent('3 points'));
    expect(criterion('2.4').querySelector('.crit-max')).toHaveTextContent('1 point');
    expect(sheetEl().querySelector('.part-title')).toHaveTextContent('Part A: SẢN PHẨM VÀ SỨC MẠNH CỦA CỘNG ĐỒNG');
    expect(screen.getAllByRole('img', { name: 'Minimum requirement for 4 stars' })).toHaveLength(2);
    expect(ownOptions('2.4')[0].querySelector('.inferred-tag')).toHaveTextContent('(inferred)');
    expect(criterion('1.1').querySelector('.crit-title')).toHaveTextContent('Nguồn nguyên liệu');
  });
});

describe('criteria browser: errors', () => {
  it('shows the backend message when a sheet fails, and retries', async () => {
    sheetMock.mockRejectedValueOnce(backendError("Quyết định QD26-2026 không có bộ sản phẩm '11'"));
    await renderReady();
    await userEvent.click(document.querySelector<HTMLButtonElement>('button.set-item[data-code="11"]')!);
    const alert = await within(sheetEl()).findByRole('alert');
    expect(sheetEl().dataset.state).toBe('error');
    expect(alert).toHaveTextContent('Không tải được phiếu đánh giá của bộ sản phẩm số 11.');
    expect(alert).toHaveTextContent("Quyết định QD26-2026 không có bộ sản phẩm '11'");

    await userEvent.click(within(alert).getByRole('button', { name: 'Thử lại' }));
    await waitFor(() => expect(sheetEl().dataset.state).toBe('ready'));
    expect(sheetMock).toHaveBeenCalledTimes(2);
  });

  it('shows an error with retry when the index fails', async () => {
    indexMock.mockRejectedValueOnce(backendError('Lỗi cơ sở dữ liệu: database is locked'));
    render(CriteriaBrowser);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Không tải được danh mục bộ tiêu chí.');
    expect(alert).toHaveTextContent('Lỗi cơ sở dữ liệu: database is locked');
    await userEvent.click(within(alert).getByRole('button', { name: 'Thử lại' }));
    await waitFor(() => expect(setItems()).toHaveLength(4));
  });

  it('explains a missing backend', async () => {
    indexMock.mockRejectedValueOnce(Object.assign(new Error(''), { kind: 'unavailable' }));
    render(CriteriaBrowser);
    expect(await screen.findByRole('alert')).toHaveTextContent('Không kết nối được với phần lõi của ứng dụng.');
  });

  it('shows an empty state when there are no decisions', async () => {
    indexMock.mockResolvedValueOnce({ decisions: [] });
    render(CriteriaBrowser);
    expect(await screen.findByText('Ứng dụng chưa có bộ tiêu chí nào.')).toBeInTheDocument();
  });

  it('ignores a late answer for a set that is no longer open', async () => {
    let resolveFirst: (v: typeof teaSheet) => void = () => {};
    sheetMock.mockImplementationOnce(() => new Promise((r) => (resolveFirst = r)));
    await renderReady();
    await userEvent.click(document.querySelector<HTMLButtonElement>('button.set-item[data-code="07"]')!);
    await userEvent.click(document.querySelector<HTMLButtonElement>('button.set-item[data-code="11"]')!);
    await waitFor(() => expect(sheetEl().dataset.set).toBe('11'));
    resolveFirst({ ...structuredClone(teaSheet), code: '07', no: 7, name: 'Chế biến từ rau, củ, quả, hạt' });
    await new Promise((r) => setTimeout(r, 10));
    expect(sheetEl().dataset.set).toBe('11');
  });
});
