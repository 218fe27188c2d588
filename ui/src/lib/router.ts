/**
 * A small hash router: `#/criteria`, `#/about`. The screens themselves are listed in `src/nav.ts`.
 */
import { readable } from 'svelte/store';

/** The screen id in a location hash ("#/about" → "about"); "" when there is none. */
export function screenFromHash(hash: string): string {
  const m = /^#\/?([\w-]*)/.exec(hash);
  return m ? m[1] : '';
}

export function screenHref(id: string): string {
  return `#/${id}`;
}

/** The screen id of the current location, updated on `hashchange`. */
export const currentScreen = readable<string>(
  typeof window === 'undefined' ? '' : screenFromHash(window.location.hash),
  (set) => {
    if (typeof window === 'undefined') return;
    const update = (): void => set(screenFromHash(window.location.hash));
    update();
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  },
);
