/**
 * The member page's client of the council room's HTTP API (`ocop-room/API.md`). The page is served
 * by the hub itself, so every call goes to the page's own origin. This is not the app's IPC (that
 * stays in `lib/api.ts`); the types are the same ts-rs bindings.
 */
import type { AttachmentRef } from '../lib/bindings/AttachmentRef';
import type { ErrorDto } from '../lib/bindings/ErrorDto';
import type { MemberView } from '../lib/bindings/MemberView';
import type { Pairing } from '../lib/bindings/Pairing';
import type { ProductSet } from '../lib/bindings/ProductSet';
import type { RoomPublic } from '../lib/bindings/RoomPublic';
import type { ScoreSheet } from '../lib/bindings/ScoreSheet';
import type { Lang } from '../lib/bindings/Lang';

/** A refusal from the hub: its coded error, the HTTP status, and the current sheet when it sends one. */
export class HubError extends Error {
  readonly code: string;
  readonly params: Record<string, string>;
  readonly status: number;
  readonly sheet: ScoreSheet | null;
  constructor(status: number, dto: ErrorDto, sheet: ScoreSheet | null) {
    super(dto.message);
    this.code = dto.code;
    this.params = dto.params;
    this.status = status;
    this.sheet = sheet;
  }
}

/** The hub could not be reached (Wi-Fi gone, hub stopped): the change is kept and sent later. */
export class OfflineError extends Error {
  readonly kind = 'offline';
}

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface HubOptions {
  /** Origin and base path; '' for the page's own origin. */
  base?: string;
  session?: string | null;
  lang?: () => Lang;
  fetch?: Fetch;
}

/** Whether a refusal means the device can no longer use the room (pairing ended, room closed). */
export function sessionDead(e: unknown): boolean {
  return e instanceof HubError && (e.status === 401 || e.status === 410);
}

export class Hub {
  private readonly base: string;
  session: string | null;
  private readonly lang: () => Lang;
  private readonly fetcher: Fetch;

  constructor(o: HubOptions = {}) {
    this.base = o.base ?? '';
    this.session = o.session ?? null;
    this.lang = o.lang ?? (() => 'vi');
    this.fetcher = o.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  private async call(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { 'Accept-Language': this.lang() };
    if (this.session) headers.Authorization = `Bearer ${this.session}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let r: Response;
    try {
      r = await this.fetcher(`${this.base}/api/v1${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch {
      throw new OfflineError('offline');
    }
    if (r.ok) return r;
    // A proxy or a restarting hub may answer without our error body: treat it as offline.
    if (r.status >= 500) throw new OfflineError(`HTTP ${r.status}`);
    let dto: ErrorDto & { sheet?: ScoreSheet } = { code: 'room.bad_request', message: `HTTP ${r.status}`, params: {} };
    try {
      dto = await r.json();
    } catch {
      /* keep the generic refusal */
    }
    throw new HubError(r.status, dto, dto.sheet ?? null);
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const r = await this.call(method, path, body);
    try {
      return (await r.json()) as T;
    } catch {
      throw new OfflineError('cut answer');
    }
  }

  room(): Promise<RoomPublic> {
    return this.json('GET', '/room');
  }
  pair(by: { token: string } | { code: string }, device: string): Promise<Pairing> {
    return this.json('POST', '/pair', { ...by, device });
  }
  me(): Promise<MemberView> {
    return this.json('GET', '/me');
  }
  criteria(sha: string): Promise<ProductSet> {
    return this.json('GET', `/criteria/${encodeURIComponent(sha)}`);
  }
  dossier(product: string): Promise<{ attachments: AttachmentRef[] }> {
    return this.json('GET', `/dossiers/${encodeURIComponent(product)}`);
  }
  async attachment(sha: string): Promise<ArrayBuffer> {
    const r = await this.call('GET', `/attachments/${encodeURIComponent(sha)}`);
    return r.arrayBuffer();
  }
  openSheet(product: string): Promise<ScoreSheet> {
    return this.json('POST', `/products/${encodeURIComponent(product)}/sheet`, {});
  }
  sheet(id: string): Promise<ScoreSheet> {
    return this.json('GET', `/sheets/${encodeURIComponent(id)}`);
  }
  answer(sheet: string, criterion: string, b: { request_id: string; replaces: number | null; option: number | null }): Promise<ScoreSheet> {
    return this.json('PUT', `/sheets/${encodeURIComponent(sheet)}/answers/${encodeURIComponent(criterion)}`, b);
  }
  elimination(sheet: string, b: { request_id: string; reason: string | null }): Promise<ScoreSheet> {
    return this.json('PUT', `/sheets/${encodeURIComponent(sheet)}/elimination`, b);
  }
  comment(sheet: string, b: { request_id: string; comment: string }): Promise<ScoreSheet> {
    return this.json('PUT', `/sheets/${encodeURIComponent(sheet)}/comment`, b);
  }
  sign(sheet: string, b: { request_id: string; pin: string }): Promise<ScoreSheet> {
    return this.json('POST', `/sheets/${encodeURIComponent(sheet)}/sign`, b);
  }
}

/** A short name for this device, for the secretary's board and the audit ("Chrome · Android"). */
export function deviceLabel(ua: string): string {
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Firefox\//.test(ua)
      ? 'Firefox'
      : /(Chrome|Chromium|CriOS)\//.test(ua)
        ? 'Chrome'
        : /Safari\//.test(ua)
          ? 'Safari'
          : 'Trình duyệt';
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad|iPod/.test(ua)
      ? 'iOS'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS X/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : '';
  return os ? `${browser} · ${os}` : browser;
}
