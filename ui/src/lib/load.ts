/** The state of something loaded from the backend; every screen shows each case. */
export type Load<T> =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'ready'; value: T };

export const LOADING = { status: 'loading' } as const;

/** Runs `f` and wraps its outcome. */
export async function load<T>(f: () => Promise<T>): Promise<Load<T>> {
  try {
    return { status: 'ready', value: await f() };
  } catch (error) {
    return { status: 'error', error };
  }
}
