/**
 * DEVELOPMENT ONLY: the registry, plan, dashboard and re-recognition commands for the mock backend
 * (`./backend.ts`). A small province: a few certificates of each status, dated from today so the
 * statuses and the "due within 30 days" list stay true, a 2025 plan, and two applications.
 */
import type { Dashboard } from '../bindings/Dashboard';
import type { Locality } from '../bindings/Locality';
import type { LocalityLevel } from '../bindings/LocalityLevel';
import type { OwnerKind } from '../bindings/OwnerKind';
import type { Person } from '../bindings/Person';
import type { PlanImportPlan } from '../bindings/PlanImportPlan';
import type { PlanRow } from '../bindings/PlanRow';
import type { PlanTarget } from '../bindings/PlanTarget';
import type { RegistryDue } from '../bindings/RegistryDue';
import type { RegistryEntry } from '../bindings/RegistryEntry';
import type { RegistryFilter } from '../bindings/RegistryFilter';
import type { RegistryPage } from '../bindings/RegistryPage';
import type { RegistryStatus } from '../bindings/RegistryStatus';
import type { Renewal } from '../bindings/Renewal';
import type { RenewalInput } from '../bindings/RenewalInput';
import type { Revocation } from '../bindings/Revocation';
import type { RevocationInput } from '../bindings/RevocationInput';
import type { Round } from '../bindings/Round';
import { todayIso } from '../format';
import { daysBetween, revocationAuthority, revocationLate } from '../registry';
import { fold } from '../text';

type Args = Record<string, unknown>;

/** ts-rs types Rust's i64 as bigint; the JSON the backend sends holds a number. */
const big = (n: number): bigint => n as unknown as bigint;

function addDays(iso: string, days: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return t.toISOString().slice(0, 10);
}

const TODAY = todayIso();

function statusOn(e: { valid_until: string; revoked: boolean; superseded: boolean }): { status: RegistryStatus; days: number } {
  const days = daysBetween(TODAY, e.valid_until) ?? 0;
  if (e.superseded) return { status: 'superseded', days };
  if (e.revoked) return { status: 'revoked', days };
  if (days < 0) return { status: 'expired', days };
  if (days < 120) return { status: 'window_missed', days };
  if (days <= 180) return { status: 'window_open', days };
  return { status: 'valid', days };
}

interface Seed {
  product: string;
  owner: string;
  kind: OwnerKind;
  commune: string;
  district: string;
  set: string;
  star: number;
  /** Days from today to the last valid day. */
  left: number;
  imported?: boolean;
  revoked?: boolean;
  superseded?: boolean;
}

