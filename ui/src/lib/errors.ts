import { get } from 'svelte/store';
import catalogue from './bindings/messages.json';
import type { Lang } from './bindings/Lang';
import type { Notice } from './bindings/Notice';
import { lang, type Translate } from './i18n';

type Catalogue = Record<string, { vi: string; en: string }>;

/**
 * The backend's message for `code` in the interface language, or null for an unknown code or when
 * a parameter it needs is missing (the caller then shows the backend's own wording).
 */
export function codeText(code: string, params: Record<string, string>, l: Lang = get(lang)): string | null {
  const entry = (catalogue as Catalogue)[code];
  if (!entry) return null;
  let complete = true;
  const text = entry[l].replace(/\{(\w+)\}/g, (m, k: string) => {
    if (params[k] === undefined) complete = false;
    return params[k] ?? m;
  });
  return complete ? text.charAt(0).toUpperCase() + text.slice(1) : null;
}

/** A coded notice (a warning beside a record) in language `l`; pass `$lang` so it follows it. */
export function noticeText(n: Notice, l: Lang): string {
  return codeText(n.code, n.params, l) ?? n.message;
}

/**
 * The text to show for a failed call: the backend's coded error in the interface language (from
 * the catalogue the Rust core exports), else its message, or an explanation when there is no
 * backend at all.
 */
export function errorText(error: unknown, t: Translate): string {
  if (typeof error === 'object' && error !== null) {
    const e = error as { kind?: unknown; message?: unknown; code?: unknown; params?: unknown };
    if (e.kind === 'unavailable') return t('error.unavailable');
    if (typeof e.code === 'string' && e.code !== '') {
      const text = codeText(e.code, (e.params ?? {}) as Record<string, string>);
      if (text !== null) return text;
    }
    if (typeof e.message === 'string' && e.message.trim() !== '') return e.message;
  }
  if (typeof error === 'string' && error.trim() !== '') return error;
  return t('error.unknown');
}
