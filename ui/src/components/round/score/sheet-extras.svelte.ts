/**
 * What comes with the open sheet: its versions (history) and, for a paper sheet keyed twice, where
 * the two keyings differ (the double-entry comparison). Both are helps: a failure to load them
 * leaves them empty rather than interrupting the scoring.
 */
import { mismatches, sheetHistory } from '../../../lib/api';
import type { Mismatch } from '../../../lib/bindings/Mismatch';
import type { ScoreSheet } from '../../../lib/bindings/ScoreSheet';

export class SheetExtras {
  history = $state<ScoreSheet[]>([]);
  mismatches = $state<Mismatch[]>([]);

  /** The sheet on screen now (answers for another one are dropped). */
  readonly #current: () => ScoreSheet | null;

  constructor(current: () => ScoreSheet | null) {
    this.#current = current;
  }

  /** How many answers differ from the other keying; null when there is nothing to compare yet. */
  get mismatchCount(): number | null {
    const keyed = this.#current()?.entry === 'keyed';
    return keyed && (this.history.length > 0 || this.mismatches.length > 0) ? this.mismatches.length : null;
  }

  /** Where the keyings differ on a criterion. */
  mismatchAt(code: string): Mismatch | undefined {
    return this.mismatches.find((m) => m.criterion === code);
  }

  clear(): void {
    this.history = [];
    this.mismatches = [];
  }

  async load(roundId: string, s: ScoreSheet): Promise<void> {
    const [h, m] = await Promise.all([
      sheetHistory(roundId, s.product_id, s.person_id).catch(() => [] as ScoreSheet[]),
      s.entry === 'keyed' ? mismatches(s.id).catch(() => [] as Mismatch[]) : Promise.resolve([] as Mismatch[]),
    ]);
    if (this.#current()?.id !== s.id) return;
    this.history = h;
    this.mismatches = m;
  }

  /** After answers of a keyed sheet were saved. */
  async refresh(): Promise<void> {
    const s = this.#current();
    if (!s || s.entry !== 'keyed') return;
    try {
      const m = await mismatches(s.id);
      if (this.#current()?.id === s.id) this.mismatches = m;
    } catch {
      // The highlight is a help; a failure here is not worth interrupting the keying.
    }
  }
}
