import type { Translate } from './i18n';

/**
 * The text to show for a failed call: the backend's message (already in the user's language),
 * or an explanation when there is no backend at all.
 */
export function errorText(error: unknown, t: Translate): string {
  if (typeof error === 'object' && error !== null) {
    const e = error as { kind?: unknown; message?: unknown };
    if (e.kind === 'unavailable') return t('error.unavailable');
    if (typeof e.message === 'string' && e.message.trim() !== '') return e.message;
  }
  if (typeof error === 'string' && error.trim() !== '') return error;
  return t('error.unknown');
}