const SEEDS: Seed[] = [
  { product: 'Chiếu cói Nga Sơn', owner: 'HTX Cói Nga Tân', kind: 'htx', commune: 'Xã Nga Tân', district: 'Huyện Nga Sơn', set: '21', star: 4, left: 610 },
  { product: 'Nước mắm Ba Làng', owner: 'Công ty TNHH Hải sản Ba Làng', kind: 'dn', commune: 'Phường Hải Thanh', district: 'Thị xã Nghi Sơn', set: '08', star: 4, left: 420 },
  { product: 'Nem chua Thanh Hóa', owner: 'Hộ kinh doanh Lê Thị Hoa', kind: 'hkd', commune: 'Phường Đông Sơn', district: 'Thành phố Thanh Hóa', set: '07', star: 3, left: 900 },
  { product: 'Mật ong rừng Bá Thước', owner: 'Tổ hợp tác Ong mật Lũng Niêm', kind: 'tht', commune: 'Xã Lũng Niêm', district: 'Huyện Bá Thước', set: '11', star: 3, left: 205 },
  { product: 'Bánh gai Tứ Trụ', owner: 'HTX Bánh gai Tứ Trụ', kind: 'htx', commune: 'Xã Thọ Diên', district: 'Huyện Thọ Xuân', set: '05', star: 4, left: 165 },
  { product: 'Chè Lam Phủ Quảng', owner: 'Hộ sản xuất Nguyễn Văn Tâm', kind: 'hkd', commune: 'Xã Vĩnh Hòa', district: 'Huyện Vĩnh Lộc', set: '05', star: 3, left: 126 },
  { product: 'Gạo nếp cái hoa vàng', owner: 'HTX Nông nghiệp Thiệu Nguyên', kind: 'htx', commune: 'Xã Thiệu Nguyên', district: 'Huyện Thiệu Hóa', set: '01', star: 3, left: 140, imported: true },
  { product: 'Rượu men lá Cẩm Thủy', owner: 'Trang trại Phạm Văn Đức', kind: 'trang_trai', commune: 'Xã Cẩm Tú', district: 'Huyện Cẩm Thủy', set: '13', star: 3, left: 95 },
  { product: 'Dầu lạc ép Hoằng Hóa', owner: 'HTX Dịch vụ Hoằng Đạo', kind: 'htx', commune: 'Xã Hoằng Đạo', district: 'Huyện Hoằng Hóa', set: '04', star: 3, left: 40 },
  { product: 'Bánh đa cá rô Thanh Thủy', owner: 'Hộ kinh doanh Trịnh Thị Lan', kind: 'hkd', commune: 'Xã Thanh Thủy', district: 'Huyện Tĩnh Gia', set: '05', star: 3, left: -30, imported: true },
  { product: 'Tương Ngọc Lặc', owner: 'Tổ hợp tác Tương Minh Sơn', kind: 'tht', commune: 'Xã Minh Sơn', district: 'Huyện Ngọc Lặc', set: '08', star: 3, left: -210 },
  { product: 'Sữa bò tươi Yên Định', owner: 'Công ty CP Sữa Thống Nhất', kind: 'dn', commune: 'Xã Yên Trường', district: 'Huyện Yên Định', set: '02', star: 4, left: 500, revoked: true },
  { product: 'Thịt chua Thường Xuân', owner: 'HTX Thịt chua Luận Thành', kind: 'htx', commune: 'Xã Luận Thành', district: 'Huyện Thường Xuân', set: '07', star: 3, left: 300, revoked: true },
  { product: 'Chiếu cói Nga Sơn (3 sao)', owner: 'HTX Cói Nga Tân', kind: 'htx', commune: 'Xã Nga Tân', district: 'Huyện Nga Sơn', set: '21', star: 3, left: 80, superseded: true },
  { product: 'Trà hoa vàng Như Xuân', owner: 'Công ty TNHH Dược liệu Như Xuân', kind: 'dn', commune: 'Xã Xuân Hòa', district: 'Huyện Như Xuân', set: '16', star: 5, left: 780 },
  { product: 'Cá thu một nắng Sầm Sơn', owner: 'Hộ kinh doanh Đỗ Văn Hải', kind: 'hkd', commune: 'Phường Trường Sơn', district: 'Thành phố Sầm Sơn', set: '08', star: 3, left: 188 },
];

const SET_NAMES: Record<string, string> = {
  '01': 'Gạo và ngũ cốc',
  '02': 'Sữa và sản phẩm từ sữa',
  '04': 'Dầu thực vật',
  '05': 'Bánh, kẹo, mứt',
  '07': 'Thực phẩm chế biến từ thịt',
  '08': 'Thủy sản chế biến, gia vị',
  '11': 'Mật ong và sản phẩm từ mật ong',
  '13': 'Rượu',
  '16': 'Trà và sản phẩm từ trà',
  '21': 'Thủ công mỹ nghệ',
};

let entries: RegistryEntry[] | null = null;
let revocationList: Revocation[] = [];
let renewalList: Renewal[] = [];
let localityList: Locality[] = [];
let targets: PlanTarget[] = [];

