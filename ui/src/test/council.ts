/**
 * A small council for component tests: a round being scored, its roster (chair, member, secretary,
 * advisor), two products with their dossiers, and score sheets on the tea sheet of `fixtures.ts`.
 */
import type { Dossier } from '../lib/bindings/Dossier';
import type { MemberScore } from '../lib/bindings/MemberScore';
import type { Person } from '../lib/bindings/Person';
import type { Product } from '../lib/bindings/Product';
import type { Round } from '../lib/bindings/Round';
import type { RoundMember } from '../lib/bindings/RoundMember';
import type { ScoreSheet } from '../lib/bindings/ScoreSheet';
import { sheetLeaves, totals } from '../lib/score-entry';
import { teaSheet } from './fixtures';

export const round: Round = {
  id: 'r1',
  name: 'Đợt 2 năm 2026',
  level: 'province',
  decision_id: 'QD26-2026',
  procedure: '26-province',
  date: '2026-11-26',
  place: 'Hội trường Sở Nông nghiệp và Môi trường',
  status: 'scoring',
  rules: { max_spread: 10, quorum_numerator: 3, quorum_denominator: 4, chair_required: true },
  demo: false,
  finalised_at: null,
  member_count: 3,
  product_count: 2,
};

function person(id: string, full_name: string, has_pin = true): Person {
  return { id, full_name, title: 'Phó Giám đốc Sở', unit: 'Sở Công Thương', has_pin };
}

export const roster: RoundMember[] = [
  { person: person('p-chair', 'Lê Đức Giang'), role: 'chair', present: true },
  { person: person('p-ha', 'Trần Thị Thu Hà'), role: 'member', present: true },
  { person: person('p-tuan', 'Phạm Minh Tuấn', false), role: 'member', present: true },
  { person: person('p-sec', 'Bùi Thị Ngọc'), role: 'secretary', present: true },
  { person: person('p-adv', 'Lường Văn Khánh'), role: 'advisor', present: true },
];

function product(id: string, name: string): Product {
  return {
    id,
    owner_id: 'o1',
    owner_name: 'Hợp tác xã Chè Bình Sơn',
    commune: 'Xã Bình Sơn',
    name,
    decision_id: 'QD26-2026',
    set_code: '11',
    set_name: 'Chè tươi, chè chế biến',
    code: '38-16213-001-2026',
  };
}

export const products: Product[] = [product('pr-tea', 'Chè xanh Bình Sơn'), product('pr-bud', 'Chè búp Xuân Du')];

export function dossier(p: Product, over: Partial<Dossier> = {}): Dossier {
  return {
    id: `d-${p.id}`,
    round_id: 'r1',
    product: p,
    application_type: 'first',
    received_on: '2026-10-28',
    checklist: [
      { key: 'mau01', label: 'Phiếu đăng ký (Mẫu số 01)', required: true, received: true },
      { key: 'dkkd', label: 'Giấy chứng nhận đăng ký kinh doanh', required: false, received: false },
    ],
    permits: [],
    warnings: [],
    notices: [],
    attachments: [],
    complete: true,
    commune_report: null,
    ...over,
  };
}

export const dossiers: Dossier[] = products.map((p) => dossier(p));

/** A sheet as the backend returns it, its score worked out from the tea sheet. */
export function makeSheet(over: Partial<ScoreSheet> = {}): ScoreSheet {
  const answers = over.answers ?? {};
  const sums = totals(teaSheet, answers);
  const leaves = sheetLeaves(teaSheet);
  const score: MemberScore = {
    member: over.member_name ?? 'Lê Đức Giang',
    role: 'chair',
    recused: false,
    total: sums.total,
    parts: { A: sums.parts.A ?? 0, B: sums.parts.B ?? 0, C: sums.parts.C ?? 0 },
    complete: sums.missing.length === 0,
    missing: sums.missing,
    points: Object.fromEntries(
      leaves.filter((l) => answers[l.code] != null).map((l) => [l.code, l.criterion.options[answers[l.code]].points]),
    ),
  };
  return {
    id: 's1',
    round_id: 'r1',
    product_id: 'pr-tea',
    person_id: 'p-chair',
    member_name: 'Lê Đức Giang',
    role: 'chair',
    sheet_sha256: 'hash-tea',
    decision_id: 'QD26-2026',
    set_code: '11',
    version: 1,
    pass: 1,
    entry: 'member',
    keyed_by: null,
    status: 'open',
    elimination: null,
    comment: '',
    signed_at: null,
    reopen_reason: null,
    ...over,
    answers,
    score,
  };
}
