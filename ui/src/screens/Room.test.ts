import { cleanup, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, round, roomBoard, roomClose, roomInfo, roomOpen, roomReissue, roomRevoke } from '../lib/api';
import type { RoomBoard } from '../lib/bindings/RoomBoard';
import type { RoomInfo } from '../lib/bindings/RoomInfo';
import type { Round } from '../lib/bindings/Round';
import { lang } from '../lib/i18n';
import Room from './Room.svelte';

vi.mock('../lib/api', async (orig) => ({
  ApiError: ((await orig()) as { ApiError: unknown }).ApiError,
  round: vi.fn(),
  roomBoard: vi.fn(),
  roomClose: vi.fn(),
  roomInfo: vi.fn(),
  roomOpen: vi.fn(),
  roomReissue: vi.fn(),
  roomRevoke: vi.fn(),
}));

const FP = '3f9a0c6e1b7d42a8e5c09d1f6b2a7e4c8d0f3a9b5e1c7d2f4a6b8c0e2d4f6a8b';
const ROOM_ROUND = { id: 'r1', name: 'Đợt đánh giá cấp tỉnh 2026', status: 'scoring' as const };

/** The hub's local time `seconds` ago (`YYYY-MM-DDTHH:MM:SS`). */
function localAgo(seconds: number): string {
  const d = new Date(Date.now() - seconds * 1000);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

const info: RoomInfo = {
  format: 1,
  room_id: 'room-1',
  round: ROOM_ROUND,
  url: 'https://192.168.1.20:8443/',
  fingerprint: FP,
  members: [
    {
      member: 'p-huy',
      name: 'Nguyễn Quốc Huy',
      role: 'member',
      url: 'https://192.168.1.20:8443/member.html#pair=tok-huy&fp=' + FP,
      code: 'K7QM-3XPA',
      qr_svg: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" data-qr="huy"><rect width="10" height="10"/></svg>',
    },
  ],
};

function board(over: Partial<RoomBoard> = {}): RoomBoard {
  return {
    format: 1,
    room_id: 'room-1',
    round: ROOM_ROUND,
    url: info.url,
    fingerprint: FP,
    open: true,
    products: [
      { id: 'p-che', name: 'Chè xanh Bình Sơn', spread_flag: false, signed: 1, expected: 2 },
      { id: 'p-nem', name: 'Nem chua Thanh Hóa', spread_flag: true, signed: 0, expected: 1 },
    ],
    members: [
      {
        member: { id: 'p-nhung', name: 'Lê Thị Hồng Nhung', role: 'chair' },
        pairing: { pairing_id: 'pair-42', device: 'iPad · Safari', paired_at: localAgo(600), last_contact: localAgo(5) },
        link_waiting: false,
        cells: [
          { product_id: 'p-che', recused: false, answered: 30, total: 30, status: 'signed' },
          { product_id: 'p-nem', recused: true, answered: 0, total: 0, status: null },
        ],
      },
      {
        member: { id: 'p-huy', name: 'Nguyễn Quốc Huy', role: 'member' },
        pairing: null,
        link_waiting: true,
        cells: [
          { product_id: 'p-che', recused: false, answered: 12, total: 30, status: 'open' },
          { product_id: 'p-nem', recused: false, answered: 0, total: 0, status: null },
        ],
      },
    ],
    wrong_codes: 0,
    codes_locked: false,
    ...over,
  };
}

const scoringRound = { id: 'r1', name: 'Đợt đánh giá cấp tỉnh 2026', status: 'scoring' } as Round;

beforeEach(() => {
  vi.mocked(round).mockResolvedValue(scoringRound);
});

afterEach(() => {
  cleanup();
  vi.resetAllMocks();
  vi.useRealTimers();
  lang.set('vi');
});

function openRoom(b: RoomBoard = board()): void {
  vi.mocked(roomInfo).mockResolvedValue(info);
  vi.mocked(roomBoard).mockResolvedValue(b);
}

describe('Room', () => {
  it('explains the room and opens it on the chosen port', async () => {
    vi.mocked(roomInfo).mockResolvedValueOnce(null);
    vi.mocked(roomBoard).mockResolvedValueOnce(null);
    vi.mocked(roomOpen).mockResolvedValue(info);
    render(Room, { params: ['r1'] });
    const form = await screen.findByRole('button', { name: 'Mở phòng chấm' });
    expect(document.getElementById('room-open-form')).toHaveTextContent(/điện thoại hoặc máy tính bảng.*không cần Internet/);
    const port = document.querySelector('input[name=port]') as HTMLInputElement;
    expect(port.value).toBe('8443');
    await userEvent.clear(port);
    await userEvent.type(port, '70000');
    await userEvent.click(form);
    expect(await screen.findByRole('alert')).toHaveTextContent('Cổng phải là một số từ 1 đến 65535');
    expect(roomOpen).not.toHaveBeenCalled();
    await userEvent.clear(port);
    await userEvent.type(port, '9443');
    vi.mocked(roomBoard).mockResolvedValue(board());
    await userEvent.click(form);
    await waitFor(() => expect(roomOpen).toHaveBeenCalledWith('r1', 9443));
    expect(await screen.findByText('K7QM-3XPA')).toBeInTheDocument();
  });

  it("shows the hub's refusal to open", async () => {
    vi.mocked(roomInfo).mockResolvedValue(null);
    vi.mocked(roomBoard).mockResolvedValue(null);
    vi.mocked(roomOpen).mockRejectedValue(
      new ApiError('backend', 'room_open', 'Không mở được cổng 0.0.0.0:8443: Address in use', 'room.bind_failed', {
        addr: '0.0.0.0:8443',
        reason: 'Address in use',
      }),
    );
    render(Room, { params: ['r1'] });
    await userEvent.click(await screen.findByRole('button', { name: 'Mở phòng chấm' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Không mở được cổng 0.0.0.0:8443: Address in use');
    expect(document.getElementById('room-open-form')).not.toBeNull();
  });

  it('offers no opening for a round that is not scoring', async () => {
    vi.mocked(round).mockResolvedValue({ ...scoringRound, status: 'finalised' });
    vi.mocked(roomInfo).mockResolvedValue(null);
    vi.mocked(roomBoard).mockResolvedValue(null);
    render(Room, { params: ['r1'] });
    expect(await screen.findByText(/chỉ mở được phòng chấm khi đợt đang chấm/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Mở phòng chấm' })).toBeDisabled();
  });

  it('shows the address, the fingerprint in groups, and a card with the QR and code per waiting member', async () => {
    openRoom();
    render(Room, { params: ['r1'] });
    const card = await waitFor(() => {
      const c = document.querySelector<HTMLElement>('#room-cards li[data-member="p-huy"]');
      expect(c).not.toBeNull();
      return c as HTMLElement;
    });
    expect(document.getElementById('room-url')).toHaveTextContent('https://192.168.1.20:8443/');
    const groups = [...document.querySelectorAll('#room-fingerprint span')].map((s) => s.textContent);
    expect(groups).toHaveLength(16);
    expect(groups.slice(0, 2)).toEqual(['3f9a', '0c6e']);
    expect(card).toHaveTextContent('Nguyễn Quốc Huy');
    expect(card).toHaveTextContent('Ủy viên');
    expect(card).toHaveTextContent('K7QM-3XPA');
    expect(card.querySelector('.qr svg[data-qr="huy"]')).not.toBeNull();
    expect(within(card).getByRole('img', { name: 'Mã QR ghép thiết bị của Nguyễn Quốc Huy' })).toBeInTheDocument();
    // The paired chair has no card.
    expect(document.querySelectorAll('#room-cards li')).toHaveLength(1);
  });

  it('copies a member link', async () => {
    openRoom();
    const user = userEvent.setup();
    const write = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue();
    render(Room, { params: ['r1'] });
    const copy = await screen.findByRole('button', { name: 'Sao chép liên kết' });
    await user.click(copy);
    expect(write).toHaveBeenCalledWith(info.members[0].url);
    expect(await screen.findByRole('button', { name: 'Đã sao chép' })).toBeInTheDocument();
  });

  it("draws the board: each cell answered/total, ✓ signed, — recused, each device's last contact, spread and signed per product", async () => {
    openRoom(board({ wrong_codes: 3 }));
    render(Room, { params: ['r1'] });
    const chair = await waitFor(() => {
      const r = document.querySelector<HTMLElement>('#room-board tr[data-member="p-nhung"]');
      expect(r).not.toBeNull();
      return r as HTMLElement;
    });
    expect(chair.querySelector('td[data-product="p-che"]')).toHaveTextContent(/^30\/30✓$/);
    expect(chair.querySelector('td[data-product="p-che"]')).toHaveClass('signed');
    expect(chair.querySelector('td[data-product="p-nem"]')).toHaveTextContent('—');
    expect(chair).toHaveTextContent('iPad · Safari');
    expect(chair.querySelector('[data-contact]')?.textContent).toMatch(/^liên lạc [5-7] giây trước$/);
    const huy = document.querySelector('#room-board tr[data-member="p-huy"]') as HTMLElement;
    expect(huy.querySelector('td[data-product="p-che"]')).toHaveTextContent(/^12\/30$/);
    expect(huy.querySelector('td[data-product="p-che"]')).not.toHaveClass('signed');
    expect(huy).toHaveTextContent('Đang chờ ghép');
    expect(huy.querySelector('button[data-action="revoke"]')).toBeNull();
    expect(document.querySelector('#room-board th[data-product="p-nem"] [data-spread]')).toHaveTextContent('Chênh lệch lớn');
    expect(document.querySelector('#room-board th[data-product="p-che"] [data-spread]')).toBeNull();
    expect(document.querySelector('#room-board tfoot td[data-product="p-che"]')).toHaveTextContent('1/2');
    expect(document.getElementById('room-wrong-codes')).toHaveTextContent('Mã nhập sai trong phút vừa qua: 3.');
    expect(document.getElementById('room-codes-locked')).toBeNull();
  });

  it('says when typed codes are locked', async () => {
    openRoom(board({ wrong_codes: 0, codes_locked: true }));
    render(Room, { params: ['r1'] });
    expect(await screen.findByText(/phòng tạm không nhận mã ngắn trong một phút/)).toBeInTheDocument();
  });

  it('revokes a device with its pairing id, only once confirmed', async () => {
    openRoom();
    const after = board();
    after.members[0] = { ...after.members[0], pairing: null };
    vi.mocked(roomRevoke).mockResolvedValue(after);
    render(Room, { params: ['r1'] });
    const revoke = await screen.findByRole('button', { name: 'Thu hồi' });
    await userEvent.click(revoke);
    const dialog = await screen.findByRole('dialog', { name: 'Thu hồi thiết bị của Lê Thị Hồng Nhung?' });
    expect(dialog).toHaveTextContent('iPad · Safari');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Hủy' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(roomRevoke).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Thu hồi' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Thu hồi thiết bị' }));
    await waitFor(() => expect(roomRevoke).toHaveBeenCalledWith('pair-42'));
    expect(await screen.findByText('Đã thu hồi thiết bị của Lê Thị Hồng Nhung.')).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.querySelector('#room-board tr[data-member="p-nhung"]')).toHaveTextContent('Chưa ghép thiết bị');
  });

  it('issues a new code for a member and shows it on their card', async () => {
    openRoom();
    vi.mocked(roomReissue).mockResolvedValue({ ...info.members[0], code: 'Z9Z9-Z9Z9' });
    render(Room, { params: ['r1'] });
    const card = await waitFor(() => {
      const c = document.querySelector<HTMLElement>('#room-cards li[data-member="p-huy"]');
      expect(c).not.toBeNull();
      return c as HTMLElement;
    });
    await userEvent.click(within(card).getByRole('button', { name: 'Cấp mã mới' }));
    await waitFor(() => expect(roomReissue).toHaveBeenCalledWith('p-huy'));
    expect(await screen.findByText('Z9Z9-Z9Z9')).toBeInTheDocument();
    expect(screen.queryByText('K7QM-3XPA')).toBeNull();
  });

  it('closes the room only once confirmed, then leads back to the round', async () => {
    openRoom();
    vi.mocked(roomClose).mockResolvedValue();
    render(Room, { params: ['r1'] });
    await userEvent.click(await screen.findByRole('button', { name: 'Đóng phòng chấm' }));
    const dialog = await screen.findByRole('dialog', { name: 'Đóng phòng chấm?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Hủy' }));
    expect(roomClose).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Đóng phòng chấm' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Đóng phòng' }));
    await waitFor(() => expect(roomClose).toHaveBeenCalledTimes(1));
    expect(await screen.findByText('Phòng chấm đã đóng.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Về đợt đánh giá để chốt kết quả' })).toHaveAttribute('href', '#/round/r1/results');
    expect(document.getElementById('room-cards')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Thu hồi' })).toBeNull();
  });

  it('says so when a room is open for another round', async () => {
    vi.mocked(roomInfo).mockResolvedValue({ ...info, round: { id: 'r9', name: 'Đợt cấp huyện', status: 'scoring' } });
    vi.mocked(roomBoard).mockResolvedValue(null);
    render(Room, { params: ['r1'] });
    expect(await screen.findByText(/Phòng chấm đang mở cho đợt “Đợt cấp huyện”/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Đến phòng chấm đang mở' })).toHaveAttribute('href', '#/room/r9');
    expect(screen.queryByRole('button', { name: 'Mở phòng chấm' })).toBeNull();
  });

  it('asks for the board every 2 seconds, shows the room closed by the round’s finalisation, and stops when left', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    openRoom();
    const { unmount } = render(Room, { params: ['r1'] });
    await screen.findByText('K7QM-3XPA');
    const first = vi.mocked(roomBoard).mock.calls.length;
    await vi.advanceTimersByTimeAsync(2000);
    expect(vi.mocked(roomBoard).mock.calls.length).toBe(first + 1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(vi.mocked(roomBoard).mock.calls.length).toBe(first + 2);
    vi.mocked(roomBoard).mockResolvedValue(board({ open: false }));
    await vi.advanceTimersByTimeAsync(2000);
    expect(await screen.findByText('Phòng chấm đã đóng.')).toBeInTheDocument();
    unmount();
    const calls = vi.mocked(roomBoard).mock.calls.length;
    await vi.advanceTimersByTimeAsync(6000);
    expect(vi.mocked(roomBoard).mock.calls.length).toBe(calls);
  });
});