const PERSONS: Person[] = [
  { id: 'p1', full_name: 'Lê Văn Minh', title: 'Phó Giám đốc Sở Nông nghiệp và Môi trường', unit: 'Sở Nông nghiệp và Môi trường', has_pin: true },
  { id: 'p2', full_name: 'Nguyễn Thị Thu Hà', title: 'Trưởng phòng Phát triển nông thôn', unit: 'Sở Nông nghiệp và Môi trường', has_pin: true },
  { id: 'p3', full_name: 'Trần Quốc Bảo', title: 'Phó Chi cục trưởng', unit: 'Chi cục Quản lý chất lượng', has_pin: false },
  { id: 'p4', full_name: 'Phạm Thị Ngọc Ánh', title: 'Chuyên viên', unit: 'Sở Công Thương', has_pin: false },
  { id: 'p5', full_name: 'Hoàng Đức Thắng', title: 'Chuyên viên', unit: 'Sở Khoa học và Công nghệ', has_pin: false },
];

const ROUNDS: Round[] = [
  {
    id: 'round-2026-2',
    name: 'Đợt 2 năm 2026 (cấp tỉnh)',
    level: 'province',
    decision_id: 'QD26-2026',
    procedure: '26-province',
    date: addDays(TODAY, 20),
    place: 'Sở Nông nghiệp và Môi trường',
    status: 'draft',
    rules: {} as Round['rules'],
    demo: true,
    finalised_at: null,
    member_count: 0,
    product_count: 0,
  },
];

function entryOf(s: Seed, i: number): RegistryEntry {
  const validUntil = addDays(TODAY, s.left);
  const decisionDate = addDays(validUntil, -(3 * 365 + 1));
  const year = Number(decisionDate.slice(0, 4));
  const { status, days } = statusOn({ valid_until: validUntil, revoked: !!s.revoked, superseded: !!s.superseded });
  const id = `entry-${String(i + 1).padStart(2, '0')}`;
  return {
    id,
    product_id: `product-${i + 1}`,
    product: s.product,
    product_code: `38-${16000 + i * 7}-${String(i + 1).padStart(3, '0')}-${year}`,
    owner_id: `owner-${i + 1}`,
    owner: s.owner,
    owner_kind: s.kind,
    commune: s.commune,
    district: s.district,
    decision_id: 'QD148-2023',
    set_code: s.set,
    star: s.star,
    certificate_no: s.imported && i % 2 === 1 ? '' : `${String(i + 12).padStart(3, '0')}/${year}/GCN-OCOP`,
    decision_no: `${1200 + i * 13}/QĐ-UBND`,
    decision_date: decisionDate,
    issuing_level: 'province',
    issuing_body: 'Ủy ban nhân dân tỉnh Thanh Hóa',
    valid_until: validUntil,
    days_left: big(days),
    status,
    kind: s.imported ? 'imported' : 'new',
    imported: !!s.imported,
    supersedes: null,
    superseded_by: s.superseded ? 'entry-01' : null,
    signed: !s.imported,
    revocation: null,
  };
}

