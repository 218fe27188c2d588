/**
 * DEVELOPMENT ONLY: the council room's commands for the mock backend (`./backend.ts`). A council of
 * five members and four products, in a room opened for whatever round the screen names. Once open,
 * the members pair one after another (the last one never does, so a card stays), answer a few
 * criteria every two seconds and sign; one product's spread is flagged. `?mock=room-large`: a council
 * of 15 members and 20 products (does the screen still fit?). The QR codes are drawings that only
 * look like QR codes: scan the real ones in the desktop app.
 */
import type { BoardMember } from '../bindings/BoardMember';
import type { BoardPairing } from '../bindings/BoardPairing';
import type { Role } from '../bindings/Role';
import type { RoomBoard } from '../bindings/RoomBoard';
import type { RoomInfo } from '../bindings/RoomInfo';
import type { RoomMemberLink } from '../bindings/RoomMemberLink';

type Args = Record<string, unknown>;

const FIVE: { id: string; name: string; role: Role; device: string }[] = [
  { id: 'm-chair', name: 'Lê Thị Hồng Nhung', role: 'chair', device: 'iPad · Safari' },
  { id: 'm-vice', name: 'Trần Văn Đức', role: 'vice_chair', device: 'Android · Chrome' },
  { id: 'm-1', name: 'Phạm Minh Châu', role: 'member', device: 'Android · Chrome' },
  { id: 'm-2', name: 'Nguyễn Quốc Huy', role: 'member', device: 'iPhone · Safari' },
  { id: 'm-3', name: 'Hoàng Thu Trang', role: 'member', device: 'Android · Samsung Internet' },
];
const FOUR = [
  { id: 'p-che', name: 'Chè xanh Bình Sơn', total: 30 },
  { id: 'p-mat-ong', name: 'Mật ong rừng Như Xuân', total: 28 },
  { id: 'p-nem', name: 'Nem chua Thanh Hóa', total: 31 },
  { id: 'p-mam', name: 'Nước mắm Ba Làng', total: 29 },
];
const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ'];
const GIVEN = ['Văn An', 'Thị Bình', 'Minh Cường', 'Thu Dung', 'Quang Hải', 'Thị Lan', 'Đức Long', 'Ngọc Mai', 'Văn Nam', 'Thị Oanh'];
const GOODS = ['Chè', 'Mật ong', 'Nem chua', 'Nước mắm', 'Gạo', 'Bưởi', 'Miến dong', 'Rượu', 'Tinh dầu', 'Bánh gai'];
const PLACES = ['Bình Sơn', 'Như Xuân', 'Hoằng Hóa', 'Ba Làng', 'Thọ Xuân', 'Ngọc Lặc'];
let MEMBERS = FIVE;
let PRODUCTS = FOUR;

/** The council of `?mock=room-large`: 15 members, 20 products (names long enough to wrap). */
function large(): void {
  MEMBERS = Array.from({ length: 15 }, (_, i) => ({
    id: `m-${i}`,
    name: `${SURNAMES[i % 10]} ${GIVEN[(i * 3 + Math.floor(i / 10)) % 10]}`,
    role: i === 0 ? 'chair' : i === 1 ? 'vice_chair' : i === 14 ? 'secretary' : 'member',
    device: FIVE[i % 5].device,
  }));
  PRODUCTS = Array.from({ length: 20 }, (_, i) => ({
    id: `p-${i}`,
    name: `${GOODS[i % 10]} ${PLACES[i % 6]}${i >= 10 ? ' loại đặc biệt' : ''}`,
    total: 26 + (i % 6),
  }));
}

/** The chair is recused from the fish sauce (a relative makes it). */
const RECUSED = new Set(['m-chair/p-mam', 'm-0/p-3']);

