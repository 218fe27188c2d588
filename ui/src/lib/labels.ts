/**
 * The words for the backend's codes (roles, statuses, levels, audit actions …), as message keys.
 * Records over the generated union types, so a new code in Rust fails the type check here.
 */
import type { ApplicationType } from './bindings/ApplicationType';
import type { Level } from './bindings/Level';
import type { OwnerKind } from './bindings/OwnerKind';
import type { Procedure } from './bindings/Procedure';
import type { Role } from './bindings/Role';
import type { RoundStatus } from './bindings/RoundStatus';
import type { SheetStatus } from './bindings/SheetStatus';
import type { MessageKey } from './i18n';

export const ROLES: readonly Role[] = ['chair', 'vice_chair', 'member', 'secretary', 'advisor'];

export const ROLE_LABEL: Readonly<Record<Role, MessageKey>> = {
  chair: 'role.chair',
  vice_chair: 'role.vice_chair',
  member: 'role.member',
  secretary: 'role.secretary',
  advisor: 'role.advisor',
};

/** Roles whose members score (the advisors prepare and advise only). */
export function scores(role: Role): boolean {
  return role !== 'advisor';
}

export const ROUND_STATUSES: readonly RoundStatus[] = ['draft', 'scoring', 'finalised'];

export const ROUND_STATUS_LABEL: Readonly<Record<RoundStatus, MessageKey>> = {
  draft: 'roundStatus.draft',
  scoring: 'roundStatus.scoring',
  finalised: 'roundStatus.finalised',
};

export const LEVELS: readonly Level[] = ['district', 'province', 'centre'];

export const LEVEL_LABEL: Readonly<Record<Level, MessageKey>> = {
  district: 'level.district',
  province: 'level.province',
  centre: 'level.centre',
};

/** The level a procedure belongs to (mirrors `Procedure::level` in the core). */
export const PROCEDURE_LEVEL: Readonly<Record<Procedure, Level>> = {
  '148-district': 'district',
  '148-province': 'province',
  '26-province': 'province',
  centre: 'centre',
};

export const PROCEDURE_LABEL: Readonly<Record<Procedure, MessageKey>> = {
  '148-district': 'procedure.148-district',
  '148-province': 'procedure.148-province',
  '26-province': 'procedure.26-province',
  centre: 'procedure.centre',
};

export const OWNER_KINDS: readonly OwnerKind[] = ['htx', 'tht', 'dn', 'hkd', 'trang_trai', 'khac'];

export const OWNER_KIND_LABEL: Readonly<Record<OwnerKind, MessageKey>> = {
  htx: 'ownerKind.htx',
  tht: 'ownerKind.tht',
  dn: 'ownerKind.dn',
  hkd: 'ownerKind.hkd',
  trang_trai: 'ownerKind.trang_trai',
  khac: 'ownerKind.khac',
};

export const APPLICATION_TYPES: readonly ApplicationType[] = ['first', 'upgrade', 'reevaluation'];

export const APPLICATION_TYPE_LABEL: Readonly<Record<ApplicationType, MessageKey>> = {
  first: 'applicationType.first',
  upgrade: 'applicationType.upgrade',
  reevaluation: 'applicationType.reevaluation',
};

export const SHEET_STATUS_LABEL: Readonly<Record<SheetStatus, MessageKey>> = {
  open: 'sheetStatus.open',
  signed: 'sheetStatus.signed',
  superseded: 'sheetStatus.superseded',
};

const AUDIT_ACTIONS = {
  'round.create': 'audit.action.round.create',
  'round.update': 'audit.action.round.update',
  'round.status': 'audit.action.round.status',
  'round.member': 'audit.action.round.member',
  'round.member_remove': 'audit.action.round.member_remove',
  'round.attendance': 'audit.action.round.attendance',
  'round.spread_review': 'audit.action.round.spread_review',
  'round.finalise': 'audit.action.round.finalise',
  'recusal.set': 'audit.action.recusal.set',
  'recusal.clear': 'audit.action.recusal.clear',
  'dossier.add': 'audit.action.dossier.add',
  'dossier.update': 'audit.action.dossier.update',
  'dossier.remove': 'audit.action.dossier.remove',
  'dossier.attach': 'audit.action.dossier.attach',
  'sheet.open': 'audit.action.sheet.open',
  'sheet.answer': 'audit.action.sheet.answer',
  'sheet.elimination': 'audit.action.sheet.elimination',
  'sheet.comment': 'audit.action.sheet.comment',
  'sheet.sign': 'audit.action.sheet.sign',
  'sheet.reopen': 'audit.action.sheet.reopen',
  'person.add': 'audit.action.person.add',
  'person.update': 'audit.action.person.update',
  'person.set_pin': 'audit.action.person.set_pin',
  'person.pin_failed': 'audit.action.person.pin_failed',
  'owner.add': 'audit.action.owner.add',
  'owner.update': 'audit.action.owner.update',
  'product.add': 'audit.action.product.add',
  'product.update': 'audit.action.product.update',
  'import.xlsx': 'audit.action.import.xlsx',
} as const satisfies Record<string, MessageKey>;

/** The words for an audit action code; null for a code this UI does not know (shown as is). */
export function auditActionKey(action: string): MessageKey | null {
  return (AUDIT_ACTIONS as Record<string, MessageKey>)[action] ?? null;
}

const AUDIT_ENTITIES = {
  round: 'audit.entity.round',
  product: 'audit.entity.product',
  dossier: 'audit.entity.dossier',
  score_sheet: 'audit.entity.score_sheet',
  person: 'audit.entity.person',
  owner: 'audit.entity.owner',
  import: 'audit.entity.import',
} as const satisfies Record<string, MessageKey>;

export function auditEntityKey(entity: string): MessageKey | null {
  return (AUDIT_ENTITIES as Record<string, MessageKey>)[entity] ?? null;
}