function seed(): RegistryEntry[] {
  if (entries) return entries;
  entries = SEEDS.map(entryOf);
  revocationList = [];
  for (const e of entries.filter((x) => x.status === 'revoked')) {
    const concluded = addDays(TODAY, -40);
    const decided = e.star >= 4 ? addDays(TODAY, -32) : addDays(TODAY, -20);
    const r: Revocation = {
      id: `rev-${e.id}`,
      certificate_no: e.certificate_no,
      product: e.product,
      star: e.star,
      ground: e.star >= 4 ? 'c' : 'đ',
      ground_label: e.star >= 4 ? 'Vi phạm quy định của pháp luật về chất lượng, an toàn thực phẩm' : 'Chủ thể ngừng sản xuất sản phẩm',
      decision_no: `${300 + revocationList.length}/QĐ-UBND`,
      decision_date: decided,
      concluded_on: concluded,
      authority: revocationAuthority(e.star),
      reason: e.star >= 4 ? 'Kết luận thanh tra về an toàn thực phẩm' : 'Chủ thể có văn bản ngừng sản xuất',
      late: revocationLate(concluded, decided),
      from_office: null,
    };
    revocationList.push(r);
    e.revocation = r;
  }
  revocationList.push({
    id: 'rev-foreign-1',
    certificate_no: '045/2024/GCN-OCOP',
    product: 'Mắm tôm Hậu Lộc',
    star: 3,
    ground: 'b',
    ground_label: 'Sản phẩm không còn đáp ứng tiêu chí theo kết quả kiểm tra, đánh giá lại',
    decision_no: '88/QĐ-UBND',
    decision_date: addDays(TODAY, -90),
    concluded_on: addDays(TODAY, -100),
    authority: 'province_chair',
    reason: 'Kiểm tra lại không đạt',
    late: false,
    from_office: 'UBND tỉnh Nghệ An',
  });
  localityList = [
    'Huyện Nga Sơn',
    'Huyện Hoằng Hóa',
    'Huyện Thọ Xuân',
    'Huyện Bá Thước',
    'Huyện Cẩm Thủy',
    'Thành phố Thanh Hóa',
    'Thị xã Nghi Sơn',
  ].map((name, i) => ({ code: `L${String(i + 1).padStart(2, '0')}`, name, level: (name.startsWith('Huyện') ? 'district' : 'district') as LocalityLevel, parent_code: null }));
  const plan2025: Record<string, [number, number, number]> = {
    L01: [6, 2, 0],
    L02: [8, 3, 0],
    L03: [5, 2, 1],
    L04: [4, 1, 0],
    L05: [3, 1, 0],
    L06: [10, 4, 1],
    L07: [6, 2, 0],
  };
  // The 2025 plan, and the same for the current year so the dashboard opens on a plan.
  const planYears = [...new Set([2025, Number(TODAY.slice(0, 4))])];
  targets = planYears.flatMap((year) =>
    Object.entries(plan2025).flatMap(([code, t]) => t.map((target, i) => ({ year, locality_code: code, star: 3 + i, target }))),
  );
  const e5 = entries[4];
  const e4 = entries[3];
  renewalList = [
    renewalOf({ entry_id: e5.id, kind: 'rerecognition', filed_on: addDays(TODAY, -40), complete_on: addDays(TODAY, -40), changes: '' }, e5, [
      { person_id: 'p1', person: 'Lê Văn Minh', agree: true, remark: '', recorded_at: `${addDays(TODAY, -10)}T09:00:00+07:00` },
      { person_id: 'p2', person: 'Nguyễn Thị Thu Hà', agree: true, remark: '', recorded_at: `${addDays(TODAY, -9)}T14:30:00+07:00` },
      { person_id: 'p3', person: 'Trần Quốc Bảo', agree: false, remark: 'Bao bì chưa ghi đủ hạn sử dụng', recorded_at: `${addDays(TODAY, -8)}T08:15:00+07:00` },
    ]),
    renewalOf(
      { entry_id: e4.id, kind: 'upgrade', filed_on: addDays(TODAY, -12), complete_on: addDays(TODAY, -5), changes: 'Đạt chứng nhận VietGAP, mở rộng vùng nuôi ong lên 120 đàn' },
      e4,
      [],
    ),
  ];
  return entries;
}

function renewalOf(input: RenewalInput, e: RegistryEntry, opinions: Renewal['opinions']): Renewal {
  const deadline = input.complete_on ? addDays(input.complete_on, 45) : null;
  return {
    id: `renewal-${e.id}`,
    kind: input.kind,
    status: 'opinions',
    entry: e,
    filed_on: input.filed_on,
    complete_on: input.complete_on ?? null,
    deadline,
    deadline_days: deadline ? big(daysBetween(TODAY, deadline) ?? 0) : null,
    changes: input.changes,
    round_id: null,
    opinions,
    agree: opinions.filter((o) => o.agree).length,
    disagree: opinions.filter((o) => !o.agree).length,
    decision_no: null,
    decision_date: null,
    new_entry_id: null,
  };
}

