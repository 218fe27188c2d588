/**
 * The papers a round produces (what the "Giấy tờ" tab lists), and the office settings a paper
 * cannot be printed without (the same fields the backend checks, `OfficeSettings::missing`).
 */
import type { OfficeSettings } from './bindings/OfficeSettings';
import type { PaperKind } from './bindings/PaperKind';
import type { MessageKey } from './i18n';

export interface PaperDef {
  kind: PaperKind;
  label: MessageKey;
  hint: MessageKey;
  /** "pdf" or "xlsx": the file type, the save dialog's filter and whether it can be previewed. */
  extension: 'pdf' | 'xlsx';
  /** The default file name in the save dialog (the backend's names, without diacritics). */
  fileName: string;
  /** For every product of the round or one (`select#paper-product`). */
  perProduct: boolean;
  /** Needs a finalised round and its recognition decision. */
  recognition: boolean;
}

export const PAPERS: readonly PaperDef[] = [
  { kind: 'blank-sheet', label: 'papers.kind.blankSheet', hint: 'papers.hint.blankSheet', extension: 'pdf', fileName: 'phieu-danh-gia-trang.pdf', perProduct: true, recognition: false },
  { kind: 'sheet', label: 'papers.kind.sheet', hint: 'papers.hint.sheet', extension: 'pdf', fileName: 'phieu-danh-gia.pdf', perProduct: true, recognition: false },
  { kind: 'summary', label: 'papers.kind.summary', hint: 'papers.hint.summary', extension: 'pdf', fileName: 'bang-tong-hop.pdf', perProduct: false, recognition: false },
  { kind: 'summary-xlsx', label: 'papers.kind.summaryXlsx', hint: 'papers.hint.summaryXlsx', extension: 'xlsx', fileName: 'bang-tong-hop.xlsx', perProduct: false, recognition: false },
  { kind: 'minutes', label: 'papers.kind.minutes', hint: 'papers.hint.minutes', extension: 'pdf', fileName: 'bien-ban.pdf', perProduct: false, recognition: false },
  { kind: 'decision', label: 'papers.kind.decision', hint: 'papers.hint.decision', extension: 'pdf', fileName: 'quyet-dinh-cong-nhan.pdf', perProduct: false, recognition: true },
  { kind: 'certificates', label: 'papers.kind.certificates', hint: 'papers.hint.certificates', extension: 'pdf', fileName: 'giay-chung-nhan.pdf', perProduct: false, recognition: true },
  { kind: 'recognised-xlsx', label: 'papers.kind.recognisedXlsx', hint: 'papers.hint.recognisedXlsx', extension: 'xlsx', fileName: 'danh-sach-cong-nhan.xlsx', perProduct: false, recognition: true },
];

/** The file name for one product's sheets: "phieu-danh-gia.pdf" → "phieu-danh-gia-<code>.pdf". */
export function paperFileName(def: PaperDef, productCode: string | null): string {
  if (!productCode) return def.fileName;
  const safe = productCode.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  if (!safe) return def.fileName;
  return def.fileName.replace(/\.(pdf|xlsx)$/, `-${safe}.$1`);
}

/** The office settings still empty that every paper needs, as message keys (none: complete). */
export function missingOfficeFields(o: OfficeSettings): MessageKey[] {
  const checks: [string, MessageKey][] = [
    [o.province, 'office.province'],
    [o.place, 'office.place'],
    [o.people_committee, 'office.people_committee'],
    [o.council_name, 'office.council_name'],
    [o.decision_symbol, 'office.decision_symbol'],
    [o.decision_signer.name, 'office.signer_name'],
  ];
  return checks.filter(([v]) => v.trim() === '').map(([, key]) => key);
}

/** Today's local date, ISO ("2026-11-26"). */
export function todayIso(now: Date = new Date()): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}
