/**
 * The member page's changes as pure functions: what a sheet shows once the waiting changes are laid
 * over the hub's copy, and the time stamps the changes and files carry.
 */
import type { ScoreSheet } from '../lib/bindings/ScoreSheet';
import type { MemberChange } from './bundle';

/** The answers a sheet shows: the hub's, with the waiting changes applied in order. */
export function shownAnswers(sheet: ScoreSheet, waiting: readonly MemberChange[]): Record<string, number> {
  const out: Record<string, number> = { ...sheet.answers };
  for (const c of waiting) {
    if (c.sheet_id !== sheet.id || c.kind !== 'answer' || !c.criterion) continue;
    if (c.option === null) delete out[c.criterion];
    else out[c.criterion] = c.option;
  }
  return out;
}

/** The elimination reason and comment a sheet shows, with the waiting changes applied. */
export function shownRemarks(sheet: ScoreSheet, waiting: readonly MemberChange[]): { elimination: string | null; comment: string } {
  let elimination = sheet.elimination;
  let comment = sheet.comment;
  for (const c of waiting) {
    if (c.sheet_id !== sheet.id) continue;
    if (c.kind === 'elimination') elimination = c.text;
    if (c.kind === 'comment') comment = c.text ?? '';
  }
  return { elimination, comment };
}

/** RFC 3339 in UTC to the second, as bundles carry it. */
export function nowUtc(d = new Date()): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}