function fail(code: string, message: string, params: Record<string, string> = {}): never {
  throw { code, message, params };
}

function filtered(f: RegistryFilter): RegistryEntry[] {
  const q = fold(f.query ?? '');
  return seed().filter(
    (e) =>
      (f.status === undefined || e.status === f.status) &&
      (f.star === undefined || e.star === f.star) &&
      (f.year === undefined || e.decision_date.startsWith(String(f.year))) &&
      (q === '' || fold(`${e.product} ${e.owner} ${e.certificate_no} ${e.decision_no}`).includes(q)),
  );
}

/** The page the mock serves: the seeded entries, and for the page controls a large count when unfiltered. */
function page(f: RegistryFilter): RegistryPage {
  const all = filtered(f);
  const offset = f.offset ?? 0;
  const limit = f.limit ?? 100;
  return { format: 1, total: all.length, offset, entries: all.slice(offset, offset + limit) };
}

function due(): RegistryDue[] {
  const out: RegistryDue[] = [];
  for (const e of seed()) {
    if (e.status === 'revoked' || e.status === 'superseded' || e.status === 'expired') continue;
    const opens = addDays(e.valid_until, -180);
    const closes = addDays(e.valid_until, -120);
    for (const [event, on] of [
      ['opens', opens],
      ['closes', closes],
    ] as const) {
      const d = daysBetween(TODAY, on) ?? -1;
      if (d >= 0 && d <= 30) out.push({ entry: e, event, on, in_days: big(d) });
    }
  }
  return out.sort((a, b) => a.on.localeCompare(b.on));
}

/** Years the mock's province has results for beyond the seeded certificates. */
function planYears(year: number): boolean {
  return year === 2025 || year === Number(TODAY.slice(0, 4));
}

function planRows(year: number): { rows: PlanRow[]; total: PlanRow } {
  seed();
  const rows: PlanRow[] = localityList.map((l) => {
    const target: [number, number, number] = [0, 0, 0];
    for (const t of targets) if (t.year === year && t.locality_code === l.code) target[t.star - 3] = t.target;
    const achieved: [number, number, number] = [0, 0, 0];
    for (const e of seed()) {
      if (e.district === l.name && e.decision_date.startsWith(String(year)) && e.status !== 'superseded') achieved[e.star - 3] += 1;
    }
    // A recognised year's results beyond the seeded certificates (the mock's province has more).
    const extra = planYears(year) ? [Math.round(target[0] * 0.7), Math.round(target[1] * 0.5), 0] : [0, 0, 0];
    const a: [number, number, number] = [achieved[0] + extra[0], achieved[1] + extra[1], achieved[2] + extra[2]];
    return { locality_code: l.code, locality: l.name, target, achieved: a, target_total: target[0] + target[1] + target[2], achieved_total: a[0] + a[1] + a[2] };
  });
  rows.push({ locality_code: '', locality: '', target: [0, 0, 0], achieved: [1, 0, 0], target_total: 0, achieved_total: 1 });
  const sum = (k: 'target' | 'achieved', i: number) => rows.reduce((s, r) => s + r[k][i], 0);
  const target: [number, number, number] = [sum('target', 0), sum('target', 1), sum('target', 2)];
  const achieved: [number, number, number] = [sum('achieved', 0), sum('achieved', 1), sum('achieved', 2)];
  return {
    rows,
    total: { locality_code: '', locality: 'Tổng cộng', target, achieved, target_total: target[0] + target[1] + target[2], achieved_total: achieved[0] + achieved[1] + achieved[2] },
  };
}

