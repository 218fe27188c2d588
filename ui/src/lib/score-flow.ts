/**
 * The flow of score entry as pure functions: which member can score a product, where the user
 * comes back to, which criterion is active first, and what a key press asks for. The component
 * (`ScoreEntry.svelte`) does the effects; these decide.
 */
import type { Recusal } from './bindings/Recusal';
import type { RoundMember } from './bindings/RoundMember';
import type { ScoreEntryPlace } from './score-entry';

/** Why a member cannot score a product; null when they can. */
export type Block = { kind: 'recused'; reason: string } | { kind: 'absent' } | null;

export function memberBlock(m: RoundMember, productId: string, recusals: readonly Recusal[]): Block {
  const rec = recusals.find((r) => r.person_id === m.person.id && r.product_id === productId);
  if (rec) return { kind: 'recused', reason: rec.reason };
  if (!m.present) return { kind: 'absent' };
  return null;
}

/**
 * The member to show for the product: the current one when they can score it (or when nobody can,
 * so the reason is shown for them), otherwise the first who can; '' when there is nobody.
 */
export function memberFor(personId: string, scorers: readonly RoundMember[], canScore: (m: RoundMember) => boolean): string {
  const current = scorers.find((m) => m.person.id === personId);
  const eligible = scorers.filter(canScore);
  if (current && canScore(current)) return personId;
  if (current && personId !== '' && eligible.length === 0) return personId;
  return eligible[0]?.person.id ?? current?.person.id ?? '';
}

/**
 * Where score entry opens: the remembered place when there is one, with the product and the keyer
 * made valid for this round (the member is fixed by `memberFor` afterwards).
 */
export function restoredPlace(
  saved: ScoreEntryPlace | undefined,
  current: ScoreEntryPlace,
  productIds: readonly string[],
  roster: readonly RoundMember[],
): ScoreEntryPlace {
  const next: ScoreEntryPlace = saved ? { ...saved } : { ...current };
  if (!productIds.includes(next.productId)) next.productId = productIds[0] ?? '';
  if (!roster.some((m) => m.person.id === next.keyedBy)) {
    next.keyedBy = (roster.find((m) => m.role === 'secretary') ?? roster[0])?.person.id ?? '';
  }
  return next;
}

/** The criterion active when a sheet opens: the first unanswered one, else the first; '' for none. */
export function firstActive(order: readonly string[], answered: (code: string) => boolean): string {
  return order.find((code) => !answered(code)) ?? order[0] ?? '';
}

/** What a key press asks score entry to do. */
export type KeyAction =
  | { kind: 'help' }
  | { kind: 'product'; delta: 1 | -1 }
  | { kind: 'member'; delta: 1 | -1 }
  /** Choose the option with this 0-based index for the active criterion. */
  | { kind: 'choose'; index: number }
  | { kind: 'move'; delta: 1 | -1 }
  | { kind: 'first' }
  | { kind: 'last' }
  | { kind: 'clear' };

export type KeyPress = Pick<KeyboardEvent, 'key' | 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey'>;

/** Where the focus is when a key is pressed (never in a field: typing is left alone before this). */
export interface KeyPlace {
  /** The focus is in the sheet's rows and a criterion is active. */
  inSheet: boolean;
  /** The active criterion's position in the printed order. */
  position: number;
  /** How many criteria the sheet has. */
  count: number;
}

/**
 * The action for a key, or null when the key is not score entry's (the browser keeps it: Tab past
 * the first or last criterion leaves the sheet as usual).
 */
export function keyAction(e: KeyPress, at: KeyPlace): KeyAction | null {
  // Anywhere in score entry.
  if (e.key === '?') return { kind: 'help' };
  if (e.key === 'PageDown' || (e.altKey && e.key === 'ArrowRight')) return { kind: 'product', delta: 1 };
  if (e.key === 'PageUp' || (e.altKey && e.key === 'ArrowLeft')) return { kind: 'product', delta: -1 };
  if (e.altKey && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
    return { kind: 'member', delta: e.key === 'ArrowDown' ? 1 : -1 };
  }

  // In the sheet.
  if (!at.inSheet || e.ctrlKey || e.metaKey || e.altKey) return null;
  if (/^[1-9]$/.test(e.key)) return { kind: 'choose', index: Number(e.key) - 1 };
  switch (e.key) {
    case 'ArrowDown':
    case 'Enter':
      return { kind: 'move', delta: 1 };
    case 'ArrowUp':
      return { kind: 'move', delta: -1 };
    case 'Tab':
      if (e.shiftKey ? at.position > 0 : at.position < at.count - 1) return { kind: 'move', delta: e.shiftKey ? -1 : 1 };
      return null;
    case 'Home':
      return { kind: 'first' };
    case 'End':
      return { kind: 'last' };
    case 'Backspace':
    case 'Delete':
      return { kind: 'clear' };
    default:
      return null;
  }
}
