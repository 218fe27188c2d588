/**
 * Making the audit log readable: names instead of ids, words instead of codes, one line per
 * changed field ("field: old → new"). The log itself is the backend's (append-only, hash-chained);
 * nothing here changes what it says.
 *
 * An entry's `before`/`after` are JSON, usually an object of the fields that changed. Entries from
 * the first releases hold a short text instead ("6.1.1=2", "signed"), which arrives as a string.
 */
import type { AuditEntry } from './bindings/AuditEntry';
import type { Role } from './bindings/Role';
import type { RoundStatus } from './bindings/RoundStatus';
import type { SheetStatus } from './bindings/SheetStatus';
import type { MessageKey, Translate } from './i18n';
import { ROLE_LABEL, ROUND_STATUS_LABEL, SHEET_STATUS_LABEL } from './labels';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const SHA256 = /^[0-9a-f]{64}$/i;

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

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(v: unknown): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function field(v: unknown, key: string): Json | undefined {
  return isObject(v) ? v[key] : undefined;
}

/**
 * Labels for score sheets, learnt from the log itself: "sheet.open" records the member and the
 * product, and "sheet.reopen" names the new version of the sheet it reopens.
 */
export function sheetLabels(entries: readonly AuditEntry[]): Map<string, string> {
  const labels = new Map<string, string>();
  const oldestFirst = [...entries].sort((a, b) => Number(a.seq) - Number(b.seq));
  for (const e of oldestFirst) {
    if (e.action === 'sheet.open') {
      const member = field(e.after, 'member');
      const product = field(e.after, 'product');
      if (typeof member === 'string' && typeof product === 'string') labels.set(e.entity_id, `${member} × ${product}`);
      else if (typeof e.after === 'string') labels.set(e.entity_id, e.after);
    }
    if (e.action === 'sheet.reopen') {
      const next = field(e.after, 'new_sheet_id');
      const newId = typeof next === 'string' ? next : typeof e.after === 'string' ? e.after.split(':')[0].trim() : '';
      const label = labels.get(e.entity_id);
      if (label && newId) labels.set(newId, label);
    }
  }
  return labels;
}

const FIELDS = {
  status: 'audit.field.status',
  comment: 'audit.field.comment',
  elimination: 'audit.field.elimination',
  note: 'audit.field.note',
  reason: 'audit.field.reason',
  role: 'audit.field.role',
  present: 'audit.field.present',
  person: 'audit.field.person',
  person_id: 'audit.field.person_id',
  member: 'audit.field.member',
  product: 'audit.field.product',
  product_id: 'audit.field.product_id',
  round_id: 'audit.field.round_id',
  name: 'audit.field.name',
  full_name: 'audit.field.full_name',
  title: 'audit.field.title',
  unit: 'audit.field.unit',
  date: 'audit.field.date',
  total: 'audit.field.total',
  answers: 'audit.field.answers',
  new_sheet_id: 'audit.field.new_sheet_id',
  spread_before: 'audit.field.spread_before',
  application_type: 'audit.field.application_type',
  received_on: 'audit.field.received_on',
  commune: 'audit.field.commune',
  registration_no: 'audit.field.registration_no',
  pass: 'audit.field.pass',
  keyed_by: 'audit.field.keyed_by',
  number: 'audit.field.number',
  certificates: 'audit.field.certificates',
  rows: 'audit.field.rows',
  decision: 'audit.field.decision',
  procedure: 'audit.field.procedure',
  failures: 'audit.field.failures',
  locked_until: 'audit.field.locked_until',
} as const satisfies Record<string, MessageKey>;

/** A field's name in words (the raw name for fields the UI does not know). */
export function fieldLabel(key: string, t: Translate): string {
  const k = (FIELDS as Record<string, MessageKey>)[key];
  return k ? t(k) : key.replace(/_/g, ' ');
}

/** One changed field: its name (null for a value with no fields) and the value before and after. */
export interface Change {
  field: string | null;
  before: string | null;
  after: string | null;
}

/** One value in words: statuses, roles, attendance, names for ids, short hashes. */
function valueText(
  entity: string,
  key: string | null,
  v: Json | undefined,
  names: ReadonlyMap<string, string>,
  t: Translate,
): string {
  if (v === undefined || v === null || v === '') return '—';
  if (typeof v === 'boolean') {
    if (key === 'present') return t(v ? 'council.present' : 'council.absent');
    return t(v ? 'audit.yes' : 'audit.no');
  }
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return v.length === 0 ? '—' : v.map((x) => valueText(entity, null, x, names, t)).join(', ');
  if (isObject(v)) {
    const keys = Object.keys(v);
    return keys.length > 8 ? t('audit.items', { n: keys.length }) : keys.map((k) => `${k}: ${valueText(entity, k, v[k], names, t)}`).join('; ');
  }
  if (key === 'status') {
    if (entity === 'round' && v in ROUND_STATUS_LABEL) return t(ROUND_STATUS_LABEL[v as RoundStatus]);
    if (v in SHEET_STATUS_LABEL) return t(SHEET_STATUS_LABEL[v as SheetStatus]);
  }
  if (key === 'role' && v in ROLE_LABEL) return t(ROLE_LABEL[v as Role]);
  if (SHA256.test(v)) return `${v.slice(0, 12)}…`;
  return withNames(v, names);
}

/** A value of the first releases (plain text) in words, as those releases wrote it. */
function legacyText(action: string, value: string, names: ReadonlyMap<string, string>, t: Translate): string {
  if (value === '') return '—';
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

function same(a: Json | undefined, b: Json | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * What an entry changed, one line per field: the fields of `after` (and those only `before`
 * had), skipping the ones whose value stayed the same. A score is "criterion: option n → option
 * m"; a value with no fields (the first releases' text) is one line without a field name.
 */
export function describeChange(
  e: Pick<AuditEntry, 'action' | 'entity' | 'before' | 'after'>,
  names: ReadonlyMap<string, string>,
  t: Translate,
): Change[] {
  const before = (e.before ?? null) as Json;
  const after = (e.after ?? null) as Json;
  if (e.action === 'sheet.answer' && (isObject(before) || isObject(after))) {
    const criterion = field(after, 'criterion') ?? field(before, 'criterion');
    const option = (v: Json): string | null => {
      const o = field(v, 'option');
      return typeof o === 'number' ? t('audit.option', { n: o + 1 }) : null;
    };
    return [{ field: typeof criterion === 'string' ? criterion : null, before: option(before), after: option(after) ?? '—' }];
  }
  if (isObject(before) || isObject(after)) {
    const b = isObject(before) ? before : {};
    const a = isObject(after) ? after : {};
    const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !(k in a))];
    return keys
      .filter((k) => !(k in b && k in a && same(b[k], a[k])))
      .map((k) => ({
        field: fieldLabel(k, t),
        before: isObject(before) ? valueText(e.entity, k, b[k], names, t) : null,
        after: isObject(after) ? valueText(e.entity, k, a[k], names, t) : '—',
      }));
  }
  const text = (v: Json): string | null =>
    v === null ? null : typeof v === 'string' ? legacyText(e.action, v, names, t) : valueText(e.entity, null, v, names, t);
  if (before === null && after === null) return [];
  return [{ field: null, before: text(before), after: text(after) ?? '—' }];
}

/** The words of an entry's values, for searching the log. */
export function changeText(changes: readonly Change[]): string {
  return changes.map((c) => [c.field, c.before, c.after].filter((x) => x != null).join(' ')).join(' ');
}