function dashboard(year: number, from: string | null, to: string | null): Dashboard {
  const all = seed();
  const inForce = all.filter((e) => ['valid', 'window_open', 'window_missed'].includes(e.status));
  const { rows, total } = planRows(year);
  const count = (pairs: [string, string][]) => {
    const m = new Map<string, { label: string; count: number }>();
    for (const [key, label] of pairs) m.set(key, { label, count: (m.get(key)?.count ?? 0) + 1 });
    return [...m.entries()].map(([key, v]) => ({ key, label: v.label, count: v.count })).sort((a, b) => b.count - a.count);
  };
  const KIND: Record<OwnerKind, string> = { htx: 'Hợp tác xã', tht: 'Tổ hợp tác', dn: 'Doanh nghiệp', hkd: 'Hộ kinh doanh/hộ sản xuất', trang_trai: 'Trang trại', khac: 'Khác' };
  const months = Array.from({ length: 24 }, (_, i) => {
    const d = new Date();
    d.setDate(1);
    d.setMonth(d.getMonth() + i);
    const key = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
    return { key, label: `${String(d.getMonth() + 1).padStart(2, '0')}/${d.getFullYear()}`, count: inForce.filter((e) => e.valid_until.startsWith(key)).length };
  });
  const statusCount = count(all.map((e) => [e.status, e.status]));
  return {
    format: 1,
    year,
    today: TODAY,
    from: from ?? `${year}-01-01`,
    to: to ?? `${year}-12-31`,
    plan: rows,
    plan_total: total,
    in_force_by_year: [],
    period_by_owner_kind: [],
    period_by_set: [],
    by_year: [2021, 2022, 2023, 2024, 2025].map((y, i) => {
      const s3 = [38, 45, 52, 61, 47][i];
      const s4 = [9, 12, 15, 18, 14][i];
      const s5 = [0, 1, 0, 2, 1][i];
      return { year: y, star3: s3, star4: s4, star5: s5, total: s3 + s4 + s5 };
    }),
    by_category: [
      { key: '1', label: 'Thực phẩm', count: 148 },
      { key: '2', label: 'Đồ uống', count: 37 },
      { key: '3', label: 'Thảo dược', count: 22 },
      { key: '4', label: 'Vải và may mặc', count: 6 },
      { key: '5', label: 'Lưu niệm, nội thất, trang trí', count: 31 },
      { key: '6', label: 'Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch', count: 4 },
    ],
    by_set: count(inForce.map((e) => [e.set_code, `${Number(e.set_code)}. ${SET_NAMES[e.set_code] ?? e.set_code}`])),
    by_owner_kind: count(inForce.map((e) => [e.owner_kind, KIND[e.owner_kind]])),
    by_sex: [
      { key: 'nu', label: 'Nữ', count: 5 },
      { key: 'nam', label: 'Nam', count: 4 },
      { key: '', label: 'Chưa rõ', count: 1 },
    ],
    by_ethnicity: [
      { key: 'kinh', label: 'Kinh', count: 7 },
      { key: 'muong', label: 'Mường', count: 2 },
      { key: 'thai', label: 'Thái', count: 1 },
    ],
    expiring_by_month: months,
    by_status: statusCount,
    period_new: 42,
    period_upgraded: 5,
    period_rerecognised: 9,
    period_revoked: revocationList.filter((r) => r.from_office === null).length,
    period_expired: all.filter((e) => e.status === 'expired').length,
    in_force: inForce.length,
  };
}

function renewal(id: string): Renewal {
  seed();
  return renewalList.find((r) => r.id === id) ?? fail('not_found', `Không có hồ sơ '${id}'`);
}

function recount(r: Renewal): Renewal {
  r.agree = r.opinions.filter((o) => o.agree).length;
  r.disagree = r.opinions.filter((o) => !o.agree).length;
  return r;
}

