/**
 * The registry (Sổ theo dõi OCOP), re-recognition and revocation as the screens show them: words for
 * the backend's codes (as message keys), the badge of a status, the page range, the deadlines.
 * Pure functions; the rules themselves live in the core (`ocop-core/src/registry.rs`).
 */
import type { DueEvent } from './bindings/DueEvent';
import type { RegistryStatus } from './bindings/RegistryStatus';
import type { RenewalKind } from './bindings/RenewalKind';
import type { RenewalStatus } from './bindings/RenewalStatus';
import type { RevocationAuthority } from './bindings/RevocationAuthority';
import type { RevocationGround } from './bindings/RevocationGround';
import { civilDate } from './format';
import type { MessageKey } from './i18n';

/** Rows a registry page holds. */
export const PAGE_SIZE = 100;

export const REGISTRY_STATUSES: readonly RegistryStatus[] = [
  'valid',
  'window_open',
  'window_missed',
  'expired',
  'revoked',
  'superseded',
];

export const REGISTRY_STATUS_LABEL: Readonly<Record<RegistryStatus, MessageKey>> = {
  valid: 'registryStatus.valid',
  window_open: 'registryStatus.window_open',
  window_missed: 'registryStatus.window_missed',
  expired: 'registryStatus.expired',
  revoked: 'registryStatus.revoked',
  superseded: 'registryStatus.superseded',
};

/**
 * The badge class of a status. Expired (lapsed) and revoked must never look alike: a lapsed
 * certificate is grey, a revoked one red.
 */
export const REGISTRY_STATUS_BADGE: Readonly<Record<RegistryStatus, string>> = {
  valid: 'badge-ok',
  window_open: 'badge-info',
  window_missed: 'badge-warn',
  expired: 'badge-expired',
  revoked: 'badge-danger',
  superseded: 'badge-superseded',
};

/** A status from a filter's value, or undefined for "all" and anything unknown. */
export function parseStatus(value: string): RegistryStatus | undefined {
  return (REGISTRY_STATUSES as readonly string[]).includes(value) ? (value as RegistryStatus) : undefined;
}

export const DUE_EVENT_LABEL: Readonly<Record<DueEvent, MessageKey>> = {
  opens: 'registry.due.opens',
  closes: 'registry.due.closes',
};

export const REVOCATION_GROUNDS: readonly RevocationGround[] = ['a', 'b', 'c', 'd', 'đ', 'e'];

/** The grounds as Điều 8.1 of Quyết định 26/2026/QĐ-TTg words them. */
export const REVOCATION_GROUND_LABEL: Readonly<Record<RevocationGround, MessageKey>> = {
  a: 'revoke.ground.a',
  b: 'revoke.ground.b',
  c: 'revoke.ground.c',
  d: 'revoke.ground.d',
  đ: 'revoke.ground.dd',
  e: 'revoke.ground.e',
};

/** Who revokes a certificate of `star` stars (Điều 8.2): the provincial chair for 3★ and 4★, the Minister for 5★. */
export function revocationAuthority(star: number): RevocationAuthority {
  return star >= 5 ? 'minister' : 'province_chair';
}

export const AUTHORITY_LABEL: Readonly<Record<RevocationAuthority, MessageKey>> = {
  province_chair: 'revoke.authority.province_chair',
  minister: 'revoke.authority.minister',
};

/** A revocation is decided within this many days of the conclusion (Điều 8.2). */
export const REVOCATION_DAYS = 15;

/** Days from ISO date `from` to ISO date `to` (negative when `to` is earlier), or null if either is not a date. */
export function daysBetween(from: string, to: string): number | null {
  const a = civilDate(from);
  const b = civilDate(to);
  if (!a || !b) return null;
  const utc = (d: { year: number; month: number; day: number }) => Date.UTC(d.year, d.month - 1, d.day);
  return Math.round((utc(b) - utc(a)) / 86_400_000);
}

/** The decision comes more than 15 days after the conclusion (the dialog warns; the core records it as late). */
export function revocationLate(concludedOn: string, decidedOn: string): boolean {
  const d = daysBetween(concludedOn, decidedOn);
  return d !== null && d > REVOCATION_DAYS;
}

export const RENEWAL_KIND_LABEL: Readonly<Record<RenewalKind, MessageKey>> = {
  rerecognition: 'renewalKind.rerecognition',
  upgrade: 'renewalKind.upgrade',
};

export const RENEWAL_STATUS_LABEL: Readonly<Record<RenewalStatus, MessageKey>> = {
  opinions: 'renewalStatus.opinions',
  meeting: 'renewalStatus.meeting',
  decided: 'renewalStatus.decided',
  refused: 'renewalStatus.refused',
};

/** A deadline this close (days left, or past) is shown in red. */
export const URGENT_DAYS = 7;

export function deadlineUrgent(daysLeft: number | bigint | null): boolean {
  return daysLeft !== null && Number(daysLeft) <= URGENT_DAYS;
}

/** "1 234" / "20 000": a count with a thin space between thousands, as the page range shows it. */
function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
}

/** "1–100 / 20 000": the rows a page shows out of all the matches ("0 / 0" when none). */
export function pageRangeText(offset: number, shown: number, total: number): string {
  if (total === 0 || shown === 0) return `0 / ${grouped(total)}`;
  return `${grouped(offset + 1)}–${grouped(offset + shown)} / ${grouped(total)}`;
}

/** The page `offset` lies on (0-based) and how many pages `total` rows make. */
export function pageOf(offset: number, total: number, size: number = PAGE_SIZE): { page: number; pages: number } {
  return { page: Math.floor(offset / size), pages: Math.max(1, Math.ceil(total / size)) };
}

/** The offset of page `page` (clamped to the pages there are). */
export function pageOffset(page: number, total: number, size: number = PAGE_SIZE): number {
  const { pages } = pageOf(0, total, size);
  return Math.min(Math.max(0, page), pages - 1) * size;
}

/** "Xã Nga Thạch, huyện Nga Sơn": commune and district, whichever the entry has. */
export function placeText(commune: string, district: string): string {
  return [commune, district].filter((p) => p.trim() !== '').join(', ');
}
