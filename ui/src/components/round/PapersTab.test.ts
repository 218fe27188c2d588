import { cleanup, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  chooseSavePath,
  dossiers,
  issueRecognition,
  office,
  openPaper,
  ownKey,
  paper,
  recognition,
  savePaper,
} from '../../lib/api';
import type { OfficeKey } from '../../lib/bindings/OfficeKey';
import type { OfficeSettings } from '../../lib/bindings/OfficeSettings';
import type { Recognition } from '../../lib/bindings/Recognition';
import { lang } from '../../lib/i18n';
import { todayIso } from '../../lib/papers';
import * as council from '../../test/council';
import PapersTab from './PapersTab.svelte';

vi.mock('../../lib/api', () => ({
  office: vi.fn(),
  dossiers: vi.fn(),
  recognition: vi.fn(),
  issueRecognition: vi.fn(),
  ownKey: vi.fn(),
  paper: vi.fn(),
  openPaper: vi.fn(),
  savePaper: vi.fn(),
  chooseSavePath: vi.fn(),
  // The PDF viewer's own fetch (not used with a `source`).
  attachment: vi.fn(),
}));

const OFFICE: OfficeSettings = {
  province: 'Thanh Hóa',
  place: 'Thanh Hóa',
  people_committee: 'ỦY BAN NHÂN DÂN TỈNH THANH HÓA',
  authority: 'CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH THANH HÓA',
  council_parent: 'UBND TỈNH THANH HÓA',
  council_name: 'HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP TỈNH THANH HÓA',
  standing_body: 'Sở Nông nghiệp và Môi trường',
  decision_symbol: 'QĐ-UBND',
  next_decision_no: 12,
  decision_signer: { sign_for: 'KT. CHỦ TỊCH', title: 'PHÓ CHỦ TỊCH', name: 'Nguyễn Văn An' },
};

const KEY: OfficeKey = {
  id: 'aa11bb22cc33dd44',
  name: 'ỦY BAN NHÂN DÂN TỈNH THANH HÓA',
  public_key: 'ab'.repeat(32),
  fingerprint: 'aa11bb22cc33dd44',
  protected: true,
  created_at: '2026-11-02T08:00:00.000Z',
  created_by: 'Văn thư',
  retired_at: null,
  retired_by: null,
};

const finalised = { ...council.round, status: 'finalised' as const, finalised_at: '2026-11-26T10:00:00Z' };

const ISSUED: Recognition = {
  id: 'rec1',
  round_id: 'r1',
  number: '12/QĐ-UBND',
  date: '2026-12-05',
  signer: OFFICE.decision_signer,
  certificates: [
    {
      id: 'c1',
      number: '001/GCN',
      product_id: 'pr-tea',
      product_name: 'Chè xanh Bình Sơn',
      owner_name: 'Hợp tác xã Chè Bình Sơn',
      star: 4,
      score: 82.5,
      issued_on: '2026-12-05',
      valid_until: '2029-12-05',
      payload: 'OCOP1…',
      qr: 'OCOP2:…',
      revoked_on: null,
    },
  ],
};

function button(cls: string, kind: string): HTMLButtonElement {
  const el = document.querySelector<HTMLButtonElement>(`.${cls}[data-kind="${kind}"]`);
  if (!el) throw new Error(`no .${cls}[data-kind=${kind}]`);
  return el;
}

async function ready(): Promise<void> {
  await waitFor(() => expect(document.querySelector('.paper-open')).not.toBeNull());
}