function planImport(year: number, fingerprint: string | null): PlanImportPlan {
  seed();
  const rows = [
    ['Huyện Nga Sơn', [7, 2, 0]],
    ['Huyện Hoằng Hóa', [8, 3, 1]],
    ['Huyện Quảng Xương', [4, 1, 0]],
    ['Thị xã Nghi Sơn', [6, 2, 0]],
  ] as const;
  const plan: PlanImportPlan = {
    format: 1,
    year,
    fingerprint: 'mock-plan-1',
    applied: false,
    rows: rows.map(([name, t], i) => {
      const l = localityList.find((x) => x.name === name) ?? null;
      const stored = l ? ([0, 1, 2].map((k) => targets.find((x) => x.year === year && x.locality_code === l.code && x.star === 3 + k)?.target ?? 0) as [number, number, number]) : null;
      return { row: i + 2, locality: name, locality_code: l?.code ?? null, target: [...t] as [number, number, number], total: t[0] + t[1] + t[2], stored, errors: [] };
    }),
    target: [25, 8, 1],
    total: 34,
    errors: [],
  };
  if (fingerprint === null) return plan;
  for (const r of plan.rows) {
    let code = r.locality_code;
    if (code === null) {
      code = `L${String(localityList.length + 1).padStart(2, '0')}`;
      localityList.push({ code, name: r.locality, level: 'district', parent_code: null });
    }
    for (let k = 0; k < 3; k++) setTarget({ year, locality_code: code, star: 3 + k, target: r.target[k] });
  }
  return { ...plan, applied: true };
}

function setTarget(t: PlanTarget): void {
  const i = targets.findIndex((x) => x.year === t.year && x.locality_code === t.locality_code && x.star === t.star);
  if (i >= 0) targets[i] = t;
  else targets.push(t);
}

