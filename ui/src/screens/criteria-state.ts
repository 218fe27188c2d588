/**
 * What the criteria browser shows, kept outside the component so that it survives a visit to
 * another screen.
 */
import { writable } from 'svelte/store';

export interface CriteriaBrowserState {
  decision: string | null;
  set: string | null;
  query: string;
}

const initial: CriteriaBrowserState = { decision: null, set: null, query: '' };

export const criteriaBrowserState = writable<CriteriaBrowserState>({ ...initial });

export function resetCriteriaBrowserState(): void {
  criteriaBrowserState.set({ ...initial });
}
