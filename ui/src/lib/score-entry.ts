/**
 * Presentation helpers for score entry: the leaf criteria in printed order (the keyboard's path),
 * options with their printed numbers, and the running subtotals of what is on screen. The rules
 * (minima, bands, results) stay in the core; these are sums of the printed points.
 */
import { writable } from 'svelte/store';
import type { Case } from './bindings/Case';
import type { Criterion } from './bindings/Criterion';
import type { CriterionOption } from './bindings/CriterionOption';
import type { ProductSet } from './bindings/ProductSet';

export interface Leaf {
  code: string;
  criterion: Criterion;
  /** Part code: A, B or C. */
  part: string;
}

/** The criteria a member answers (leaves), in printed order. */
export function sheetLeaves(set: Pick<ProductSet, 'parts'>): Leaf[] {
  const out: Leaf[] = [];
  const walk = (cs: readonly Criterion[], part: string): void => {
    for (const c of cs) {
      if (c.children.length > 0) walk(c.children, part);
      else out.push({ code: c.code, criterion: c, part });
    }
  };
  for (const p of set.parts) for (const g of p.groups) walk(g.criteria, p.code);
  return out;
}

export interface NumberedOption {
  option: CriterionOption;
  /** 0-based index in printed order (what the backend stores); the key is index + 1. */
  index: number;
}

export interface ChoiceBlock {
  case: Case | null;
  options: NumberedOption[];
}

/**
 * The options of a leaf, numbered in printed order across the tourism cases (case a: 1, 2;
 * case b: 3, 4), grouped under their case.
 */
export function choiceBlocks(c: Pick<Criterion, 'cases' | 'options'>): ChoiceBlock[] {
  const numbered = c.options.map((option, index) => ({ option, index }));
  if (c.cases.length === 0) return [{ case: null, options: numbered }];
  const blocks: ChoiceBlock[] = c.cases.map((k) => ({
    case: k,
    options: numbered.filter((o) => o.option.case === k.code),
  }));
  const known = new Set(c.cases.map((k) => k.code));
  const rest = numbered.filter((o) => o.option.case == null || !known.has(o.option.case));
  if (rest.length > 0) blocks.push({ case: null, options: rest });
  return blocks;
}

/** Answers as shown: a chosen index, or null/undefined when unanswered. */
export type ShownAnswers = Readonly<Record<string, number | null | undefined>>;

export interface Totals {
  parts: Record<string, number>;
  total: number;
  /** Leaf codes without an answer, in printed order. */
  missing: string[];
}

/** Subtotals per part and the total of the answers on screen. */
export function totals(set: Pick<ProductSet, 'parts'>, answers: ShownAnswers): Totals {
  const parts: Record<string, number> = Object.fromEntries(set.parts.map((p) => [p.code, 0]));
  const missing: string[] = [];
  let total = 0;
  for (const leaf of sheetLeaves(set)) {
    const i = answers[leaf.code];
    const option = i == null ? undefined : leaf.criterion.options[i];
    if (!option) {
      missing.push(leaf.code);
      continue;
    }
    parts[leaf.part] = (parts[leaf.part] ?? 0) + option.points;
    total += option.points;
  }
  return { parts, total, missing };
}

/**
 * The next leaf without an answer after `from` (wrapping round); null when every leaf is answered
 * (other than `from` itself when it is answered).
 */
export function nextUnanswered(order: readonly string[], answered: (code: string) => boolean, from: string): string | null {
  const start = order.indexOf(from);
  for (let step = 1; step <= order.length; step++) {
    const code = order[(start + step) % order.length];
    if (!answered(code)) return code;
  }
  return null;
}

/** Where score entry stands in a round: kept while the user visits other tabs and screens. */
export interface ScoreEntryPlace {
  productId: string;
  personId: string;
  mode: 'member' | 'keyed';
  keyedBy: string;
  pass: 1 | 2;
}

export const scoreEntryPlaces = writable<Record<string, ScoreEntryPlace>>({});
