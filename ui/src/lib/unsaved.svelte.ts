/**
 * Answers chosen in score entry but not yet confirmed by the backend: sheet id → criterion →
 * option (null = clear). Kept outside the component, so leaving the tab or the screen never drops
 * what a member typed; score entry sends them again when it comes back.
 */
export const unsavedAnswers: Record<string, Record<string, number | null>> = $state({});

export function clearUnsaved(): void {
  for (const id of Object.keys(unsavedAnswers)) delete unsavedAnswers[id];
}
