/**
 * The member page's state: the pairing, what the hub last said (the member's view and sheets), and
 * the outbox's changes laid over it, so the page shows every change the moment it is made, sent or
 * not. All writes go through the outbox (`sync.ts`); signing, which needs the PIN at the hub, is
 * sent directly.
 */
import { get } from 'svelte/store';
import type { MemberView } from '../lib/bindings/MemberView';
import type { Pairing } from '../lib/bindings/Pairing';
import type { ProductSet } from '../lib/bindings/ProductSet';
import type { ScoreSheet } from '../lib/bindings/ScoreSheet';
import { lang } from '../lib/i18n';
import { memberBundle, type MemberChange } from './bundle';
import { Hub, HubError, OfflineError, sessionDead } from './hub';
import { Outbox } from './outbox';
import { nowUtc, shownAnswers, shownRemarks } from './changes';
import { flush, type FlushResult } from './sync';

/** How often the page retries while changes wait, and refreshes the member's view otherwise. */
export const RETRY_MS = 3000;
export const REFRESH_MS = 10000;

export type Link = 'online' | 'offline' | 'ended';

function uuid(): string {
  return globalThis.crypto.randomUUID();
}

export class MemberSession {
  readonly hub: Hub;
  readonly box: Outbox;
  pairing = $state<Pairing | null>(null);
  view = $state<MemberView | null>(null);
  sheets = $state<Record<string, ScoreSheet>>({});
  waiting = $state<MemberChange[]>([]);
  link = $state<Link>('online');
  /** The last refusal or stale write, shown once. */
  notice = $state<{ kind: 'stale' | 'refused'; error: HubError | null } | null>(null);
  // A cache, not shown state: no need for a reactive map.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private criteriaCache = new Map<string, Promise<ProductSet>>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(box: Outbox, hub?: Hub) {
    this.box = box;
    this.hub = hub ?? new Hub({ lang: () => get(lang) });
  }

  /** Restores a stored pairing; false when there is none or the hub says it has ended. */
  async resume(): Promise<boolean> {
    const p = await this.box.pairing();
    if (!p) return false;
    this.pairing = p;
    this.hub.session = p.session;
    this.waiting = await this.box.pending(p.member.id);
    try {
      await this.refresh();
    } catch (e) {
      if (sessionDead(e)) {
        this.link = 'ended';
        return this.waiting.length > 0;
      }
      if (!(e instanceof OfflineError)) throw e;
      this.link = 'offline';
    }
    this.schedule();
    return true;
  }

  async pair(by: { token: string } | { code: string }, device: string): Promise<void> {
    const p = await this.hub.pair(by, device);
    this.hub.session = p.session;
    await this.box.setPairing(p);
    this.pairing = p;
    this.link = 'online';
    this.waiting = await this.box.pending(p.member.id);
    await this.refresh();
    this.schedule();
  }

  /** Forgets the pairing (after the room ended); waiting changes stay for the member's file. */
  async forget(): Promise<void> {
    await this.box.setPairing(null);
    this.pairing = null;
    this.view = null;
    this.hub.session = null;
    this.stop();
  }

  async refresh(): Promise<void> {
    this.view = await this.hub.me();
    this.link = 'online';
  }

  criteria(sha: string): Promise<ProductSet> {
    let p = this.criteriaCache.get(sha);
    if (!p) {
      p = this.hub.criteria(sha);
      p.catch(() => this.criteriaCache.delete(sha));
      this.criteriaCache.set(sha, p);
    }
    return p;
  }

  async openSheet(product: string): Promise<ScoreSheet> {
    const s = await this.hub.openSheet(product);
    this.setSheet(s);
    return s;
  }

  setSheet(s: ScoreSheet): void {
    this.sheets = { ...this.sheets, [s.id]: s };
  }

  /** Waiting changes of one sheet. */
  waitingFor(sheet: string): MemberChange[] {
    return this.waiting.filter((c) => c.sheet_id === sheet);
  }

  private async change(c: Omit<MemberChange, 'id' | 'pairing_id' | 'at'>): Promise<void> {
    const p = this.pairing;
    if (!p) return;
    const full: MemberChange = { ...c, id: uuid(), pairing_id: p.pairing_id, at: nowUtc() };
    await this.box.add(p.member.id, full);
    this.waiting = [...this.waiting, full];
    void this.send();
  }

  async answer(sheet: ScoreSheet, criterion: string, option: number | null): Promise<void> {
    const shown = shownAnswers(sheet, this.waitingFor(sheet.id));
    const replaces = shown[criterion] ?? null;
    if (replaces === option) return;
    await this.change({ sheet_id: sheet.id, kind: 'answer', criterion, replaces, option, text: null });
  }

  async eliminate(sheet: ScoreSheet, reason: string | null): Promise<void> {
    if (shownRemarks(sheet, this.waitingFor(sheet.id)).elimination === reason) return;
    await this.change({ sheet_id: sheet.id, kind: 'elimination', criterion: null, replaces: null, option: null, text: reason });
  }

  async comment(sheet: ScoreSheet, text: string): Promise<void> {
    if (shownRemarks(sheet, this.waitingFor(sheet.id)).comment === text) return;
    await this.change({ sheet_id: sheet.id, kind: 'comment', criterion: null, replaces: null, option: null, text });
  }

  /** Sends what waits; schedules the next try while anything is left. */
  async send(): Promise<FlushResult | null> {
    const p = this.pairing;
    if (!p || this.link === 'ended') return null;
    const r = await flush(this.hub, this.box, p.member.id, (s) => this.setSheet(s));
    this.waiting = await this.box.pending(p.member.id);
    if (r.dead) this.link = 'ended';
    else if (r.offline) this.link = 'offline';
    else this.link = 'online';
    if (r.stale > 0) this.notice = { kind: 'stale', error: null };
    else if (r.refused.length > 0) this.notice = { kind: 'refused', error: r.refused[r.refused.length - 1] };
    if (r.sent + r.stale + r.refused.length > 0 && this.link === 'online') {
      try {
        await this.refresh();
      } catch {
        /* the next tick refreshes */
      }
    }
    this.schedule();
    return r;
  }

  private sign_request: { sheet: string; id: string } | null = null;

  /** Signs a sheet with the member's PIN, once everything of it has reached the hub. */
  async sign(sheet: ScoreSheet, pin: string): Promise<ScoreSheet> {
    // Keep the request id while retrying, so a signature whose answer was lost is recognised.
    if (this.sign_request?.sheet !== sheet.id) this.sign_request = { sheet: sheet.id, id: uuid() };
    try {
      const s = await this.hub.sign(sheet.id, { request_id: this.sign_request.id, pin });
      this.sign_request = null;
      this.setSheet(s);
      void this.refresh().catch(() => undefined);
      return s;
    } catch (e) {
      if (e instanceof HubError && e.code === 'room.replayed' && e.sheet) {
        this.sign_request = null;
        this.setSheet(e.sheet);
        return e.sheet;
      }
      if (e instanceof HubError) this.sign_request = null;
      throw e;
    }
  }

  /** The member's answers file of everything waiting, for the secretary to import. */
  exportFile(): { name: string; bytes: Uint8Array } | null {
    const p = this.pairing;
    if (!p || this.waiting.length === 0) return null;
    const created = nowUtc();
    const bytes = memberBundle({ signingKey: p.signing_key, member: p.member.name, bundleUuid: uuid(), created, changes: [...this.waiting] });
    const stamp = created.slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
    return { name: `phieu-cham-${p.member.id.slice(0, 8)}-${stamp}.zip`, bytes };
  }

  private schedule(): void {
    this.stop();
    if (!this.pairing || this.link === 'ended') return;
    const wait = this.waiting.length > 0 ? RETRY_MS : REFRESH_MS;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.waiting.length > 0) void this.send();
      else
        this.refresh()
          .catch((e) => {
            if (sessionDead(e)) this.link = 'ended';
            else if (e instanceof OfflineError) this.link = 'offline';
          })
          .finally(() => this.schedule());
    }, wait);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

export async function openSession(): Promise<MemberSession> {
  return new MemberSession(await Outbox.open());
}
