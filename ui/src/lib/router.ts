/**
 * A small hash router: `#/criteria`, `#/about`, `#/round/<id>/<tab>`. The screens themselves are
 * listed in `src/nav.ts`; a route is the screen id followed by its parameters.
 */
import { derived, readable } from 'svelte/store';

export interface Route {
  /** The screen id ("round"); "" when there is none. */
  screen: string;
  /** The path segments after the screen id, decoded (`["<id>", "scoring"]`). */
  params: string[];
}

/** The route of a location hash: "#/round/ab12/scoring" → { screen: "round", params: ["ab12", "scoring"] }. */
export function routeFromHash(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  const [screen = '', ...rest] = path.split('/');
  if (!/^[\w-]*$/.test(screen)) return { screen: '', params: [] };
  const params = rest.filter((p) => p !== '').map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  return { screen, params };
}

/** The screen id in a location hash ("#/about" → "about"); "" when there is none. */
export function screenFromHash(hash: string): string {
  return routeFromHash(hash).screen;
}

/** `#/<id>` or `#/<id>/<param>/…`. */
export function screenHref(id: string, ...params: string[]): string {
  return ['#', id, ...params.map(encodeURIComponent)].join('/');
}

/** Goes to a route (adds a history entry, so Back returns). */
export function navigate(id: string, ...params: string[]): void {
  if (typeof window !== 'undefined') window.location.hash = screenHref(id, ...params);
}

/** Replaces the current route without a new history entry (tabs). */
export function replaceRoute(id: string, ...params: string[]): void {
  if (typeof window === 'undefined') return;
  const href = screenHref(id, ...params);
  if (window.location.hash === href) return;
  window.history.replaceState(window.history.state, '', href);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

/** The current route, updated on `hashchange`. */
export const currentRoute = readable<Route>(
  typeof window === 'undefined' ? { screen: '', params: [] } : routeFromHash(window.location.hash),
  (set) => {
    if (typeof window === 'undefined') return;
    const update = (): void => set(routeFromHash(window.location.hash));
    update();
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  },
);

/** The screen id of the current location. */
export const currentScreen = derived(currentRoute, (r) => r.screen);
