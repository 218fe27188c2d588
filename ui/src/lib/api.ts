/**
 * The backend, as typed functions. This is the only module that talks to Tauri: every command goes
 * through `call`, and every type comes from Rust (ts-rs, `./bindings`).
 *
 * Commands reject with a coded error `{code, message, params}` (Rust `ErrorDto`): `message` is already
 * in the user's language, `code` is stable (the catalogue is `./bindings/messages.json`). It arrives
 * here as an `ApiError`; screens branch on `code`, never on the text.
 *
 * Development only: outside Tauri, with `?mock` in the URL of a page served by `vite` (dev server,
 * or `npm run build:mock` + `npm run preview:mock`), answers come from `./mock`. A production build
 * (`npm run build`) does not contain the mock at all: the branch is removed at build time.
 */
import { invoke, type InvokeOptions } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import { open as openDialog, save as saveDialog } from '@tauri-apps/plugin-dialog';
import type { AppInfo } from './bindings/AppInfo';
import type { AttachmentRef } from './bindings/AttachmentRef';
import type { AutoBackupReport } from './bindings/AutoBackupReport';
import type { AutoBackupStatus } from './bindings/AutoBackupStatus';
import type { BackupEntry } from './bindings/BackupEntry';
import type { BackupInfo } from './bindings/BackupInfo';
import type { BackupSettings } from './bindings/BackupSettings';
import type { RestoreReport } from './bindings/RestoreReport';
import type { AuditEntry } from './bindings/AuditEntry';
import type { AuditFilter } from './bindings/AuditFilter';
import type { AuditVerdict } from './bindings/AuditVerdict';
import type { BundlePlan } from './bindings/BundlePlan';
import type { ExportRequest } from './bindings/ExportRequest';
import type { ExportSummary } from './bindings/ExportSummary';
import type { BatchProgress } from './bindings/BatchProgress';
import type { BatchResult } from './bindings/BatchResult';
import type { CentralResult } from './bindings/CentralResult';
import type { CentralResultInput } from './bindings/CentralResultInput';
import type { CommuneReport } from './bindings/CommuneReport';
import type { ConflictResolution } from './bindings/ConflictResolution';
import type { CriteriaIndex } from './bindings/CriteriaIndex';
import type { Dashboard } from './bindings/Dashboard';
import type { Dossier } from './bindings/Dossier';
import type { DossierInput } from './bindings/DossierInput';
import type { ErrorDto } from './bindings/ErrorDto';
import type { ExchangeConflict } from './bindings/ExchangeConflict';
import type { ImportPlan } from './bindings/ImportPlan';
import type { ImportProgress } from './bindings/ImportProgress';
import type { Lang } from './bindings/Lang';
import type { ListFilter } from './bindings/ListFilter';
import type { Locality } from './bindings/Locality';
import type { LocalityLevel } from './bindings/LocalityLevel';
import type { Mismatch } from './bindings/Mismatch';
import type { OfficeKey } from './bindings/OfficeKey';
import type { OfficeSettings } from './bindings/OfficeSettings';
import type { Owner } from './bindings/Owner';
import type { PaperKind } from './bindings/PaperKind';
import type { Person } from './bindings/Person';
import type { PersonInput } from './bindings/PersonInput';
import type { PlanImportPlan } from './bindings/PlanImportPlan';
import type { PlanTarget } from './bindings/PlanTarget';
import type { Product } from './bindings/Product';
import type { ProductInput } from './bindings/ProductInput';
import type { ProductSet } from './bindings/ProductSet';
import type { Recognition } from './bindings/Recognition';
import type { Recusal } from './bindings/Recusal';
import type { RegistryDue } from './bindings/RegistryDue';
import type { RegistryEntry } from './bindings/RegistryEntry';
import type { RegistryFilter } from './bindings/RegistryFilter';
import type { RegistryPage } from './bindings/RegistryPage';
import type { Renewal } from './bindings/Renewal';
import type { RenewalInput } from './bindings/RenewalInput';
import type { Revocation } from './bindings/Revocation';
import type { RevocationImport } from './bindings/RevocationImport';
import type { RevocationInput } from './bindings/RevocationInput';
import type { Role } from './bindings/Role';
import type { RoomBoard } from './bindings/RoomBoard';
import type { RoomInfo } from './bindings/RoomInfo';
import type { RoomMemberLink } from './bindings/RoomMemberLink';
import type { Round } from './bindings/Round';
import type { RoundInput } from './bindings/RoundInput';
import type { RoundMember } from './bindings/RoundMember';
import type { RoundResults } from './bindings/RoundResults';
import type { ScoreSheet } from './bindings/ScoreSheet';
import type { TrustedKey } from './bindings/TrustedKey';
import type { Verification } from './bindings/Verification';