const num = (v: unknown): number => Number(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Answers a registry command, or returns `undefined` when `command` is not one of them. */
export function registryCommand(command: string, args: Args, variant: string): unknown {
  seed();
  const headers = (args.headers ?? {}) as Record<string, string>;
  switch (command) {
    case 'persons':
      return variant === 'empty' ? [] : PERSONS;
    case 'rounds':
      return variant === 'empty' ? [] : ROUNDS;
    case 'registry_page':
      return variant === 'empty' ? { format: 1, total: 0, offset: 0, entries: [] } : page((args.filter ?? {}) as RegistryFilter);
    case 'registry_entry':
      return seed().find((e) => e.id === args.id) ?? fail('not_found', 'Không có mục này trong sổ');
    case 'registry_due':
      return variant === 'empty' ? [] : due();
    case 'revoke': {
      const input = args.input as RevocationInput;
      const e = seed().find((x) => x.id === input.entry_id) ?? fail('not_found', 'Không có mục này trong sổ');
      if (!['valid', 'window_open', 'window_missed'].includes(e.status)) {
        fail('revocation.not_in_force', `Giấy chứng nhận ${e.certificate_no} không còn hiệu lực`, { number: e.certificate_no, status: e.status });
      }
      if (input.decision_no.trim() === '') fail('revocation.decision_missing', 'Chưa nhập số quyết định thu hồi');
      const r: Revocation = {
        id: `rev-${e.id}`,
        certificate_no: e.certificate_no,
        product: e.product,
        star: e.star,
        ground: input.ground,
        ground_label: input.ground,
        decision_no: input.decision_no,
        decision_date: input.decision_date,
        concluded_on: input.concluded_on ?? null,
        authority: revocationAuthority(e.star),
        reason: input.reason,
        late: input.concluded_on ? revocationLate(input.concluded_on, input.decision_date) : false,
        from_office: null,
      };
      revocationList.push(r);
      e.status = 'revoked';
      e.revocation = r;
      return e;
    }
    case 'revocations':
      return revocationList;
    case 'revocations_export':
      return revocationList.filter((r) => r.from_office === null).length;
    case 'revocations_import':
      return { format: 1, office: 'UBND tỉnh Nghệ An', key: 'a1b2c3d4', listed: 4, added: 3, known: 1 };
    case 'localities':
      return variant === 'empty' ? [] : localityList;
    case 'add_locality': {
      const name = str(args.name).trim();
      if (name === '') fail('locality.name_missing', 'Chưa nhập tên địa bàn');
      const l: Locality = { code: `L${String(localityList.length + 1).padStart(2, '0')}`, name, level: args.level as LocalityLevel, parent_code: null };
      localityList.push(l);
      return l;
    }
    case 'plan_targets':
      return targets.filter((t) => t.year === num(args.year));
    case 'set_plan_targets': {
      const list = args.targets as PlanTarget[];
      for (const t of list) {
        if (!Number.isInteger(t.target) || t.target < 0) {
          fail('plan.bad_target', `Chỉ tiêu '${t.target}' không hợp lệ`, { value: String(t.target), locality: t.locality_code, star: String(t.star) });
        }
      }
      list.forEach(setTarget);
      return targets.filter((t) => t.year === list[0]?.year);
    }
    case 'plan_import_plan':
      return planImport(num(headers.year), null);
    case 'plan_import_apply':
      return planImport(num(headers.year), headers.fingerprint ?? '');
    case 'dashboard':
      return dashboard(num(args.year), (args.from as string | null) ?? null, (args.to as string | null) ?? null);
    case 'renewals':
      return variant === 'empty' ? [] : renewalList;
    case 'renewal_start': {
      const input = args.input as RenewalInput;
      const e = seed().find((x) => x.id === input.entry_id) ?? fail('not_found', 'Không có mục này trong sổ');
      if (renewalList.some((r) => r.entry.id === e.id && (r.status === 'opinions' || r.status === 'meeting'))) {
        fail('renewal.already_open', 'Sản phẩm này đã có hồ sơ công nhận lại/nâng hạng đang xử lý');
      }
      if (input.kind === 'upgrade' && input.changes.trim() === '') fail('renewal.upgrade_changes', 'Hồ sơ nâng hạng cần mô tả những thay đổi');
      const r = renewalOf(input, e, []);
      renewalList.push(r);
      return r;
    }
    case 'renewal_opinion': {
      const r = renewal(str(args.renewalId));
      const person = PERSONS.find((p) => p.id === args.personId) ?? fail('not_found', 'Không có thành viên này');
      if (!args.agree && str(args.remark).trim() === '') fail('renewal.remark_needed', 'Ý kiến không đồng ý cần ghi rõ lý do');
      r.opinions = r.opinions.filter((o) => o.person_id !== person.id);
      r.opinions.push({ person_id: person.id, person: person.full_name, agree: !!args.agree, remark: str(args.remark), recorded_at: new Date().toISOString() });
      return recount(r);
    }
    case 'renewal_decide': {
      const r = renewal(str(args.renewalId));
      if (r.opinions.length < 3) fail('renewal.too_few_opinions', 'Mới có ít ý kiến', { count: String(r.opinions.length), min: '3' });
      if (r.disagree > 0) fail('renewal.divergent', 'Ý kiến khác nhau', { agree: String(r.agree), disagree: String(r.disagree) });
      if (str(args.passphrase) === '') fail('office.passphrase_wrong', 'Cụm mật khẩu không đúng');
      r.status = 'decided';
      r.decision_no = `${1500 + renewalList.indexOf(r)}/QĐ-UBND`;
      r.decision_date = str(args.date);
      return r;
    }
    case 'renewal_to_round': {
      const r = renewal(str(args.renewalId));
      r.status = 'meeting';
      r.round_id = str(args.roundId);
      return r;
    }
    case 'renewal_refuse': {
      const r = renewal(str(args.renewalId));
      r.status = 'refused';
      return r;
    }
    case 'registry_xlsx':
    case 'report_paper':
    case 'revocation_decision_paper':
    case 'renewal_paper':
      return str(args.path);
    case 'open_path':
      return null;
    default:
      return undefined;
  }
}
