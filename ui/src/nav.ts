/**
 * The application's screens, in navigation order. A new screen is one more entry here; the shell
 * builds the navigation and the routing from this list.
 */
import type { Component } from 'svelte';
import type { MessageKey } from './lib/i18n';
import About from './screens/About.svelte';
import Audit from './screens/Audit.svelte';
import Backups from './screens/Backups.svelte';
import Central from './screens/Central.svelte';
import CriteriaBrowser from './screens/CriteriaBrowser.svelte';
import Dashboard from './screens/Dashboard.svelte';
import Exchange from './screens/Exchange.svelte';
import Members from './screens/Members.svelte';
import Owners from './screens/Owners.svelte';
import Plan from './screens/Plan.svelte';
import Products from './screens/Products.svelte';
import Registry from './screens/Registry.svelte';
import Renewals from './screens/Renewals.svelte';
import Room from './screens/Room.svelte';
import RoundDetail from './screens/RoundDetail.svelte';
import Rounds from './screens/Rounds.svelte';
import Settings from './screens/Settings.svelte';
import Verify from './screens/Verify.svelte';

export interface Screen {
  /** Route id: the screen lives at `#/<id>` (and `#/<id>/<param>…` when it takes parameters). */
  id: string;
  /** Navigation label (and window title). */
  label: MessageKey;
  /**
   * The screen. The shell passes it the route's parameters as `params`
   * (`#/round/<id>/<tab>` → `["<id>", "<tab>"]`); screens without parameters ignore it.
   */
  component: Component<never>;
  /**
   * `main` screens first; `secondary` ones (About) at the bottom of the navigation; `hidden` ones
   * are reached from another screen (a round's detail) and highlight their `parent` in the navigation.
   */
  placement: 'main' | 'secondary' | 'hidden';
  parent?: string;
}

export const SCREENS: readonly Screen[] = [
  { id: 'rounds', label: 'nav.rounds', component: Rounds, placement: 'main' },
  { id: 'round', label: 'nav.round', component: RoundDetail, placement: 'hidden', parent: 'rounds' },
  { id: 'room', label: 'room.heading', component: Room, placement: 'hidden', parent: 'rounds' },
  { id: 'members', label: 'nav.members', component: Members, placement: 'main' },
  { id: 'owners', label: 'nav.owners', component: Owners, placement: 'main' },
  { id: 'products', label: 'nav.products', component: Products, placement: 'main' },
  { id: 'registry', label: 'nav.registry', component: Registry, placement: 'main' },
  { id: 'renewals', label: 'nav.renewals', component: Renewals, placement: 'main' },
  { id: 'central', label: 'nav.central', component: Central, placement: 'main' },
  { id: 'exchange', label: 'nav.exchange', component: Exchange, placement: 'main' },
  { id: 'plan', label: 'nav.plan', component: Plan, placement: 'main' },
  { id: 'dashboard', label: 'nav.dashboard', component: Dashboard, placement: 'main' },
  { id: 'criteria', label: 'nav.criteria', component: CriteriaBrowser, placement: 'main' },
  { id: 'audit', label: 'nav.audit', component: Audit, placement: 'main' },
  { id: 'verify', label: 'nav.verify', component: Verify, placement: 'main' },
  { id: 'settings', label: 'nav.settings', component: Settings, placement: 'secondary' },
  { id: 'backups', label: 'nav.backups', component: Backups, placement: 'secondary' },
  { id: 'about', label: 'nav.about', component: About, placement: 'secondary' },
];

/** The screen for a route id; the first screen for an unknown or empty id. */
export function screenFor(id: string, screens: readonly Screen[] = SCREENS): Screen {
  return screens.find((s) => s.id === id) ?? screens[0];
}