export type ApiErrorKind =
  /** The backend answered with an error; `message` is for the user. */
  | 'backend'
  /** No Tauri backend to talk to (the page is open in a plain browser). */
  | 'unavailable';

export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  readonly command: string;
  /** The backend's stable code (e.g. `pin.wrong`), or '' when the failure has none. */
  readonly code: string;
  readonly params: Record<string, string>;

  constructor(
    kind: ApiErrorKind,
    command: string,
    message: string,
    code = '',
    params: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.kind = kind;
    this.command = command;
    this.code = code;
    this.params = params;
  }
}

function isErrorDto(e: unknown): e is ErrorDto {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as ErrorDto).code === 'string' &&
    typeof (e as ErrorDto).message === 'string'
  );
}

function backendError(command: string, e: unknown): ApiError {
  if (isErrorDto(e)) return new ApiError('backend', command, e.message, e.code, e.params ?? {});
  return new ApiError('backend', command, message(e));
}

type Args = Record<string, unknown>;
/** Raw bytes sent as the whole payload (file uploads), with string headers. */
type Payload = Args | Uint8Array;

const MOCK_ALLOWED = import.meta.env.DEV || import.meta.env.MODE === 'mock';

function inTauri(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}

/** The requested mock variant ("" for the default), or null when the mock is off. */
function mockVariant(): string | null {
  if (!MOCK_ALLOWED || typeof window === 'undefined' || inTauri()) return null;
  const params = new URLSearchParams(window.location.search);
  return params.has('mock') ? (params.get('mock') ?? '') : null;
}

function message(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error instanceof Error) return error.message;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}

async function call<T>(command: string, args?: Payload, options?: InvokeOptions): Promise<T> {
  if (MOCK_ALLOWED) {
    const variant = mockVariant();
    if (variant !== null) {
      const mock = await import('./mock/backend');
      const mockArgs = args instanceof Uint8Array ? { bytes: args, headers: options?.headers } : (args ?? {});
      try {
        return (await mock.mockInvoke(command, mockArgs, variant)) as T;
      } catch (e) {
        throw backendError(command, e);
      }
    }
  }
  if (!inTauri()) throw new ApiError('unavailable', command, '');
  try {
    return options ? await invoke<T>(command, args, options) : await invoke<T>(command, args);
  } catch (e) {
    throw backendError(command, e);
  }
}

/** The language the backend writes its messages (errors) in. */
export function setLang(lang: Lang): Promise<void> {
  return call<void>('set_lang', { lang });
}

/** Every decision the application knows, with its 26 product sets (no sheets). */
export function criteriaIndex(): Promise<CriteriaIndex> {
  return call<CriteriaIndex>('criteria_index');
}

/** One score sheet: `decision` is an id ("QD26-2026"), `set` a two-digit code ("11"). */
export function criteriaSheet(decision: string, set: string): Promise<ProductSet> {
  return call<ProductSet>('criteria_sheet', { decision, set });
}

/** Version, data directory and database schema version. */
export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>('app_info');
}

/** The criteria sheet a score sheet was scored on, by its SHA-256 (`ScoreSheet.sheet_sha256`). */
export function sheetByHash(sha256: string): Promise<ProductSet> {
  return call<ProductSet>('sheet_by_hash', { sha256 });
}

// ---- Who is at the keyboard (recorded in the audit log) ----

export function setOperator(name: string): Promise<void> {
  return call<void>('set_operator', { name });
}

// ---- Directory: persons, owners, products ----

export function persons(query?: string): Promise<Person[]> {
  return call<Person[]>('persons', { query: query ?? null });
}

export function addPerson(input: PersonInput): Promise<Person> {
  return call<Person>('add_person', { input });
}

export function updatePerson(id: string, input: PersonInput): Promise<Person> {
  return call<Person>('update_person', { id, input });
}

/** Sets a PIN; changing an existing one needs `current`. */
export function setPin(personId: string, current: string | null, newPin: string): Promise<void> {
  return call<void>('set_pin', { personId, current, newPin });
}

export function owners(filter: ListFilter = {}): Promise<Owner[]> {
  return call<Owner[]>('owners', { filter });
}

/** Adds (empty `id`) or updates an owner. */
export function saveOwner(owner: Owner): Promise<Owner> {
  return call<Owner>('save_owner', { owner });
}

export function products(filter: ListFilter = {}): Promise<Product[]> {
  return call<Product[]>('products', { filter });
}

