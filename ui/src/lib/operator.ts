/**
 * Who is at the keyboard ("Người sử dụng"): recorded by the backend in the audit log. Asked once,
 * kept in localStorage, sent to the backend at start-up and whenever it changes.
 */
import { writable } from 'svelte/store';

export const OPERATOR_STORAGE_KEY = 'ocop.operator';
export const DEFAULT_OPERATOR = 'Thư ký Hội đồng';

function storedOperator(): string {
  try {
    const value = globalThis.localStorage?.getItem(OPERATOR_STORAGE_KEY)?.trim();
    return value ? value : DEFAULT_OPERATOR;
  } catch {
    return DEFAULT_OPERATOR;
  }
}

/** The operator's name, persisted. An empty name falls back to the default. */
export const operator = writable<string>(storedOperator());

operator.subscribe((value) => {
  try {
    globalThis.localStorage?.setItem(OPERATOR_STORAGE_KEY, value);
  } catch {
    // Storage may be unavailable; the name then lasts for the session.
  }
});

/** The name to record: trimmed, whitespace collapsed, the default when empty. */
export function normaliseOperator(name: string): string {
  const n = name.replace(/\s+/g, ' ').trim();
  return n === '' ? DEFAULT_OPERATOR : n;
}
