/**
 * Making the audit log readable: names instead of ids, words instead of codes. The log itself is
 * the backend's (append-only, hash-chained); nothing here changes what it says.
 */
import type { AuditEntry } from './bindings/AuditEntry';
import type { Role } from './bindings/Role';
import type { RoundStatus } from './bindings/RoundStatus';
import type { SheetStatus } from './bindings/SheetStatus';
import type { Translate } from './i18n';
import { ROLE_LABEL, ROUND_STATUS_LABEL, SHEET_STATUS_LABEL } from './labels';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Replaces the ids a text mentions with the names we know. */
export function withNames(text: string, names: ReadonlyMap<string, string>): string {
  return text.replace(UUID, (id) => names.get(id.toLowerCase()) ?? id);
}

/**
 * Id → name, from the directory's `known` pairs and the sheet labels learnt from the log (whose
 * ids are replaced by names too).
 */
export function nameIndex(
  known: readonly (readonly [string, string])[],
  sheets: Iterable<readonly [string, string]>,
): ReadonlyMap<string, string> {
  const names = new Map<string, string>(known.map(([id, name]) => [id.toLowerCase(), name]));
  for (const [id, label] of sheets) names.set(id.toLowerCase(), withNames(label, names));
  return names;
}

/**
 * Labels for score sheets, learnt from the log itself: "sheet.open" records "member × product",
 * and "sheet.reopen" records "<new id>: <reason>" on the old version.
 */
export function sheetLabels(entries: readonly AuditEntry[]): Map<string, string> {
  const labels = new Map<string, string>();
  const oldestFirst = [...entries].sort((a, b) => Number(a.seq) - Number(b.seq));
  for (const e of oldestFirst) {
    if (e.action === 'sheet.open' && e.after) labels.set(e.entity_id, e.after);
    if (e.action === 'sheet.reopen' && e.after) {
      const newId = e.after.split(':')[0].trim();
      const label = labels.get(e.entity_id);
      if (label) labels.set(newId, label);
    }
  }
  return labels;
}

/**
 * The ids that belong to a round: the round, its dossiers and products, its current sheets, and
 * (through "sheet.reopen") the earlier versions of those sheets.
 */
export function roundEntityIds(
  entries: readonly AuditEntry[],
  roundId: string,
  known: Iterable<string>,
): Set<string> {
  const ids = new Set<string>([roundId, ...known]);
  // Newest first: a reopen entry names the new version, which is already known; add the old one.
  const reopens = entries.filter((e) => e.action === 'sheet.reopen' && e.after);
  let grew = true;
  while (grew) {
    grew = false;
    for (const e of reopens) {
      const newId = (e.after ?? '').split(':')[0].trim();
      if (ids.has(newId) && !ids.has(e.entity_id)) {
        ids.add(e.entity_id);
        grew = true;
      }
    }
  }
  return ids;
}

/** A before/after value in words: option numbers from 1, statuses, roles, attendance. */
export function describeValue(
  action: string,
  value: string | null,
  names: ReadonlyMap<string, string>,
  t: Translate,
): string {
  if (value == null || value === '') return '—';
  switch (action) {
    case 'sheet.answer': {
      const m = /^(.+)=(\d+)$/.exec(value);
      return m ? t('audit.answer', { code: m[1], n: Number(m[2]) + 1 }) : value;
    }
    case 'round.status':
    case 'round.finalise':
      return value in ROUND_STATUS_LABEL ? t(ROUND_STATUS_LABEL[value as RoundStatus]) : value;
    case 'sheet.sign':
    case 'sheet.reopen': {
      if (value in SHEET_STATUS_LABEL) return t(SHEET_STATUS_LABEL[value as SheetStatus]);
      // "<new version id>: <reason>" → the reason.
      const m = /^[0-9a-f-]{36}: ([\s\S]*)$/i.exec(value);
      return m ? m[1] : withNames(value, names);
    }
    case 'dossier.attach':
      // "<file name> <sha256>" → the file name.
      return value.replace(/\s+[0-9a-f]{64}$/i, '');
    case 'round.member': {
      const m = /^(.*): (\w+)$/.exec(value);
      return m && m[2] in ROLE_LABEL ? `${m[1]}: ${t(ROLE_LABEL[m[2] as Role])}` : withNames(value, names);
    }
    case 'round.attendance': {
      const m = /^(.*): (true|false)$/.exec(value);
      return m ? `${withNames(m[1], names)}: ${t(m[2] === 'true' ? 'council.present' : 'council.absent')}` : value;
    }
    default:
      return withNames(value, names);
  }
}