/** Adds (empty `id`) or updates a product. */
export function saveProduct(input: ProductInput): Promise<Product> {
  return call<Product>('save_product', { input });
}

// ---- Rounds ----

export function rounds(): Promise<Round[]> {
  return call<Round[]>('rounds');
}

export function round(id: string): Promise<Round> {
  return call<Round>('round', { id });
}

export function createRound(input: RoundInput): Promise<Round> {
  return call<Round>('create_round', { input });
}

export function updateRound(id: string, input: RoundInput): Promise<Round> {
  return call<Round>('update_round', { id, input });
}

/** Draft → scoring; refused (with the reason) when the round lacks a chair or products. */
export function startScoring(id: string): Promise<Round> {
  return call<Round>('start_scoring', { id });
}

export function roster(roundId: string): Promise<RoundMember[]> {
  return call<RoundMember[]>('roster', { roundId });
}

/** Adds a person to the council or changes their role; returns the roster. */
export function setRoundMember(roundId: string, personId: string, role: Role): Promise<RoundMember[]> {
  return call<RoundMember[]>('set_round_member', { roundId, personId, role });
}

export function removeRoundMember(roundId: string, personId: string): Promise<RoundMember[]> {
  return call<RoundMember[]>('remove_round_member', { roundId, personId });
}

export function setAttendance(roundId: string, personId: string, present: boolean): Promise<RoundMember[]> {
  return call<RoundMember[]>('set_attendance', { roundId, personId, present });
}

export function recusals(roundId: string): Promise<Recusal[]> {
  return call<Recusal[]>('recusals', { roundId });
}

/** Records a recusal with its reason, or clears it (`reason` null); returns the round's recusals. */
export function setRecusal(
  roundId: string,
  personId: string,
  productId: string,
  reason: string | null,
): Promise<Recusal[]> {
  return call<Recusal[]>('set_recusal', { roundId, personId, productId, reason });
}

// ---- Dossiers ----

export function dossiers(roundId: string): Promise<Dossier[]> {
  return call<Dossier[]>('dossiers', { roundId });
}

/** Registers (or updates) a product's dossier in a round. */
export function saveDossier(roundId: string, input: DossierInput): Promise<Dossier> {
  return call<Dossier>('save_dossier', { roundId, input });
}

/** Saves the commune's pre-assessment (Mẫu 03) of a dossier. */
export function saveCommuneReport(dossierId: string, report: CommuneReport): Promise<Dossier> {
  return call<Dossier>('save_commune_report', { dossierId, report });
}

export function removeDossier(roundId: string, productId: string): Promise<void> {
  return call<void>('remove_dossier', { roundId, productId });
}

/** Uploads a file (PDF, PNG, JPEG) into a dossier: the bytes are the whole payload. */
export function attachFile(dossierId: string, fileName: string, bytes: Uint8Array): Promise<AttachmentRef> {
  return call<AttachmentRef>('attach_file', bytes, {
    headers: { dossier: dossierId, name: encodeURIComponent(fileName) },
  });
}

