/**
 * Saving the answers of score entry. A chosen option is kept in `unsavedAnswers` (which outlives
 * the component) and sent at once; the backend's sheet comes back through `onsaved`. A failed save
 * keeps the answer, marks its row and is sent again on the next action (`retryIfNeeded`) or on
 * Retry; nothing is dropped unless the user discards it.
 */
import { get } from 'svelte/store';
import { saveAnswer } from '../../../lib/api';
import type { ScoreSheet } from '../../../lib/bindings/ScoreSheet';
import { errorText } from '../../../lib/errors';
import { t } from '../../../lib/i18n';
import { clearUnsaved, unsavedAnswers } from '../../../lib/unsaved.svelte';
import type { RowState } from './rows';

export class AnswerSaver {
  /** Sheet id → criterion → option (null = clear), not yet confirmed by the backend. */
  readonly pending = unsavedAnswers;
  /** Per `sheetId:criterion`. */
  rowStates = $state<Record<string, RowState>>({});
  /** The last failure, until a save succeeds. */
  error = $state<string | null>(null);

  #flushing = false;
  #again = false;
  /** Takes a saved sheet; true when it is the one on screen. */
  readonly #onsaved: (s: ScoreSheet) => boolean;
  /** After a round of saves that changed the sheet on screen. */
  readonly #ontouched: () => void;

  constructor(onsaved: (s: ScoreSheet) => boolean, ontouched: () => void) {
    this.#onsaved = onsaved;
    this.#ontouched = ontouched;
  }

  /** How many answers wait to be saved, on every sheet. */
  get unsavedCount(): number {
    return Object.values(this.pending).reduce((n, p) => n + Object.keys(p).length, 0);
  }

  rowState(sheetId: string, code: string): RowState | undefined {
    return this.rowStates[`${sheetId}:${code}`];
  }

  /** Records an answer (null clears it) and sends it. */
  put(sheetId: string, code: string, option: number | null): void {
    this.pending[sheetId] ??= {};
    this.pending[sheetId][code] = option;
    void this.flush();
  }

  /** Sends every pending answer, in order; stops at the first failure (retried on the next action). */
  async flush(): Promise<void> {
    if (this.#flushing) {
      this.#again = true;
      return;
    }
    this.#flushing = true;
    let touched = false;
    const pending = this.pending;
    try {
      outer: for (const sheetId of Object.keys(pending)) {
        for (const code of Object.keys(pending[sheetId] ?? {})) {
          const value = pending[sheetId][code];
          const key = `${sheetId}:${code}`;
          this.rowStates[key] = 'saving';
          try {
            const s = await saveAnswer(sheetId, code, value);
            if (pending[sheetId]?.[code] === value) delete pending[sheetId][code];
            this.rowStates[key] = pending[sheetId]?.[code] !== undefined ? 'saving' : 'saved';
            if (this.#onsaved(s)) touched = true;
            this.error = null;
          } catch (e) {
            this.rowStates[key] = 'error';
            this.error = errorText(e, get(t));
            break outer;
          }
        }
        if (pending[sheetId] && Object.keys(pending[sheetId]).length === 0) delete pending[sheetId];
      }
    } finally {
      this.#flushing = false;
    }
    if (touched) this.#ontouched();
    if (this.#again) {
      this.#again = false;
      void this.flush();
    }
  }

  retryIfNeeded(): void {
    if (this.error !== null && this.unsavedCount > 0) void this.flush();
  }

  /** Drops every unsaved answer (the user chose to). */
  discard(): void {
    clearUnsaved();
    for (const k of Object.keys(this.rowStates)) if (this.rowStates[k] === 'error') delete this.rowStates[k];
    this.error = null;
  }
}
