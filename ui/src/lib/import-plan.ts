/**
 * Reading an import plan (`ImportPlan`, made by the backend): words for its actions, records and
 * fields, and the stored values (codes, ISO dates) as the user knows them.
 */
import type { ApplicationType } from './bindings/ApplicationType';
import type { ImportAction } from './bindings/ImportAction';
import type { ImportChange } from './bindings/ImportChange';
import type { ImportEntity } from './bindings/ImportEntity';
import type { ImportPlan } from './bindings/ImportPlan';
import type { ImportRow } from './bindings/ImportRow';
import type { OwnerKind } from './bindings/OwnerKind';
import { formatDate } from './format';
import type { MessageKey, Translate } from './i18n';
import { APPLICATION_TYPE_LABEL, OWNER_KIND_LABEL } from './labels';

export const IMPORT_ACTION_LABEL: Readonly<Record<ImportAction, MessageKey>> = {
  new: 'import.action.new',
  update: 'import.action.update',
  unchanged: 'import.action.unchanged',
  error: 'import.action.error',
};

export const IMPORT_ENTITY_LABEL: Readonly<Record<ImportEntity, MessageKey>> = {
  owner: 'import.entity.owner',
  product: 'import.entity.product',
  dossier: 'import.entity.dossier',
  entry: 'import.entity.entry',
};

/** The fields an import changes (`entity.field`), with the label the record's form uses. */
const FIELD_LABEL: Readonly<Record<string, MessageKey>> = {
  'owner.name': 'owners.name',
  'owner.kind': 'owners.kind',
  'owner.representative': 'owners.representative',
  'owner.rep_sex': 'owners.sex',
  'owner.rep_ethnicity': 'owners.ethnicity',
  'owner.address': 'owners.address',
  'owner.commune': 'owners.commune',
  'owner.district': 'owners.district',
  'owner.province': 'owners.province',
  'owner.phone': 'owners.phone',
  'owner.email': 'owners.email',
  'owner.registration_no': 'owners.registration',
  'product.name': 'products.name',
  'product.decision_id': 'products.decision',
  'product.set_code': 'products.set',
  'product.code': 'products.code',
  'dossier.application_type': 'dossier.applicationType',
  'dossier.received_on': 'dossier.receivedOn',
};

const SEX_LABEL: Readonly<Record<string, MessageKey>> = { nam: 'owners.sex.nam', nu: 'owners.sex.nu' };

/** "Chủ thể · Điện thoại": the record and the field a change is about. */
export function fieldLabel(change: ImportChange, t: Translate): string {
  const key = FIELD_LABEL[`${change.entity}.${change.field}`];
  return `${t(IMPORT_ENTITY_LABEL[change.entity])} · ${key ? t(key) : change.field}`;
}

/** A value of a change as shown: words for codes, dd/mm/yyyy for dates, a dash for nothing. */
export function valueText(change: ImportChange, value: string, t: Translate): string {
  if (value === '') return '—';
  const field = `${change.entity}.${change.field}`;
  if (field === 'owner.kind' && value in OWNER_KIND_LABEL) return t(OWNER_KIND_LABEL[value as OwnerKind]);
  if (field === 'owner.rep_sex' && SEX_LABEL[value]) return t(SEX_LABEL[value]);
  if (field === 'dossier.application_type' && value in APPLICATION_TYPE_LABEL) {
    return t(APPLICATION_TYPE_LABEL[value as ApplicationType]);
  }
  if (field === 'dossier.received_on') return formatDate(value);
  return value;
}

/** The records a row creates (an owner made by an earlier row of the file is that row's). */
export function createdBy(row: ImportRow): ImportEntity[] {
  const out: ImportEntity[] = [];
  if (row.owner?.action === 'new' && row.owner.same_as_row === null) out.push('owner');
  if (row.product?.action === 'new') out.push('product');
  if (row.dossier?.action === 'new') out.push('dossier');
  return out;
}

/** A plan can be confirmed when no row is in error and it is not applied yet. */
export function canConfirm(plan: ImportPlan): boolean {
  return plan.counts.error === 0 && !plan.applied;
}
