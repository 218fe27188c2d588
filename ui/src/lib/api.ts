/**
 * The backend, as typed functions. This is the only module that talks to Tauri: every command goes
 * through `call`, and every type comes from Rust (ts-rs, `./bindings`).
 *
 * Commands reject with a message already in the user's language; it arrives here as an `ApiError`.
 *
 * Development only: outside Tauri, with `?mock` in the URL of a page served by `vite` (dev server,
 * or `npm run build:mock` + `npm run preview:mock`), answers come from `./mock`. A production build
 * (`npm run build`) does not contain the mock at all: the branch is removed at build time.
 */
import { invoke } from '@tauri-apps/api/core';
import type { AppInfo } from './bindings/AppInfo';
import type { CriteriaIndex } from './bindings/CriteriaIndex';
import type { Lang } from './bindings/Lang';
import type { ProductSet } from './bindings/ProductSet';

export type ApiErrorKind =
  /** The backend answered with an error; `message` is for the user. */
  | 'backend'
  /** No Tauri backend to talk to (the page is open in a plain browser). */
  | 'unavailable';

export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  readonly command: string;

  constructor(kind: ApiErrorKind, command: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.kind = kind;
    this.command = command;
  }
}

type Args = Record<string, unknown>;

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

async function call<T>(command: string, args?: Args): Promise<T> {
  if (MOCK_ALLOWED) {
    const variant = mockVariant();
    if (variant !== null) {
      const mock = await import('./mock/backend');
      try {
        return (await mock.mockInvoke(command, args ?? {}, variant)) as T;
      } catch (e) {
        throw new ApiError('backend', command, message(e));
      }
    }
  }
  if (!inTauri()) throw new ApiError('unavailable', command, '');
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw new ApiError('backend', command, message(e));
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