/** When the simulation pairs member `i`'s device, in ms after opening. */
const pairDelay = (i: number): number => 3000 + (MEMBERS.length > 5 ? 1500 : 5000) * i;
const FINGERPRINT = '3f9a0c6e1b7d42a8e5c09d1f6b2a7e4c8d0f3a9b5e1c7d2f4a6b8c0e2d4f6a8b';
const BASE = 'https://192.168.1.20:8443';

interface Slot {
  link: { code: string; token: string } | null;
  pairing: BoardPairing | null;
  /** When the simulation pairs the member's device (ms after opening); null: never on its own. */
  pairsAt: number | null;
}

let room: { id: string; roundId: string; openedAt: number; open: boolean; slots: Map<string, Slot> } | null = null;
let serial = 0;

function fail(code: string, message: string): never {
  throw { code, message, params: {} };
}

function localTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

function newLink(): { code: string; token: string } {
  serial += 1;
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let code = '';
  for (let i = 0; i < 8; i++) code += alphabet[(serial * 7919 + i * 104729 + Math.floor(Math.random() * 32)) % 32];
  return { code: `${code.slice(0, 4)}-${code.slice(4)}`, token: `mock${serial}${Math.random().toString(36).slice(2)}` };
}

/** A drawing that looks like a QR code (three finder squares and a pattern from the text). */
function fakeQr(text: string): string {
  const n = 29;
  let h = 2166136261;
  const cells: string[] = [];
  const finder = (x: number, y: number): boolean | null => {
    for (const [fx, fy] of [[0, 0], [n - 7, 0], [0, n - 7]]) {
      if (x >= fx && x < fx + 7 && y >= fy && y < fy + 7) {
        const dx = Math.min(x - fx, fx + 6 - x);
        const dy = Math.min(y - fy, fy + 6 - y);
        return Math.min(dx, dy) !== 1;
      }
    }
    return null;
  };
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      h = Math.imul(h ^ text.charCodeAt((x + y * n) % text.length), 16777619) >>> 0;
      const f = finder(x, y);
      if (f ?? (h & 8) !== 0) cells.push(`M${x + 4} ${y + 4}h1v1h-1z`);
    }
  }
  const size = n + 8;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="220" height="220" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges"><rect width="${size}" height="${size}" fill="#fff"/><path fill="#000" d="${cells.join('')}"/></svg>`;
}

function linkOf(id: string, slot: Slot): RoomMemberLink | null {
  const m = MEMBERS.find((x) => x.id === id);
  if (!m || !slot.link) return null;
  const url = `${BASE}/member.html#pair=${slot.link.token}&fp=${FINGERPRINT}`;
  return { member: m.id, name: m.name, role: m.role, url, code: slot.link.code, qr_svg: fakeQr(url) };
}

function open(): NonNullable<typeof room> {
  if (!room) fail('room.not_open', 'Chưa mở phòng chấm');
  return room;
}

/** The simulation's devices pair and touch the room as time passes. */
function advance(r: NonNullable<typeof room>, now: number): void {
  if (!r.open) return;
  for (const [id, slot] of r.slots) {
    if (slot.pairsAt !== null && slot.link && now - r.openedAt >= slot.pairsAt) {
      serial += 1;
      const at = localTime(now);
      const device = MEMBERS.find((m) => m.id === id)?.device ?? 'thiết bị';
      slot.pairing = { pairing_id: `pair-${serial}`, device, paired_at: at, last_contact: at };
      slot.link = null;
      slot.pairsAt = null;
    }
    // One device goes quiet after a while (a phone that slept), the others keep in touch.
    if (slot.pairing && id !== 'm-2') slot.pairing.last_contact = localTime(now - (now % 3000));
  }
}

function info(r: NonNullable<typeof room>): RoomInfo {
  return {
    format: 1,
    room_id: r.id,
    round: { id: r.roundId, name: 'Đợt đánh giá cấp tỉnh (mô phỏng)', status: 'scoring' },
    url: `${BASE}/`,
    fingerprint: FINGERPRINT,
    members: [...r.slots].flatMap(([id, s]) => linkOf(id, s) ?? []),
  };
}

