/** PIN rules checked before asking the backend (which checks them again). */
import type { MessageKey } from './i18n';

/** 4 to 8 digits, like the core's `check_pin_format`. */
export function isPinFormat(pin: string): boolean {
  return /^\d{4,8}$/.test(pin);
}

/** What is wrong with a new PIN and its confirmation; null when both are fine. */
export function newPinProblem(pin: string, confirm: string): MessageKey | null {
  if (pin === '') return 'pin.required';
  if (!isPinFormat(pin)) return 'pin.format';
  if (pin !== confirm) return 'pin.mismatch';
  return null;
}
