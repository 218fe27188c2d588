/**
 * DEVELOPMENT ONLY: a stand-in for the Tauri backend, so the UI can be looked at in a plain browser
 * (`npm run dev`, then open `http://localhost:1420/?mock`). `api.ts` loads this module only in a
 * dev or `--mode mock` build, outside Tauri, with `?mock` in the URL.
 *
 * Data: the project's criteria files in `assets/criteria` (the ones the core embeds).
 *
 * Variants (`?mock=<variant>`): "" normal · "slow" 1.2 s latency · "error" every command fails ·
 * "empty" no decisions · "sheet-error" every sheet fails · "verify-record", "verify-differs" (`./verify.ts`).
 *
 * The registry, plan, dashboard and re-recognition are simulated (`./registry.ts`), with a few members
 * and one draft round for them; so is the council room (`./room.ts`, `?mock#/room/<any id>`), and the
 * certificate check (`./verify.ts`; `?mock=verify-record`, `?mock=verify-differs`), and the office's
 * keys with the compact QR codes of older certificates (`./office.ts`, passphrase `1234`). The rest
 * of the council's data (owners, products, audit log, the office's details) is not:
 * its lists are empty and its other commands fail with "not in the mock". Look at those in the desktop app.
 */
import type { AppInfo } from '../bindings/AppInfo';
import type { CriteriaIndex } from '../bindings/CriteriaIndex';
import type { Decision } from '../bindings/Decision';
import type { DecisionSummary } from '../bindings/DecisionSummary';
import type { ProductSet } from '../bindings/ProductSet';
import { leafCount } from '../criteria';
import { officeCommand } from './office';
import { registryCommand } from './registry';
import { roomCommand } from './room';
import { verifyCommand } from './verify';

type Json = Record<string, unknown>;

const assetFiles = import.meta.glob<Json>('../../../../assets/criteria/QD*/*.json', {
  eager: true,
  import: 'default',
});

interface MockData {
  index: CriteriaIndex;
  sheets: Map<string, ProductSet>;
}

const sheetKey = (decision: string, set: string): string => `${decision}/${set}`;

function summary(d: Decision, sets: ProductSet[]): DecisionSummary & { footer_note: string } {
  return {
    id: d.id,
    number: d.number,
    title: d.title,
    signed: d.signed,
    effective: d.effective,
    procedures: d.procedures,
    footer_note: d.footer_note,
    sets: sets
      .slice()
      .sort((a, b) => a.no - b.no)
      .map((s) => ({
        code: s.code,
        no: s.no,
        name: s.name,
        classification: s.classification,
        leaves: leafCount(s),
      })),
  };
}

function fromAssets(): MockData {
  const decisions: Decision[] = [];
  const sets: ProductSet[] = [];
  for (const [path, json] of Object.entries(assetFiles)) {
    if (path.endsWith('/decision.json')) decisions.push(json as unknown as Decision);
    else sets.push(json as unknown as ProductSet);
  }
  decisions.sort((a, b) => a.signed.localeCompare(b.signed));
  return {
    index: { decisions: decisions.map((d) => summary(d, sets.filter((s) => s.decision === d.id))) },
    sheets: new Map(sets.map((s) => [sheetKey(s.decision, s.code), s])),
  };
}

let data: MockData | null = null;
function load(): MockData {
  data ??= fromAssets();
  return data;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function mockInvoke(command: string, args: Record<string, unknown>, variant: string): Promise<unknown> {
  await sleep(variant === 'slow' ? 1200 : 60);
  if (variant === 'error') {
    throw `Không đọc được cơ sở dữ liệu (lỗi mô phỏng, lệnh ${command})`;
  }
  const registry = registryCommand(command, args, variant);
  if (registry !== undefined) return registry;
  const room = roomCommand(command, args, variant);
  if (room !== undefined) return room;
  const verified = verifyCommand(command, args, variant);
  if (verified !== undefined) return verified;
  const officeAnswer = officeCommand(command, args, variant);
  if (officeAnswer !== undefined) return officeAnswer;
  const d = load();
  switch (command) {
    case 'criteria_index':
      return variant === 'empty' ? { decisions: [] } : d.index;
    case 'criteria_sheet': {
      const decision = String(args.decision ?? '');
      const set = String(args.set ?? '');
      if (variant === 'sheet-error') {
        throw `Tệp tiêu chí ${decision}/${set}.json, bộ ${set}, tiêu chí 1.1: điểm tối đa không khớp (lỗi mô phỏng)`;
      }
      if (!d.index.decisions.some((x) => x.id === decision)) {
        throw `Không có quyết định '${decision}' (có: QD148-2023, QD26-2026)`;
      }
      const sheet = d.sheets.get(sheetKey(decision, set));
      if (!sheet) {
        throw `Quyết định ${decision} không có bộ sản phẩm '${set}'`;
      }
      return sheet;
    }
    case 'app_info': {
      const info: AppInfo = {
        version: '0.1.0-mock',
        dataDir: '/home/thu-ky/.local/share/vn.ocop.council',
        // ts-rs types Rust's i64 as bigint, but the JSON the backend sends holds a number.
        schemaVersion: 1 as unknown as AppInfo['schemaVersion'],
        buildDate: '2026-12-03',
        criteriaFingerprint: '0123456789abcdef',
      };
      return info;
    }
    case 'set_lang': {
      if (args.lang !== 'vi' && args.lang !== 'en') throw `unknown language '${String(args.lang)}' (vi, en)`;
      return null;
    }
    // The council's data is not simulated: its lists are empty, so the screens show their empty states.
    case 'set_operator':
      return null;
    case 'owners':
    case 'products':
    case 'audit_list':
    case 'central_results':
      return [];
    case 'audit_verify':
      return { ok: true, entries: 0, first_bad_seq: null, message: 'Nhật ký toàn vẹn: 0 mục (mô phỏng).' };
    default:
      throw `Lệnh không có trong bản mô phỏng: ${command}`;
  }
}
