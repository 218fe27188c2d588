/**
 * The first-run guide: the setup steps in the order a new office takes them (office details and
 * signing key, members, owners, products, then the first round), each done or not from what the
 * database holds. Pure: `SetupGuide.svelte` gathers the facts and shows the steps.
 */
import type { OfficeSettings } from './bindings/OfficeSettings';
import type { Person } from './bindings/Person';
import type { MessageKey, Params } from './i18n';
import { missingOfficeFields } from './papers';

export interface SetupFacts {
  office: OfficeSettings;
  /** The office has a signing key sealed under its passphrase (certificates can be issued). */
  keyProtected: boolean;
  persons: readonly Pick<Person, 'has_pin'>[];
  owners: number;
  products: number;
  rounds: number;
}

export type SetupStepId = 'office' | 'members' | 'owners' | 'products' | 'round';

export interface SetupStep {
  id: SetupStepId;
  done: boolean;
  /** What stands done, or what is left to do. */
  detail: MessageKey;
  params?: Params;
  /** Office: the missing fields, as message keys (translated by the guide). */
  missing?: MessageKey[];
  /** The screen that does the step; none for the round, whose form is on the first screen. */
  screen?: 'settings' | 'members' | 'owners' | 'products';
}

/** The words of the counted steps: when done ("3 owners"), and what to do when not. */
const COUNTED: Record<Exclude<SetupStepId, 'office'>, { done: MessageKey; todo: MessageKey }> = {
  members: { done: 'setup.members.done', todo: 'setup.members.todo' },
  owners: { done: 'setup.owners.done', todo: 'setup.owners.todo' },
  products: { done: 'setup.products.done', todo: 'setup.products.todo' },
  round: { done: 'setup.round.done', todo: 'setup.round.todo' },
};

export function setupSteps(f: SetupFacts): SetupStep[] {
  const missing = missingOfficeFields(f.office);
  const counted = (id: keyof typeof COUNTED, n: number, extra: Params = {}): Omit<SetupStep, 'screen'> => ({
    id,
    done: n > 0,
    detail: n > 0 ? COUNTED[id].done : COUNTED[id].todo,
    params: { n, ...extra },
  });
  return [
    missing.length > 0
      ? { id: 'office', done: false, detail: 'setup.office.todo', missing, screen: 'settings' }
      : f.keyProtected
        ? { id: 'office', done: true, detail: 'setup.office.done', screen: 'settings' }
        : { id: 'office', done: false, detail: 'setup.office.key', screen: 'settings' },
    { ...counted('members', f.persons.length, { pins: f.persons.filter((p) => p.has_pin).length }), screen: 'members' },
    { ...counted('owners', f.owners), screen: 'owners' },
    { ...counted('products', f.products), screen: 'products' },
    counted('round', f.rounds),
  ];
}

/** The first step not done; -1 when every step is. */
export function nextStep(steps: readonly SetupStep[]): number {
  return steps.findIndex((s) => !s.done);
}