function board(r: NonNullable<typeof room>, now: number): RoomBoard {
  advance(r, now);
  const elapsed = (now - r.openedAt) / 1000;
  const members: BoardMember[] = MEMBERS.map((m, i) => {
    const slot = r.slots.get(m.id) as Slot;
    const pairedFor = slot.pairing ? Math.max(0, elapsed - pairDelay(i) / 1000) : 0;
    return {
      member: { id: m.id, name: m.name, role: m.role },
      pairing: slot.pairing,
      link_waiting: slot.link !== null,
      cells: PRODUCTS.map((p, j) => {
        const recused = RECUSED.has(`${m.id}/${p.id}`);
        // A criterion and a half a second from the device's pairing, a product after another;
        // signed six seconds after its last answer.
        const progress = recused || !slot.pairing ? 0 : Math.floor(pairedFor * 1.5) - j * 12;
        const answered = Math.max(0, Math.min(p.total, progress));
        return {
          product_id: p.id,
          recused,
          answered,
          total: answered > 0 ? p.total : 0,
          status: answered === 0 ? null : progress >= p.total + 9 ? 'signed' : 'open',
        };
      }),
    };
  });
  return {
    format: 1,
    room_id: r.id,
    round: info(r).round,
    url: `${BASE}/`,
    fingerprint: FINGERPRINT,
    open: r.open,
    products: PRODUCTS.map((p) => {
      const cells = members.map((m) => m.cells.find((c) => c.product_id === p.id));
      return {
        id: p.id,
        name: p.name,
        spread_flag: (p.id === 'p-nem' || p.id === 'p-2') && cells.filter((c) => c && c.answered === p.total).length >= 2,
        signed: cells.filter((c) => c?.status === 'signed').length,
        expected: cells.filter((c) => c && !c.recused).length,
      };
    }),
    members,
    wrong_codes: elapsed > 20 ? 2 : 0,
    codes_locked: false,
  };
}

/** Answers a council room command, or returns `undefined` when `command` is not one of them. */
export function roomCommand(command: string, args: Args, variant = ''): unknown {
  const now = Date.now();
  if (variant === 'room-large' && MEMBERS === FIVE) large();
  switch (command) {
    case 'room_open': {
      if (room?.open) fail('room.already_open', 'Phòng chấm đang mở; đóng phòng trước khi mở lại');
      if (args.port === 80) fail('room.bind_failed', 'Không mở được cổng 0.0.0.0:80: cần quyền quản trị (mô phỏng)');
      serial += 1;
      room = {
        id: `room-${serial}`,
        roundId: String(args.roundId ?? ''),
        openedAt: now,
        open: true,
        slots: new Map(
          MEMBERS.map((m, i) => [m.id, { link: newLink(), pairing: null, pairsAt: i < MEMBERS.length - 1 ? pairDelay(i) : null }]),
        ),
      };
      return info(room);
    }
    case 'room_info':
      return room?.open ? info(room) : null;
    case 'room_board':
      return room ? board(room, now) : null;
    case 'room_reissue': {
      const r = open();
      if (!r.open) fail('room.closed', 'Phòng chấm đã đóng; mọi mã ghép đã hết hiệu lực');
      const slot = r.slots.get(String(args.memberId)) ?? fail('room.not_a_member', 'Không có trong danh sách chấm');
      slot.link = newLink();
      slot.pairsAt = null;
      return linkOf(String(args.memberId), slot);
    }
    case 'room_revoke': {
      const r = open();
      const slot = [...r.slots.values()].find((s) => s.pairing?.pairing_id === args.pairingId);
      if (!slot) fail('room.not_in_room', 'Không có việc ghép thiết bị này trong đợt của phòng chấm');
      slot.pairing = null;
      return board(r, now);
    }
    case 'room_close': {
      open().open = false;
      room = null;
      return null;
    }
    default:
      return undefined;
  }
}
