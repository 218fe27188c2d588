/**
 * Test support: an in-memory council room that answers the member page's `fetch` calls the way
 * the hub does (`ocop-room/API.md`): answers compare-and-set on `replaces`, request ids applied
 * once (`room.replayed`), 401 when the session is dead. It can go offline, or apply a write and
 * lose its answer, as a dropped Wi-Fi does.
 */
import type { MemberView } from '../lib/bindings/MemberView';
import type { Pairing } from '../lib/bindings/Pairing';
import type { ProductSet } from '../lib/bindings/ProductSet';
import type { ScoreSheet } from '../lib/bindings/ScoreSheet';
import { makeSheet } from '../test/council';
import type { Fetch } from './hub';

/** A member's open sheet (the app's test sheet, `makeSheet`) for product `p1`. */
export function sheetFixture(id: string, answers: Record<string, number> = {}): ScoreSheet {
  return makeSheet({ id, product_id: 'p1', person_id: 'm1', member_name: 'Nguyễn Thị Lan', role: 'member', answers: { ...answers } });
}

export class FakeHub {
  sheets = new Map<string, ScoreSheet>();
  applied = new Set<string>();
  /** Every write that changed something, in order: [request id, what]. */
  log: Array<[string, string]> = [];
  offline = false;
  /** Apply the next N writes, then fail as if the answer was lost. */
  loseAnswers = 0;
  dead = false;
  session = 's3cret';
  fingerprint = 'ab'.repeat(32);
  /** The criteria every sheet is scored on, and how many leaves make a sheet complete. */
  set: ProductSet | null = null;
  leaves = 1;
  tokenUsed = false;

  constructor(...sheets: ScoreSheet[]) {
    for (const s of sheets) this.sheets.set(s.id, s);
  }

  private me(round: MemberView['round']): MemberView {
    const products: MemberView['products'] = [...this.sheets.values()].map((x) => ({
      product_id: x.product_id,
      name: `Sản phẩm ${x.product_id}`,
      owner: 'HTX Chè Bình Sơn',
      decision_id: x.decision_id,
      set_code: x.set_code,
      sheet_sha256: x.sheet_sha256,
      recused: false,
      sheet: { id: x.id, status: x.status, answered: Object.keys(x.answers).length, total: this.leaves, complete: x.score.complete, signed_at: x.signed_at },
    }));
    products.push({ ...products[0], product_id: 'p-recused', name: 'Sản phẩm xin rút', recused: true, sheet: null });
    return { format: 1, member: { id: 'm1', name: 'Nguyễn Thị Lan', role: 'member' }, round, fingerprint: this.fingerprint, products };
  }

  private reply(status: number, body: unknown): Response {
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  }

  private refuse(status: number, code: string, sheet?: ScoreSheet): Response {
    return this.reply(status, { code, message: code, params: {}, ...(sheet ? { sheet } : {}) });
  }

  readonly fetch: Fetch = async (url, init) => {
    if (this.offline) throw new TypeError('Failed to fetch');
    const path0 = new URL(url, 'https://hub.test').pathname.replace('/api/v1', '');
    const round = { id: 'r1', name: 'Đợt 1 năm 2026', status: 'scoring' as const };
    if (path0 === '/room') return this.reply(200, { format: 1, round, fingerprint: this.fingerprint, open: true });
    if (path0 === '/pair') {
      const body = JSON.parse(String(init?.body)) as { token?: string; device?: string };
      if (body.token !== 'tok' || this.tokenUsed) return this.refuse(401, 'room.bad_token');
      this.tokenUsed = true;
      const member = { id: 'm1', name: 'Nguyễn Thị Lan', role: 'member' as const };
      return this.reply(200, { format: 1, session: this.session, pairing_id: 'pair-1', member, round, fingerprint: this.fingerprint, signing_key: '11'.repeat(32) } satisfies Pairing);
    }
    const auth = new Headers(init?.headers).get('Authorization');
    if (this.dead || auth !== `Bearer ${this.session}`) return this.refuse(401, 'room.not_paired');
    const path = path0;
    if (path === '/me') return this.reply(200, this.me(round));
    if (path.startsWith('/criteria/') && this.set) return this.reply(200, this.set);
    const opening = /^\/products\/([^/]+)\/sheet$/.exec(path);
    if (opening) {
      const found = [...this.sheets.values()].find((x) => x.product_id === decodeURIComponent(opening[1]));
      return found ? this.reply(200, found) : this.refuse(403, 'sheet.member_recused');
    }
    const m = /^\/sheets\/([^/]+)(?:\/(answers)\/([^/]+)|\/(elimination|comment|sign))?$/.exec(path);
    const sheet = m ? this.sheets.get(decodeURIComponent(m[1])) : undefined;
    if (!m || !sheet) return this.refuse(404, 'room.unknown');
    if (!init?.method || init.method === 'GET') return this.reply(200, sheet);
    const body = JSON.parse(String(init.body)) as Record<string, unknown>;
    const id = String(body.request_id);
    if (this.applied.has(id)) return this.refuse(409, 'room.replayed', sheet);
    if (sheet.status === 'signed') return this.refuse(403, 'sheet.signed');
    let next: ScoreSheet = sheet;
    if (m[2] === 'answers') {
      const code = decodeURIComponent(m[3]);
      const stored = sheet.answers[code] ?? null;
      const option = body.option as number | null;
      if (stored !== body.replaces && stored !== option) return this.refuse(409, 'room.stale', sheet);
      const answers = { ...sheet.answers };
      if (option === null) delete answers[code];
      else answers[code] = option;
      const complete = Object.keys(answers).length >= this.leaves;
      next = { ...sheet, answers, version: sheet.version + 1, score: { ...sheet.score, complete } };
      this.log.push([id, `${code}=${option}`]);
    } else if (m[4] === 'elimination') {
      next = { ...sheet, elimination: body.reason as string | null };
      this.log.push([id, `elimination=${body.reason}`]);
    } else if (m[4] === 'comment') {
      next = { ...sheet, comment: String(body.comment) };
      this.log.push([id, `comment=${body.comment}`]);
    } else {
      if (body.pin !== '1234') return this.refuse(403, 'pin.wrong');
      next = { ...sheet, status: 'signed', signed_at: '2026-12-03T09:00:00' };
      this.log.push([id, 'sign']);
    }
    this.applied.add(id);
    this.sheets.set(sheet.id, next);
    if (this.loseAnswers > 0) {
      this.loseAnswers--;
      throw new TypeError('connection reset');
    }
    return this.reply(200, next);
  };
}
