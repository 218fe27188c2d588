import { cleanup, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { finaliseRound, recordSpreadReview, recusals, roster, roundResults } from '../../lib/api';
import type { MemberScore } from '../../lib/bindings/MemberScore';
import type { ProductLine } from '../../lib/bindings/ProductLine';
import type { RoundResults } from '../../lib/bindings/RoundResults';
import { lang } from '../../lib/i18n';
import * as council from '../../test/council';
import ResultsTab from './ResultsTab.svelte';

vi.mock('../../lib/api', () => ({
  roundResults: vi.fn(),
  roster: vi.fn(),
  recusals: vi.fn(),
  recordSpreadReview: vi.fn(),
  finaliseRound: vi.fn(),
}));

function score(member: string, total: number, over: Partial<MemberScore> = {}): MemberScore {
  return {
    member,
    role: 'member',
    recused: false,
    total,
    parts: { A: 0, B: 0, C: 0 },
    complete: true,
    missing: [],
    points: { '1.1': 1 },
    ...over,
  };
}

function line(over: Partial<ProductLine>): ProductLine {
  return {
    product_id: 'pr-tea',
    product_name: 'Chè xanh Bình Sơn',
    product_code: '38-16213-001-2026',
    owner_name: 'Hợp tác xã Chè Bình Sơn',
    commune: 'Xã Bình Sơn',
    decision: 'QD26-2026',
    set: '11',
    set_name: 'Chè tươi, chè chế biến',
    unsigned: [],
    spread_reviewed: false,
    mean_total: 82.5,
    part_means: { A: 33, B: 20, C: 29.5 },
    criterion_means: {},
    members: [],
    scoring_members: 4,
    complete: true,
    spread: 5,
    spread_exceeded: false,
    quorum_met: true,
    band_star: 4,
    unmet_minima: { '3': [], '4': [], '5': ['6.1.1', '7'] },
    star: 4,
    recognised: true,
    recognisable_here: true,
    forward: null,
    returns_to: null,
    eliminated: false,
    eliminations: [],
    procedure: '26-province',
    ...over,
  };
}

const tea = line({
  members: [
    score('Lê Đức Giang', 80),
    score('Trần Thị Thu Hà', 0, { recused: true }),
    score('Phạm Minh Tuấn', 84),
    score('Bùi Thị Ngọc', 85),
  ],
});

const bud = line({
  product_id: 'pr-bud',
  product_name: 'Chè búp Xuân Du',
  members: [
    score('Lê Đức Giang', 60),
    score('Trần Thị Thu Hà', 75),
    score('Phạm Minh Tuấn', 66, { complete: false, missing: ['7'] }),
    score('Bùi Thị Ngọc', 70, { elimination: 'Phát hiện tạp chất không chấp nhận được' }),
  ],
  mean_total: 67.75,
  spread: 15,
  spread_exceeded: true,
  band_star: 3,
  unmet_minima: { '3': ['1.1'], '4': ['1.1', '6.1.1'], '5': ['1.1', '6.1.1', '7'] },
  star: null,
  recognised: false,
  recognisable_here: false,
  eliminated: true,
  eliminations: [{ member: 'Bùi Thị Ngọc', reason: 'Phát hiện tạp chất không chấp nhận được' }],
  unsigned: ['Phạm Minh Tuấn'],
  complete: false,
});

const results: RoundResults = {
  round: council.round,
  products: [tea, bud],
  blockers: [
    'Chè búp Xuân Du: chưa ký phiếu — Phạm Minh Tuấn',
    'Chè búp Xuân Du: chênh lệch điểm 15 vượt 10 điểm mà chưa ghi nhận thảo luận và chấm lại',
  ],
  blocker_codes: [
    {
      code: 'blocker.unsigned',
      params: { product_id: 'pr-bud', product: 'Chè búp Xuân Du', members: 'Phạm Minh Tuấn' },
      message: 'Chè búp Xuân Du: chưa ký phiếu — Phạm Minh Tuấn',
    },
    {
      code: 'blocker.spread_not_reviewed',
      params: { product_id: 'pr-bud', product: 'Chè búp Xuân Du', spread: '15', max_spread: '10' },
      message: 'Chè búp Xuân Du: chênh lệch điểm 15 vượt 10 điểm mà chưa ghi nhận thảo luận và chấm lại',
    },
  ],
};

function tr(id: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(`#results tr[data-product-id="${id}"]`);
  if (!el) throw new Error(`row ${id} is missing`);
  return el;
}

async function renderResults(r: RoundResults = results, onchange = vi.fn()): Promise<void> {
  vi.mocked(roundResults).mockResolvedValue(structuredClone(r));
  render(ResultsTab, { round: r.round, onchange });
  await waitFor(() => expect(document.getElementById('results')).not.toBeNull());
}

beforeEach(() => {
  lang.set('vi');
  vi.mocked(roster).mockResolvedValue(structuredClone(council.roster));
  vi.mocked(recusals).mockResolvedValue([
    { person_id: 'p-ha', product_id: 'pr-tea', reason: 'Có người thân là thành viên hợp tác xã' },
  ]);
});

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe('results table', () => {
  it('shows one row per product with every member total, the mean, the spread and the stars', async () => {
    await renderResults();
    const headers = [...document.querySelectorAll('#results thead th.member')].map((th) => th.getAttribute('title'));
    expect(headers).toEqual([
      'Lê Đức Giang — Chủ tịch Hội đồng',
      'Trần Thị Thu Hà — Ủy viên',
      'Phạm Minh Tuấn — Ủy viên',
      'Bùi Thị Ngọc — Ủy viên thư ký',
    ]);
    const row = tr('pr-tea');
    expect([...row.querySelectorAll('.member-score')].map((td) => td.textContent?.trim())).toEqual(['80', '—', '84', '85']);
    expect(row.querySelector('.member-score.recused')).toHaveAttribute(
      'title',
      'Tránh xung đột lợi ích: Có người thân là thành viên hợp tác xã',
    );
    expect(row.querySelector('.mean')).toHaveTextContent('82,50');
    expect(row.querySelector('.spread')).toHaveTextContent('5');
    expect(row.querySelector('.spread-flag')).toBeNull();
    expect(row.querySelector('.quorum')).toHaveTextContent('✓');
    expect(row.querySelector('.band-star')).toHaveTextContent('4★');
    expect(row.querySelector('.final-star')).toHaveTextContent('4★');
    expect(row.querySelector('.where')).toHaveTextContent('Tỉnh công nhận');
    expect(row.querySelector('.minima')).toHaveTextContent('5★ chưa đạt: 6.1.1, 7');
  });

  it('flags the spread, the eliminations, the unsigned members and a product not recognised', async () => {
    await renderResults();
    const row = tr('pr-bud');
    expect(row.querySelector('.mean')).toHaveTextContent('67,75');
    expect(row.querySelector('.spread .spread-flag')).toHaveTextContent('Vượt mức');
    expect(row.querySelector('.final-star')).toHaveTextContent('Không công nhận');
    expect(row.querySelector('.band-star')).toHaveTextContent('3★');
    expect(row.querySelector('.member-score.incomplete')).toHaveTextContent('66*');
    expect(row.querySelector('.notes')).toHaveTextContent('Bị loại: Bùi Thị Ngọc: Phát hiện tạp chất không chấp nhận được');
    expect(row.querySelector('.unsigned')).toHaveTextContent('Chưa ký: Phạm Minh Tuấn');
    expect(row.querySelector('.minima [data-star="3"]')).toHaveTextContent('3★ chưa đạt: 1.1');
  });

  it('lists what blocks finalising and keeps "Kết thúc đợt" disabled', async () => {
    await renderResults();
    const items = [...document.querySelectorAll('#blockers li .blocker-text')].map((li) => li.textContent);
    expect(items).toEqual(results.blockers);
    const codes = [...document.querySelectorAll<HTMLElement>('#blockers li')].map((li) => li.dataset.code);
    expect(codes).toEqual(['blocker.unsigned', 'blocker.spread_not_reviewed']);
    expect(document.querySelector('#finalise')).toBeDisabled();
  });

  it('acts on a blocker by its code: a spread opens its discussion, a product reason shows the row', async () => {
    Element.prototype.scrollIntoView = vi.fn();
    await renderResults();
    const [unsigned, spread] = [...document.querySelectorAll<HTMLElement>('#blockers li')];
    await userEvent.click(within(unsigned).getByRole('button', { name: 'Xem sản phẩm' }));
    expect(tr('pr-bud')).toHaveClass('highlighted');
    expect(tr('pr-tea')).not.toHaveClass('highlighted');
    await userEvent.click(within(spread).getByRole('button', { name: 'Ghi thảo luận' }));
    expect(document.getElementById('spread-dialog')).toHaveTextContent('Chè búp Xuân Du');
  });

  it('shows the messages the backend worded in English', async () => {
    const en: RoundResults = {
      ...results,
      blockers: ['Chè búp Xuân Du: sheets not signed yet — Phạm Minh Tuấn'],
      blocker_codes: [{ ...results.blocker_codes[0], message: 'Chè búp Xuân Du: sheets not signed yet — Phạm Minh Tuấn' }],
    };
    await renderResults(en);
    expect(document.querySelector('#blockers li[data-code="blocker.unsigned"]')).toHaveTextContent(
      'Chè búp Xuân Du: sheets not signed yet — Phạm Minh Tuấn',
    );
  });

  it('reloads the reasons when the backend refuses to finalise', async () => {
    const ready: RoundResults = { ...results, products: [tea], blockers: [], blocker_codes: [] };
    await renderResults(ready);
    vi.mocked(finaliseRound).mockRejectedValue(
      Object.assign(new Error('Chưa kết thúc được đợt đánh giá'), { kind: 'backend', code: 'results.finalise_blocked', params: {} }),
    );
    vi.mocked(roundResults).mockResolvedValue(structuredClone(results));
    await userEvent.click(document.querySelector<HTMLButtonElement>('#finalise')!);
    await userEvent.type(document.getElementById('pin-dialog')!.querySelector('input[name="pin"]')!, '1234{Enter}');
    await waitFor(() => expect(document.getElementById('pin-dialog')).toBeNull());
    await waitFor(() => expect(document.querySelectorAll('#blockers li')).toHaveLength(2));
    expect(document.querySelector('#finalise')).toBeDisabled();
  });

  it('records the discussion of a flagged spread', async () => {
    await renderResults();
    expect(tr('pr-tea').querySelector('.spread-review')).toBeNull();
    const after: RoundResults = {
      ...results,
      products: [tea, { ...bud, spread_reviewed: true }],
      blockers: [results.blockers[0]],
      blocker_codes: [results.blocker_codes[0]],
    };
    vi.mocked(recordSpreadReview).mockResolvedValue(after);
    await userEvent.click(tr('pr-bud').querySelector<HTMLButtonElement>('.spread-review')!);
    const dialog = document.getElementById('spread-dialog')!;
    await userEvent.click(within(dialog).getByRole('button', { name: 'Ghi nhận' }));
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Cần ghi nội dung thảo luận.');
    await userEvent.type(dialog.querySelector('[name="note"]')!, 'Hội đồng thống nhất chấm lại tiêu chí 6.1.1');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Ghi nhận' }));
    expect(recordSpreadReview).toHaveBeenCalledWith('r1', 'pr-bud', 'Hội đồng thống nhất chấm lại tiêu chí 6.1.1');
    await waitFor(() => expect(document.getElementById('spread-dialog')).toBeNull());
    expect(tr('pr-bud').querySelector('.spread-flag')).toHaveTextContent('Đã thảo luận');
    expect(document.querySelectorAll('#blockers li')).toHaveLength(1);
  });

  it('finalises with the chair PIN when nothing blocks it', async () => {
    const ready: RoundResults = { ...results, products: [tea], blockers: [], blocker_codes: [] };
    const onchange = vi.fn();
    await renderResults(ready, onchange);
    expect(screen.getByText('Không còn vướng mắc: có thể kết thúc đợt đánh giá.')).toBeInTheDocument();
    vi.mocked(finaliseRound).mockResolvedValue({
      ...ready,
      round: { ...ready.round, status: 'finalised', finalised_at: '2026-11-26T09:00:00.000Z' },
    });
    await userEvent.click(document.querySelector<HTMLButtonElement>('#finalise')!);
    const dialog = document.getElementById('pin-dialog')!;
    expect(dialog).toHaveTextContent('Mã PIN của Chủ tịch Hội đồng (Lê Đức Giang)');
    await userEvent.type(dialog.querySelector('input[name="pin"]')!, '1234{Enter}');
    expect(finaliseRound).toHaveBeenCalledWith('r1', '1234');
    await waitFor(() => expect(onchange).toHaveBeenCalled());
    expect(document.getElementById('pin-dialog')).toBeNull();
    expect(screen.getByText(/Kết quả đã chốt lúc 26\/11\/2026/)).toBeInTheDocument();
  });

  it('shows an error state with the backend message', async () => {
    vi.mocked(roundResults).mockRejectedValue(Object.assign(new Error('Không đọc được cơ sở dữ liệu'), { kind: 'backend' }));
    render(ResultsTab, { round: council.round, onchange: vi.fn() });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Không tải được kết quả.');
    expect(alert).toHaveTextContent('Không đọc được cơ sở dữ liệu');
  });
});