beforeEach(() => {
  lang.set('vi');
  vi.mocked(office).mockResolvedValue(structuredClone(OFFICE));
  vi.mocked(dossiers).mockResolvedValue(structuredClone(council.dossiers));
  vi.mocked(recognition).mockResolvedValue(null);
  vi.mocked(ownKey).mockResolvedValue(KEY);
  vi.mocked(openPaper).mockResolvedValue('/data/papers/bien-ban.pdf');
  vi.mocked(savePaper).mockImplementation((_p, path) => Promise.resolve(path ?? ''));
  vi.mocked(paper).mockReturnValue(new Promise(() => {}));
});

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe('PapersTab', () => {
  it('opens and saves each paper with its kind; score sheets for one product', async () => {
    const user = userEvent.setup();
    render(PapersTab, { round: council.round });
    await ready();
    expect(document.getElementById('office-notice')).toBeNull();
    expect(recognition).not.toHaveBeenCalled();

    await user.click(button('paper-open', 'minutes'));
    expect(openPaper).toHaveBeenCalledWith({ kind: 'minutes', roundId: 'r1', productId: null, date: null });
    expect(await screen.findByText('Đã mở /data/papers/bien-ban.pdf')).toBeInTheDocument();

    vi.mocked(chooseSavePath).mockResolvedValueOnce('/home/u/bang-tong-hop.xlsx');
    await user.click(button('paper-save', 'summary-xlsx'));
    expect(chooseSavePath).toHaveBeenCalledWith('bang-tong-hop.xlsx', 'xlsx', 'Bảng tính Excel');
    expect(savePaper).toHaveBeenCalledWith(
      { kind: 'summary-xlsx', roundId: 'r1', productId: null, date: null },
      '/home/u/bang-tong-hop.xlsx',
    );
    expect(await screen.findByText('Đã lưu vào /home/u/bang-tong-hop.xlsx')).toBeInTheDocument();

    // A cancelled dialog writes nothing.
    vi.mocked(chooseSavePath).mockResolvedValueOnce(null);
    await user.click(button('paper-save', 'minutes'));
    expect(chooseSavePath).toHaveBeenLastCalledWith('bien-ban.pdf', 'pdf', 'Tệp PDF');
    expect(savePaper).toHaveBeenCalledTimes(1);

    const product = council.dossiers[0].product;
    await user.selectOptions(screen.getByLabelText('Phiếu đánh giá của'), product.id);
    await user.click(button('paper-open', 'sheet'));
    expect(openPaper).toHaveBeenLastCalledWith({ kind: 'sheet', roundId: 'r1', productId: product.id, date: null });
    vi.mocked(chooseSavePath).mockResolvedValueOnce('/tmp/x.pdf');
    await user.click(button('paper-save', 'blank-sheet'));
    expect(vi.mocked(chooseSavePath).mock.calls.at(-1)?.[0]).toMatch(/^phieu-danh-gia-trang-.+\.pdf$/);
    expect(savePaper).toHaveBeenLastCalledWith({ kind: 'blank-sheet', roundId: 'r1', productId: product.id, date: null }, '/tmp/x.pdf');
    // Other papers stay for the whole round.
    await user.click(button('paper-open', 'summary'));
    expect(openPaper).toHaveBeenLastCalledWith({ kind: 'summary', roundId: 'r1', productId: null, date: null });
  });

  it('previews a PDF in the viewer; Excel files have no preview', async () => {
    const user = userEvent.setup();
    render(PapersTab, { round: council.round });
    await ready();
    expect(button('paper-preview', 'summary-xlsx')).toBeDisabled();
    await user.click(button('paper-preview', 'summary'));
    expect(paper).toHaveBeenCalledWith({ kind: 'summary', roundId: 'r1', productId: null, date: null });
    const viewer = await screen.findByRole('dialog');
    expect(viewer).toHaveAttribute('id', 'paper-viewer');
    expect(within(viewer).getByText('Đang mở tệp…')).toBeInTheDocument();
  });

  it('shows the backend refusal of a paper', async () => {
    vi.mocked(openPaper).mockRejectedValue(new Error('chưa khai báo thông tin cơ quan (Cài đặt): tên Hội đồng'));
    const user = userEvent.setup();
    render(PapersTab, { round: council.round });
    await ready();
    await user.click(button('paper-open', 'minutes'));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Không tạo được “Biên bản họp Hội đồng”.');
    expect(alert).toHaveTextContent('tên Hội đồng');
  });

  it('disables the recognition papers before the round is finalised', async () => {
    render(PapersTab, { round: council.round });
    await ready();
    for (const kind of ['decision', 'certificates', 'recognised-xlsx']) {
      expect(button('paper-open', kind)).toBeDisabled();
      expect(button('paper-save', kind)).toBeDisabled();
    }
    expect(button('paper-open', 'summary')).toBeEnabled();
    expect(document.getElementById('recognition-pending')).toBeInTheDocument();
    expect(document.getElementById('issue-recognition')).toBeNull();
  });

  it('links to the settings and disables the papers while the office is incomplete', async () => {
    vi.mocked(office).mockResolvedValue({ ...OFFICE, council_name: '', decision_signer: { ...OFFICE.decision_signer, name: ' ' } });
    render(PapersTab, { round: finalised });
    await ready();
    const notice = document.getElementById('office-notice') as HTMLElement;
    expect(notice).toHaveTextContent('Tên Hội đồng');
    expect(notice).toHaveTextContent('Họ và tên người ký');
    expect(within(notice).getByRole('link', { name: 'Mở Cài đặt cơ quan' })).toHaveAttribute('href', '#/settings');
    for (const el of document.querySelectorAll('.paper-open, .paper-save')) expect(el).toBeDisabled();
    expect(document.getElementById('issue-recognition')).toBeDisabled();
  });

  it('issues the recognition decision of a finalised round, then lists its certificates', async () => {
    vi.mocked(issueRecognition).mockResolvedValue(ISSUED);
    const user = userEvent.setup();
    render(PapersTab, { round: finalised });
    await ready();
    expect(recognition).toHaveBeenCalledWith('r1');
    expect(button('paper-open', 'decision')).toBeDisabled();
    const date = document.getElementById('decision-date') as HTMLInputElement;
    expect(date.value).toBe(todayIso());
    await user.clear(date);
    await user.type(date, '2026-12-05');
    // The office's passphrase opens its signing key: nothing is issued without it.
    const issue = screen.getByRole('button', { name: 'Ban hành quyết định công nhận' });
    expect(issue).toBeDisabled();
    await user.type(screen.getByLabelText('Cụm mật khẩu của cơ quan'), '1234');
    await user.click(issue);
    expect(issueRecognition).toHaveBeenCalledWith('r1', '2026-12-05', '1234');

    const section = document.getElementById('recognition') as HTMLElement;
    await waitFor(() => expect(section).toHaveAttribute('data-issued', 'true'));
    expect(section).toHaveTextContent('Quyết định số 12/QĐ-UBND, ngày 05 tháng 12 năm 2026');
    const row = within(document.getElementById('certificates-table') as HTMLElement).getAllByRole('row')[1];
    expect(row).toHaveTextContent('001/GCN');
    expect(row).toHaveTextContent('Chè xanh Bình Sơn');
    expect(row).toHaveTextContent('Hợp tác xã Chè Bình Sơn');
    expect(row).toHaveTextContent('★★★★');
    expect(row).toHaveTextContent('05/12/2029');

    expect(button('paper-open', 'decision')).toBeEnabled();
    await user.click(button('paper-open', 'certificates'));
    expect(openPaper).toHaveBeenLastCalledWith({ kind: 'certificates', roundId: 'r1', productId: null, date: '2026-12-05' });
  });

  it('shows an issued decision and a refusal to issue', async () => {
    vi.mocked(recognition).mockResolvedValue(ISSUED);
    render(PapersTab, { round: finalised });
    await ready();
    expect(document.getElementById('issue-recognition')).toBeNull();
    expect(document.getElementById('recognition-number')).toHaveTextContent('12/QĐ-UBND');

    cleanup();
    vi.mocked(recognition).mockResolvedValue(null);
    vi.mocked(issueRecognition).mockRejectedValue(new Error('Đợt đánh giá chưa kết thúc.'));
    const user = userEvent.setup();
    render(PapersTab, { round: finalised });
    await ready();
    await user.type(screen.getByLabelText('Cụm mật khẩu của cơ quan'), 'mật khẩu');
    await user.click(screen.getByRole('button', { name: 'Ban hành quyết định công nhận' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Đợt đánh giá chưa kết thúc.');
  });

  it('clears a wrong passphrase to type it again', async () => {
    vi.mocked(issueRecognition).mockRejectedValueOnce({ code: 'office.passphrase_wrong', message: 'Cụm mật khẩu của cơ quan không đúng' });
    vi.mocked(issueRecognition).mockResolvedValue(ISSUED);
    const user = userEvent.setup();
    render(PapersTab, { round: finalised });
    await ready();
    const pass = screen.getByLabelText('Cụm mật khẩu của cơ quan') as HTMLInputElement;
    expect(pass).toHaveAttribute('type', 'password');
    await user.type(pass, '0000');
    await user.click(screen.getByRole('button', { name: 'Ban hành quyết định công nhận' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Cụm mật khẩu của cơ quan không đúng');
    expect(pass.value).toBe('');
    expect(pass).toHaveFocus();
    expect(document.getElementById('recognition')).toHaveAttribute('data-issued', 'false');
    await user.type(pass, '1234{Enter}');
    expect(issueRecognition).toHaveBeenLastCalledWith('r1', todayIso(), '1234');
    await waitFor(() => expect(document.getElementById('recognition')).toHaveAttribute('data-issued', 'true'));
  });

  it('links to the settings while the office has no protected signing key', async () => {
    vi.mocked(ownKey).mockResolvedValue(null);
    render(PapersTab, { round: finalised });
    await ready();
    const notice = document.getElementById('key-notice') as HTMLElement;
    expect(notice).toHaveTextContent('Cơ quan chưa có khóa ký giấy chứng nhận');
    expect(within(notice).getByRole('link', { name: 'Mở Cài đặt cơ quan' })).toHaveAttribute('href', '#/settings');
    expect(screen.getByLabelText('Cụm mật khẩu của cơ quan')).toBeDisabled();
    expect(document.getElementById('issue-recognition')).toBeDisabled();

    cleanup();
    vi.mocked(ownKey).mockResolvedValue({ ...KEY, protected: false });
    render(PapersTab, { round: finalised });
    await ready();
    expect(document.getElementById('key-notice')).toHaveTextContent('chưa được bảo vệ bằng cụm mật khẩu');
  });

  it('shows a loading error with a retry', async () => {
    vi.mocked(office).mockRejectedValueOnce(new Error('CSDL bị khóa'));
    const user = userEvent.setup();
    render(PapersTab, { round: council.round });
    expect(await screen.findByText('CSDL bị khóa')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Thử lại' }));
    await ready();
  });
});
