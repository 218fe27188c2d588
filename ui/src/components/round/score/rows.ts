/**
 * What the rows of the sheet read from score entry and tell it back. Score entry passes an object
 * of getters, so the rows stay reactive without a prop for each value.
 */
import type { Mismatch } from '../../../lib/bindings/Mismatch';
import type { ShownAnswers } from '../../../lib/score-entry';

/** A row's save: sending, confirmed by the backend, or failed (kept and retried). */
export type RowState = 'saving' | 'saved' | 'error';

export interface SheetRows {
  /** The answers on screen: saved ones with the pending ones over them. */
  readonly answers: ShownAnswers;
  readonly activeCode: string;
  readonly readonly: boolean;
  /** The last save failure, shown on a failed row's mark. */
  readonly saveError: string | null;
  rowState(code: string): RowState | undefined;
  /** Where the two keyings of a paper sheet differ. */
  mismatch(code: string): Mismatch | undefined;
  choose(code: string, index: number): void;
  /** The focus came into a row. */
  activate(code: string): void;
}
