/**
 * The application's screens, in navigation order. A new screen (rounds, results, documents, verify)
 * is one more entry here; the shell builds the navigation and the routing from this list.
 */
import type { Component } from 'svelte';
import type { MessageKey } from './lib/i18n';
import About from './screens/About.svelte';
import CriteriaBrowser from './screens/CriteriaBrowser.svelte';

export interface Screen {
  /** Route id: the screen lives at `#/<id>`. */
  id: string;
  /** Navigation label. */
  label: MessageKey;
  component: Component;
  /** `main` screens first; `secondary` ones (About) at the bottom of the navigation. */
  placement: 'main' | 'secondary';
}

export const SCREENS: readonly Screen[] = [
  { id: 'criteria', label: 'nav.criteria', component: CriteriaBrowser, placement: 'main' },
  { id: 'about', label: 'nav.about', component: About, placement: 'secondary' },
];

/** The screen for a route id; the first screen for an unknown or empty id. */
export function screenFor(id: string, screens: readonly Screen[] = SCREENS): Screen {
  return screens.find((s) => s.id === id) ?? screens[0];
}