/** Raw bytes as Tauri hands them over (an `ipc::Response`), or as a JSON array from the mock. */
function asArrayBuffer(value: ArrayBuffer | Uint8Array | number[]): ArrayBuffer {
  if (value instanceof ArrayBuffer) return value;
  const bytes = value instanceof Uint8Array ? value : Uint8Array.from(value);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** An attachment's bytes. */
export async function attachment(sha256: string): Promise<ArrayBuffer> {
  return asArrayBuffer(await call<ArrayBuffer | Uint8Array | number[]>('attachment', { sha256 }));
}

/**
 * What importing an .xlsx file would do, row by row (new, update old → new, unchanged, error),
 * with `roundId` also for the round's dossiers. Writes nothing.
 */
export function importPlan(bytes: Uint8Array, roundId?: string, options: ImportOptions = {}): Promise<ImportPlan> {
  return call<ImportPlan>('import_plan', bytes, { headers: importHeaders(roundId, options) });
}

/** How a file is imported: `registry`, a list of products recognised before the app (into the registry). */
export interface ImportOptions {
  registry?: boolean;
}

function importHeaders(roundId: string | undefined, options: ImportOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  if (roundId) headers.round = roundId;
  if (options.registry) headers.registry = '1';
  return headers;
}

/**
 * Applies the plan the user confirmed, all or nothing. Rejects with `import.plan_changed` when the
 * records changed since the plan was made (ask for a new plan), `import.has_errors` when a row is
 * in error. Resolves to the applied plan, with the ids of the new records.
 */
export function importApply(
  bytes: Uint8Array,
  roundId: string | undefined,
  fingerprint: string,
  options: ImportOptions = {},
): Promise<ImportPlan> {
  return call<ImportPlan>('import_apply', bytes, { headers: { ...importHeaders(roundId, options), fingerprint } });
}

// ---- The provincial registry (Sổ theo dõi OCOP) ----

/** A page of the registry (`filter.offset`, `filter.limit`, 100 by default); `total` counts every match. */
export function registryPage(filter: RegistryFilter = {}): Promise<RegistryPage> {
  return call<RegistryPage>('registry_page', { filter });
}

export function registryEntry(id: string): Promise<RegistryEntry> {
  return call<RegistryEntry>('registry_entry', { id });
}

/** Certificates whose re-recognition window opens or closes within 30 days. */
export function registryDue(): Promise<RegistryDue[]> {
  return call<RegistryDue[]>('registry_due');
}

/** Revokes a certificate in force (Điều 8); resolves to the entry, now revoked. */
export function revoke(input: RevocationInput): Promise<RegistryEntry> {
  return call<RegistryEntry>('revoke', { input });
}

/** Every revocation: this office's and the ones imported from other offices. */
// ---- Central results back at the province ----

/** The central council's results (those of one product when given), newest first. */
export function centralResults(productId: string | null = null): Promise<CentralResult[]> {
  return call<CentralResult[]>('central_results', { productId });
}

/** Records a central result keyed from the centre's letter or minutes. */
export function recordCentralResult(input: CentralResultInput): Promise<CentralResult> {
  return call<CentralResult>('record_central_result', { input });
}

/** The province's 3★/4★ decision on a central result under 90, signed with the office key. */
export function recogniseOnCentralResult(centralId: string, date: string, passphrase: string): Promise<RegistryEntry> {
  return call<RegistryEntry>('recognise_on_central_result', { centralId, date, passphrase });
}

/** Records the Ministry's 5★ decision on a central result in the registry. */
export function recordCentreDecision(
  centralId: string,
  decisionNo: string,
  date: string,
  certificateNo: string,
): Promise<RegistryEntry> {
  return call<RegistryEntry>('record_centre_decision', { centralId, decisionNo, date, certificateNo });
}

export function revocations(): Promise<Revocation[]> {
  return call<Revocation[]>('revocations');
}

/** Writes this office's revocations, signed with its key (`passphrase`), to `path`; resolves to how many. */
export function revocationsExport(path: string, passphrase: string): Promise<number> {
  return call<number>('revocations_export', { path, passphrase });
}

/** Reads another office's signed revocation list at `path`. */
export function revocationsImport(path: string): Promise<RevocationImport> {
  return call<RevocationImport>('revocations_import', { path });
}

/** Writes a signed exchange bundle of what `request` selects to `out` (the passphrase opens the key). */
export function bundleExport(request: ExportRequest, out: string, passphrase: string): Promise<ExportSummary> {
  return call<ExportSummary>('bundle_export', { request, out, passphrase });
}

/** What the bundle at `path` holds: sender, fingerprint, trusted or not, purpose, counts and plan. */
export function bundleInspect(path: string): Promise<BundlePlan> {
  return call<BundlePlan>('bundle_inspect', { path });
}

/** Imports the bundle at `path`: `trust` an unknown sender on first use; `dryRun` only plans. */
export function bundleImport(path: string, trust: boolean, dryRun: boolean): Promise<BundlePlan> {
  return call<BundlePlan>('bundle_import', { path, trust, dryRun });
}

/** The records edited here and at a sender since their last exchange, kept apart at import (unsettled first). */
export function exchangeConflicts(): Promise<ExchangeConflict[]> {
  return call<ExchangeConflict[]>('exchange_conflicts');
}

/** Settles a conflict: keep the copy here, or take the incoming record. */
export function resolveConflict(id: string, how: ConflictResolution): Promise<ExchangeConflict> {
  return call<ExchangeConflict>('resolve_conflict', { id, how });
}

export function localities(): Promise<Locality[]> {
  return call<Locality[]>('localities');
}

export function addLocality(name: string, level: LocalityLevel): Promise<Locality> {
  return call<Locality>('add_locality', { name, level });
}

/** The plan's targets of a year (one per locality and star that has one). */
export function planTargets(year: number): Promise<PlanTarget[]> {
  return call<PlanTarget[]>('plan_targets', { year });
}

/** Stores targets (each replaces the one of its year, locality and star); resolves to the year's targets. */
export function setPlanTargets(targets: PlanTarget[]): Promise<PlanTarget[]> {
  return call<PlanTarget[]>('set_plan_targets', { targets });
}

/** What importing a plan file (.xlsx) for `year` would do, row by row. Writes nothing. */
export function planImportPlan(bytes: Uint8Array, year: number): Promise<PlanImportPlan> {
  return call<PlanImportPlan>('plan_import_plan', bytes, { headers: { year: String(year) } });
}

/** Applies the plan file the user confirmed (refused when the plan changed since, `import.plan_changed`). */
export function planImportApply(bytes: Uint8Array, year: number, fingerprint: string): Promise<PlanImportPlan> {
  return call<PlanImportPlan>('plan_import_apply', bytes, { headers: { year: String(year), fingerprint } });
}

/** The dashboard of `year`; `from`/`to` (ISO) narrow the report's period (the whole year by default). */
export function dashboard(year: number, from?: string | null, to?: string | null): Promise<Dashboard> {
  return call<Dashboard>('dashboard', { year, from: from ?? null, to: to ?? null });
}

// ---- Re-recognition and upgrade (Công nhận lại, nâng hạng) ----

export function renewals(): Promise<Renewal[]> {
  return call<Renewal[]>('renewals');
}

export function renewalStart(input: RenewalInput): Promise<Renewal> {
  return call<Renewal>('renewal_start', { input });
}

/** Records a member's written opinion (a disagreement needs its `remark`, `renewal.remark_needed`). */
export function renewalOpinion(renewalId: string, personId: string, agree: boolean, remark: string): Promise<Renewal> {
  return call<Renewal>('renewal_opinion', { renewalId, personId, agree, remark });
}

/**
 * Decides a re-recognition on the written opinions (`date` ISO, the office's `passphrase` signs the new
 * certificate). Rejects with `renewal.divergent` when the opinions differ: move it to a round then.
 */
export function renewalDecide(renewalId: string, date: string, passphrase: string): Promise<Renewal> {
  return call<Renewal>('renewal_decide', { renewalId, date, passphrase });
}

/** Sends the application to an evaluation round (the council meets and scores). */
export function renewalToRound(renewalId: string, roundId: string): Promise<Renewal> {
  return call<Renewal>('renewal_to_round', { renewalId, roundId });
}

export function renewalRefuse(renewalId: string, reason: string): Promise<Renewal> {
  return call<Renewal>('renewal_refuse', { renewalId, reason });
}

// ---- Registry papers (each written to the path the user chose with `chooseSavePath`; resolve to it) ----

/** The registry as a spreadsheet, with the list's current filter (all matching entries, not one page). */
export function saveRegistryXlsx(path: string, filter: RegistryFilter): Promise<string> {
  return call<string>('registry_xlsx', { path, filter });
}

/** The periodic report of `year` (period `from`–`to`, ISO), as a PDF or a spreadsheet. */
export function saveReportPaper(
  year: number,
  from: string | null,
  to: string | null,
  format: 'pdf' | 'xlsx',
  path: string,
): Promise<string> {
  return call<string>('report_paper', { year, from, to, format, path });
}

/** The revocation decision of a revoked entry (PDF). */
export function saveRevocationDecisionPaper(entryId: string, path: string): Promise<string> {
  return call<string>('revocation_decision_paper', { entryId, path });
}

/** A re-recognition's papers: the members' opinion forms or the summary of the opinions (PDF). */
export function saveRenewalPaper(renewalId: string, kind: 'forms' | 'summary', path: string): Promise<string> {
  return call<string>('renewal_paper', { renewalId, kind, path });
}

/** Opens a file this app saved (a paper) in the system viewer, to print it. */
export function openSavedFile(path: string): Promise<void> {
  return call<void>('open_path', { path });
}

// ---- Score sheets ----

/** The member's current sheet for a product (pass 1, or 2 for a second keying), created on first use. */
export function openSheet(
  roundId: string,
  productId: string,
  personId: string,
  keyedBy: string | null,
  pass: number,
): Promise<ScoreSheet> {
  return call<ScoreSheet>('open_sheet', { roundId, productId, personId, keyedBy, pass });
}

export function sheet(id: string): Promise<ScoreSheet> {
  return call<ScoreSheet>('sheet', { id });
}

export function productSheets(roundId: string, productId: string): Promise<ScoreSheet[]> {
  return call<ScoreSheet[]>('product_sheets', { roundId, productId });
}

/** Every version of a member's sheet for a product, oldest first. */
export function sheetHistory(roundId: string, productId: string, personId: string): Promise<ScoreSheet[]> {
  return call<ScoreSheet[]>('sheet_history', { roundId, productId, personId });
}

/** Saves one answer: `option` is the 0-based index in printed order, null clears. */
export function saveAnswer(sheetId: string, criterion: string, option: number | null): Promise<ScoreSheet> {
  return call<ScoreSheet>('save_answer', { sheetId, criterion, option });
}

/** Marks the sheet as eliminated with a reason, or clears the mark (null). */
export function setElimination(sheetId: string, reason: string | null): Promise<ScoreSheet> {
  return call<ScoreSheet>('set_elimination', { sheetId, reason });
}

export function setComment(sheetId: string, comment: string): Promise<ScoreSheet> {
  return call<ScoreSheet>('set_comment', { sheetId, comment });
}

/** Differences between the two keyings of a paper sheet. */
export function mismatches(sheetId: string): Promise<Mismatch[]> {
  return call<Mismatch[]>('mismatches', { sheetId });
}

export function signSheet(sheetId: string, pin: string): Promise<ScoreSheet> {
  return call<ScoreSheet>('sign_sheet', { sheetId, pin });
}

/** Reopens a signed sheet with the chair's PIN and a reason; returns the new open version. */
export function reopenSheet(sheetId: string, chairPin: string, reason: string): Promise<ScoreSheet> {
  return call<ScoreSheet>('reopen_sheet', { sheetId, chairPin, reason });
}

// ---- Results ----

export function roundResults(roundId: string): Promise<RoundResults> {
  return call<RoundResults>('round_results', { roundId });
}

export function recordSpreadReview(roundId: string, productId: string, note: string): Promise<RoundResults> {
  return call<RoundResults>('record_spread_review', { roundId, productId, note });
}

export function finaliseRound(roundId: string, chairPin: string): Promise<RoundResults> {
  return call<RoundResults>('finalise_round', { roundId, chairPin });
}

// ---- Audit log ----

/**
 * Entries, newest first, that match `filter`: a round's (`round_id`), a kind of record's
 * (`entity`), one record's (`entity_id`); `before_seq` for the next page; at most `limit` (500).
 */
export function auditList(filter: AuditFilter = {}): Promise<AuditEntry[]> {
  return call<AuditEntry[]>('audit_list', { filter });
}

export function auditVerify(): Promise<AuditVerdict> {
  return call<AuditVerdict>('audit_verify');
}

// ---- Office settings and signing keys ----

/** Who issues the papers (Cài đặt cơ quan). */
export function office(): Promise<OfficeSettings> {
  return call<OfficeSettings>('office');
}

export function saveOffice(settings: OfficeSettings): Promise<OfficeSettings> {
  return call<OfficeSettings>('save_office', { office: settings });
}

/** This office's current Ed25519 key (public part), which signs its certificates' QR codes; null before it is set up. */
export function ownKey(): Promise<OfficeKey | null> {
  return call<OfficeKey | null>('own_key');
}

/** This office's keys: the current one first, then the retired ones (they still verify what they signed). */
export function officeKeys(): Promise<OfficeKey[]> {
  return call<OfficeKey[]>('office_keys');
}

/**
 * Sets up the office's signing key under the passphrase the office chooses (or protects a key from
 * before passphrases). Rejects with `office.key_exists` when the office already has a protected key.
 */
export function setUpKey(passphrase: string): Promise<OfficeKey> {
  return call<OfficeKey>('set_up_key', { passphrase });
}

/** Re-seals the key under a new passphrase; `current` proves who asks (`office.passphrase_wrong`). */
export function changePassphrase(current: string, next: string): Promise<OfficeKey> {
  return call<OfficeKey>('change_passphrase', { current, new: next });
}

/** A new signing key under the same passphrase; the old one is retired and still verifies. */
export function rotateKey(passphrase: string): Promise<OfficeKey> {
  return call<OfficeKey>('rotate_key', { passphrase });
}

/**
 * How many certificates this office issued before the compact QR code (`OCOP2`) still have only
 * their full `OCOP1` code, which a cheap scan often cannot read.
 */
export function certificatesWithoutCompactCode(): Promise<number> {
  return call<number>('certificates_without_compact_code');
}

/**
 * Signs a compact code for each of them with the office's current key, which the office's
 * `passphrase` opens (`office.passphrase_wrong`); audited. Their signed records do not change; a
 * reprint (the round's papers) carries the new code. Resolves to how many got one.
 */
export function addCompactCodes(passphrase: string): Promise<number> {
  return call<number>('add_compact_codes', { passphrase });
}

/** The keys this office trusts: its own (`own`, current and retired) and other offices' (imported). */
export function trustedKeys(): Promise<TrustedKey[]> {
  return call<TrustedKey[]>('trusted_keys');
}

/** Trusts another office's public key (64 hex digits). */
export function trustKey(name: string, publicKey: string): Promise<TrustedKey> {
  return call<TrustedKey>('trust_key', { name, publicKey });
}

/**
 * Checks the text of a certificate's QR code (`OCOP1.…` or `OCOP2:…`), or a certificate number typed
 * in (then `from_records`, or `verify.number_unknown`); the verdict has a `code` (`verify.valid`,
 * `verify.revoked`…). An `OCOP2` code may end with a space (a Base45 digit): send it untrimmed.
 */
export function verifyCertificate(payload: string): Promise<Verification> {
  return call<Verification>('verify_certificate', { payload });
}

/**
 * Finds the QR code in a photo or scan (PNG, JPEG) at `path` and checks it as `verifyCertificate`
 * does. Fails with `cli.bad_image` (not a readable image), `cli.no_qr` (no readable code in it),
 * `cli.not_certificate_qr` (a code, but not a certificate's) or `io`.
 */
export function verifyCertificateImage(path: string): Promise<Verification> {
  return call<Verification>('verify_certificate_image', { path });
}

// ---- Recognition and papers ----

/** The round's recognition decision, or null before it is issued. */
export function recognition(roundId: string): Promise<Recognition | null> {
  return call<Recognition | null>('recognition', { roundId });
}

/**
 * Issues the recognition decision of a finalised round (`date` ISO): its number and the certificates,
 * signed with the office's key, which the office's `passphrase` opens (`office.passphrase_wrong`).
 */
export function issueRecognition(roundId: string, date: string, passphrase: string): Promise<Recognition> {
  return call<Recognition>('issue_recognition', { roundId, date, passphrase });
}

/** Which paper: its kind, the round, and optionally one product (score sheets) and a date (ISO). */
export interface PaperRequest {
  kind: PaperKind;
  roundId: string;
  productId?: string | null;
  date?: string | null;
}

function paperArgs(p: PaperRequest): Args {
  return { kind: p.kind, roundId: p.roundId, productId: p.productId ?? null, date: p.date ?? null };
}

/** A paper's bytes (PDF or xlsx), for the in-app preview. */
export async function paper(p: PaperRequest): Promise<ArrayBuffer> {
  return asArrayBuffer(await call<ArrayBuffer | Uint8Array | number[]>('paper', paperArgs(p)));
}

/** Writes a paper to `path` (from `chooseSavePath`) or, without one, to the data directory; returns the path. */
export function savePaper(p: PaperRequest, path?: string | null): Promise<string> {
  return call<string>('save_paper', { ...paperArgs(p), path: path ?? null });
}

/** Writes a paper to the data directory and opens it in the system viewer (to print); returns the path. */
export function openPaper(p: PaperRequest): Promise<string> {
  return call<string>('open_paper', paperArgs(p));
}

/**
 * Writes every paper of a round into `dir` (a folder the user chose; null: the round's folder in the
 * data directory). Progress arrives through `onPapersProgress`; `cancelJob` stops the batch, which
 * then rejects with code `paper.cancelled`.
 */
export function saveAllPapers(roundId: string, date: string | null, dir: string | null): Promise<BatchResult> {
  return call<BatchResult>('save_all_papers', { roundId, date, dir });
}

/** Asks the running batch to stop after the file it is writing. */
export function cancelJob(): Promise<void> {
  return call<void>('cancel_job');
}

/** Calls `handler` after each file a batch writes; returns the function that stops listening. */
export async function onPapersProgress(handler: (p: BatchProgress) => void): Promise<UnlistenFn> {
  if (!inTauri()) return () => {};
  return listen<BatchProgress>('papers-progress', (e) => handler(e.payload));
}

/** Calls `handler` as an import (plan or apply) goes through its rows; returns the unlisten function. */
export async function onImportProgress(handler: (p: ImportProgress) => void): Promise<UnlistenFn> {
  if (!inTauri()) return () => {};
  return listen<ImportProgress>('import-progress', (e) => handler(e.payload));
}

// ---- Backup and restore (Sao lưu, khôi phục) ----

/** Backs up the database and the attachments into `out` (checked before it is renamed into place). */
export function backupCreate(out: string): Promise<BackupInfo> {
  return call<BackupInfo>('backup_create', { out });
}

/** Checks a backup file in full and says what it holds; rejects a damaged, altered or newer one (`backup.*`). */
export function backupInspect(path: string): Promise<BackupInfo> {
  return call<BackupInfo>('backup_inspect', { path });
}

/**
 * Replaces all data with the backup at `path`, after backing up the current data. Without `confirm`
 * it writes nothing and rejects with `backup.confirm_needed` (its params: created, rounds, products,
 * certificates).
 */
export function backupRestore(path: string, confirm: boolean): Promise<RestoreReport> {
  return call<RestoreReport>('backup_restore', { path, confirm });
}

/** The backups in the data directory and the chosen folder, newest first (manifests read, not checked). */
export function backups(): Promise<BackupEntry[]> {
  return call<BackupEntry[]>('backups');
}

export function backupSettings(): Promise<BackupSettings> {
  return call<BackupSettings>('backup_settings');
}

/** How many automatic backups to keep (1–100) and the second folder (a USB stick; null: none). */
export function setBackupSettings(settings: BackupSettings): Promise<BackupSettings> {
  return call<BackupSettings>('set_backup_settings', { settings });
}

export function autoBackupStatus(): Promise<AutoBackupStatus> {
  return call<AutoBackupStatus>('auto_backup_status');
}

/** Makes the daily backup now if it is due; a missing folder is reported in `folder.problem`. */
export function autoBackupIfDue(): Promise<AutoBackupReport> {
  return call<AutoBackupReport>('auto_backup_if_due');
}

// ---- The council room (Phòng chấm): members score on their own devices over the office network ----

/**
 * Opens the council room for a round in scoring on `port` (8443 when null): its address, the
 * certificate's fingerprint and a one-time link (QR) and short code per present member. Rejects
 * with `room.already_open` while a room is open, `room.not_scoring`, `room.bind_failed` (port taken).
 */
export function roomOpen(roundId: string, port: number | null): Promise<RoomInfo> {
  return call<RoomInfo>('room_open', { roundId, port });
}

/** The open room (address, fingerprint, the links still waiting to be used), or null when none is. */
export function roomInfo(): Promise<RoomInfo | null> {
  return call<RoomInfo | null>('room_info');
}

/** The room's live board (also of a room the round's finalisation closed), or null when there is none. */
export function roomBoard(): Promise<RoomBoard | null> {
  return call<RoomBoard | null>('room_board');
}

/** A new one-time link and code for a member; their current device is unpaired when it is used. */
export function roomReissue(memberId: string): Promise<RoomMemberLink> {
  return call<RoomMemberLink>('room_reissue', { memberId });
}

/** Ends a device's pairing at once (a lost phone); the board after it. */
export function roomRevoke(pairingId: string): Promise<RoomBoard> {
  return call<RoomBoard>('room_revoke', { pairingId });
}

/** Closes the room: every link, code and device session ends. */
export function roomClose(): Promise<void> {
  return call<void>('room_close');
}

/** The system "choose a folder" dialog: the chosen folder, or null when cancelled. */
export async function chooseFolder(title: string): Promise<string | null> {
  if (!inTauri()) throw new ApiError('unavailable', 'open_dialog', '');
  try {
    const picked = await openDialog({ directory: true, multiple: false, title });
    return typeof picked === 'string' ? picked : null;
  } catch (e) {
    throw new ApiError('backend', 'open_dialog', message(e));
  }
}

/**
 * The system "Save as" dialog: the chosen path, or null when cancelled. `extension` ("pdf",
 * "xlsx") sets the file filter, named `filterName`.
 */
export async function chooseSavePath(defaultName: string, extension: string, filterName: string): Promise<string | null> {
  if (MOCK_ALLOWED && mockVariant() !== null) return `/tmp/${defaultName}`;
  if (!inTauri()) throw new ApiError('unavailable', 'save_dialog', '');
  try {
    return await saveDialog({ defaultPath: defaultName, filters: [{ name: filterName, extensions: [extension] }] });
  } catch (e) {
    throw new ApiError('backend', 'save_dialog', message(e));
  }
}

/**
 * The system "Open file" dialog for one file of type `extension` ("zip", or several: `['png', 'jpg']`),
 * under the filter `filterName`: the chosen path, or null when cancelled.
 */
export async function chooseOpenPath(
  title: string,
  extension: string | readonly string[],
  filterName: string,
): Promise<string | null> {
  const extensions = typeof extension === 'string' ? [extension] : [...extension];
  if (MOCK_ALLOWED && mockVariant() !== null) return `/tmp/thu-hoi.${extensions[0] ?? ''}`;
  if (!inTauri()) throw new ApiError('unavailable', 'open_dialog', '');
  try {
    const picked = await openDialog({ multiple: false, title, filters: [{ name: filterName, extensions }] });
    return typeof picked === 'string' ? picked : null;
  } catch (e) {
    throw new ApiError('backend', 'open_dialog', message(e));
  }
}
