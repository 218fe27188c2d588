import { cleanup, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { criteriaIndex, office, ownKey, owners, persons, products, rounds } from '../lib/api';
import type { OfficeKey } from '../lib/bindings/OfficeKey';
import type { OfficeSettings } from '../lib/bindings/OfficeSettings';
import type { Owner } from '../lib/bindings/Owner';
import { lang } from '../lib/i18n';
import Rounds from '../screens/Rounds.svelte';
import * as council from '../test/council';
import { index } from '../test/fixtures';
import SetupGuide from './SetupGuide.svelte';

vi.mock('../lib/api', () => ({
  office: vi.fn(),
  ownKey: vi.fn(),
  persons: vi.fn(),
  owners: vi.fn(),
  products: vi.fn(),
  rounds: vi.fn(),
  criteriaIndex: vi.fn(),
}));

const EMPTY_OFFICE: OfficeSettings = {
  province: '',
  place: '',
  people_committee: '',
  authority: '',
  council_parent: '',
  council_name: '',
  standing_body: '',
  decision_symbol: '',
  next_decision_no: 1,
  decision_signer: { sign_for: '', title: '', name: '' },
};

/** The demo province's office, as `ocop demo load` saves it. */
const DEMO_OFFICE: OfficeSettings = {
  province: 'Thanh Hóa',
  place: 'Thanh Hóa',
  people_committee: 'ỦY BAN NHÂN DÂN TỈNH THANH HÓA',
  authority: 'CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH THANH HÓA',
  council_parent: 'UBND TỈNH THANH HÓA',
  council_name: 'HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP TỈNH THANH HÓA',
  standing_body: 'Sở Nông nghiệp và Môi trường',
  decision_symbol: 'QĐ-UBND',
  next_decision_no: 125,
  decision_signer: { sign_for: 'KT. CHỦ TỊCH', title: 'PHÓ CHỦ TỊCH', name: 'Lê Đức Giang' },
};

const owner = { id: 'o1', name: 'Hợp tác xã Chè Bình Sơn' } as Owner;

function guide(): HTMLElement {
  const el = document.getElementById('setup-guide');
  if (!el) throw new Error('#setup-guide is missing');
  return el;
}

function step(id: string): HTMLElement {
  const el = guide().querySelector<HTMLElement>(`li[data-step="${id}"]`);
  if (!el) throw new Error(`step ${id} is missing`);
  return el;
}

/** Lets every pending load settle. */
async function settled(): Promise<void> {
  await waitFor(() => expect(office).toHaveBeenCalled());
  await new Promise((r) => setTimeout(r, 20));
}

/** The demo office's signing key, sealed under its passphrase. */
const PROTECTED_KEY: OfficeKey = {
  id: 'ab12cd34ef56ab12',
  name: 'ỦY BAN NHÂN DÂN TỈNH THANH HÓA',
  public_key: '00'.repeat(32),
  fingerprint: 'ab12cd34ef56ab12',
  protected: true,
  created_at: '2026-11-01T08:00:00Z',
  created_by: 'Dữ liệu mẫu',
  retired_at: null,
  retired_by: null,
};

beforeEach(() => {
  lang.set('vi');
  vi.mocked(office).mockResolvedValue(structuredClone(EMPTY_OFFICE));
  vi.mocked(ownKey).mockResolvedValue(null);
  vi.mocked(persons).mockResolvedValue([]);
  vi.mocked(owners).mockResolvedValue([]);
  vi.mocked(products).mockResolvedValue([]);
  vi.mocked(rounds).mockResolvedValue([]);
  vi.mocked(criteriaIndex).mockResolvedValue(structuredClone(index));
});

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe('setup guide', () => {
  it('guides an empty database through the steps in order, each linked to its screen', async () => {
    render(SetupGuide, { rounds: 0, onnewround: () => {} });
    await waitFor(() => guide());
    expect(screen.getByRole('heading', { name: 'Bắt đầu sử dụng' })).toBeInTheDocument();
    expect(guide()).toHaveTextContent('Đã xong 0/5 bước');
    const steps = [...guide().querySelectorAll<HTMLElement>('li[data-step]')];
    expect(steps.map((s) => [s.dataset.step, s.dataset.done])).toEqual([
      ['office', 'false'],
      ['members', 'false'],
      ['owners', 'false'],
      ['products', 'false'],
      ['round', 'false'],
    ]);
    expect(steps.map((s) => s.querySelector('strong')?.textContent)).toEqual([
      'Thông tin cơ quan và khóa ký',
      'Thành viên Hội đồng',
      'Chủ thể OCOP',
      'Sản phẩm',
      'Đợt đánh giá đầu tiên',
    ]);
    // The first step is the next one, and says what is missing.
    expect(step('office')).toHaveClass('next');
    expect(step('office')).toHaveTextContent('Bước tiếp theo');
    expect(step('office')).toHaveTextContent('Còn thiếu: Tỉnh/thành phố, Địa danh ghi ngày');
    expect(step('members')).toHaveTextContent('Chưa làm');
    expect(within(step('office')).getByRole('link', { name: 'Mở Cài đặt cơ quan' })).toHaveAttribute('href', '#/settings');
    expect(within(step('members')).getByRole('link', { name: 'Mở Thành viên' })).toHaveAttribute('href', '#/members');
    expect(within(step('owners')).getByRole('link', { name: 'Mở Chủ thể' })).toHaveAttribute('href', '#/owners');
    expect(within(step('products')).getByRole('link', { name: 'Mở Sản phẩm' })).toHaveAttribute('href', '#/products');
    expect(within(step('round')).getByRole('button', { name: 'Tạo đợt mới' })).toBeInTheDocument();
  });

  it('marks the steps already done and points at the first one left', async () => {
    vi.mocked(office).mockResolvedValue(structuredClone(DEMO_OFFICE));
    vi.mocked(ownKey).mockResolvedValue(PROTECTED_KEY);
    vi.mocked(persons).mockResolvedValue([structuredClone(council.roster[0].person), { ...council.roster[2].person }]);
    vi.mocked(owners).mockResolvedValue([owner]);
    render(SetupGuide, { rounds: 0, onnewround: () => {} });
    await waitFor(() => expect(guide()).toHaveTextContent('Đã xong 3/5 bước'));
    expect(step('office')).toHaveAttribute('data-done', 'true');
    expect(step('office')).toHaveTextContent('Đã xong');
    expect(step('members')).toHaveTextContent('Đã có 2 người, 1 người có mã PIN.');
    expect(step('owners')).toHaveTextContent('Đã có 1 chủ thể.');
    expect(step('products')).toHaveClass('next');
    expect(step('products')).toHaveAttribute('data-done', 'false');
    expect(step('round')).not.toHaveClass('next');
  });

  it('speaks English', async () => {
    lang.set('en');
    vi.mocked(owners).mockResolvedValue([owner]);
    render(SetupGuide, { rounds: 0, onnewround: () => {} });
    await waitFor(() => guide());
    expect(screen.getByRole('heading', { name: 'Getting started' })).toBeInTheDocument();
    expect(guide()).toHaveTextContent('1 of 5 steps done');
    expect(step('office')).toHaveTextContent('Missing: Province/city');
    expect(step('owners')).toHaveTextContent('1 owner.');
    expect(within(step('members')).getByRole('link', { name: 'Open Members' })).toBeInTheDocument();
    expect(within(step('round')).getByRole('button', { name: 'New round' })).toBeInTheDocument();
  });

  it('opens the new-round form from the last step', async () => {
    const onnewround = vi.fn();
    render(SetupGuide, { rounds: 0, onnewround });
    await waitFor(() => guide());
    await userEvent.click(within(step('round')).getByRole('button', { name: 'Tạo đợt mới' }));
    expect(onnewround).toHaveBeenCalledTimes(1);
  });

  it('is not shown once everything is set up (the demo province)', async () => {
    vi.mocked(office).mockResolvedValue(structuredClone(DEMO_OFFICE));
    vi.mocked(ownKey).mockResolvedValue(PROTECTED_KEY);
    vi.mocked(persons).mockResolvedValue(council.roster.map((m) => structuredClone(m.person)));
    vi.mocked(owners).mockResolvedValue([owner]);
    vi.mocked(products).mockResolvedValue(structuredClone(council.products));
    render(SetupGuide, { rounds: 2, onnewround: () => {} });
    await settled();
    expect(document.getElementById('setup-guide')).toBeNull();
  });

  it('stays out of the way while the rounds load and when its facts cannot be read', async () => {
    const view = render(SetupGuide, { rounds: null, onnewround: () => {} });
    await settled();
    expect(document.getElementById('setup-guide')).toBeNull();
    await view.rerender({ rounds: 0, onnewround: () => {} });
    await waitFor(() => guide());
    cleanup();

    vi.mocked(persons).mockRejectedValue(Object.assign(new Error('Không đọc được cơ sở dữ liệu'), { kind: 'backend' }));
    render(SetupGuide, { rounds: 0, onnewround: () => {} });
    await settled();
    expect(document.getElementById('setup-guide')).toBeNull();
  });
});

describe('the first screen on an empty database', () => {
  it('shows the guide above the empty list, and its last step opens the round form', async () => {
    render(Rounds);
    await waitFor(() => guide());
    expect(await screen.findByText(/Chưa có đợt đánh giá nào/)).toBeInTheDocument();
    expect(document.getElementById('round-form')).toBeNull();
    await userEvent.click(within(step('round')).getByRole('button', { name: 'Tạo đợt mới' }));
    expect(document.getElementById('round-form')).not.toBeNull();
  });

  it('shows no guide on the demo province', async () => {
    vi.mocked(office).mockResolvedValue(structuredClone(DEMO_OFFICE));
    vi.mocked(ownKey).mockResolvedValue(PROTECTED_KEY);
    vi.mocked(persons).mockResolvedValue(council.roster.map((m) => structuredClone(m.person)));
    vi.mocked(owners).mockResolvedValue([owner]);
    vi.mocked(products).mockResolvedValue(structuredClone(council.products));
    vi.mocked(rounds).mockResolvedValue([{ ...council.round, demo: true }]);
    render(Rounds);
    await waitFor(() => expect(document.getElementById('rounds-table')).not.toBeNull());
    await settled();
    expect(document.getElementById('setup-guide')).toBeNull();
  });
});
