/**
 * Presentation helpers over the criteria types (ordering, grouping, notes). No scoring rules here:
 * those belong to the core crate.
 */
import type { Case } from './bindings/Case';
import type { Class } from './bindings/Class';
import type { Criterion } from './bindings/Criterion';
import type { CriterionOption } from './bindings/CriterionOption';
import type { DecisionSummary } from './bindings/DecisionSummary';
import type { Group } from './bindings/Group';
import type { ProductSet } from './bindings/ProductSet';
import type { SetSummary } from './bindings/SetSummary';
import { matchesQuery, matchesQueryExactly } from './text';

/** The decision signed last (ISO dates compare as strings). */
export function newestDecision(decisions: readonly DecisionSummary[]): DecisionSummary | undefined {
  return decisions.reduce<DecisionSummary | undefined>(
    (best, d) => (!best || d.signed > best.signed ? d : best),
    undefined,
  );
}

export function decisionYear(d: Pick<DecisionSummary, 'signed'>): string {
  return d.signed.slice(0, 4);
}

/**
 * The star-marker footnote the decision prints under every sheet, when the backend sends it
 * (`footer_note`); null otherwise, and the UI shows the standard wording.
 */
export function footerNote(d: DecisionSummary): string | null {
  const note = (d as DecisionSummary & { footer_note?: unknown }).footer_note;
  return typeof note === 'string' && note.trim() !== '' ? note : null;
}

const ROMAN: Record<string, number> = { I: 1, V: 5, X: 10, L: 50 };

/** "IV" → 4; unknown letters sort last. */
export function romanValue(code: string): number {
  let total = 0;
  const letters = code.toUpperCase().split('');
  for (let i = 0; i < letters.length; i++) {
    const v = ROMAN[letters[i]];
    if (v === undefined) return Number.MAX_SAFE_INTEGER;
    const next = ROMAN[letters[i + 1]] ?? 0;
    total += v < next ? -v : v;
  }
  return total;
}

export interface CategoryGroup {
  category: Class;
  sets: SetSummary[];
}

/** Sets grouped by category (I … VI), each group in set-number order. */
export function groupByCategory(sets: readonly SetSummary[]): CategoryGroup[] {
  const groups = new Map<string, CategoryGroup>();
  for (const s of sets) {
    const cat = s.classification.category;
    let g = groups.get(cat.code);
    if (!g) {
      g = { category: cat, sets: [] };
      groups.set(cat.code, g);
    }
    g.sets.push(s);
  }
  const out = [...groups.values()];
  out.sort((a, b) => romanValue(a.category.code) - romanValue(b.category.code));
  for (const g of out) g.sets.sort((a, b) => a.no - b.no);
  return out;
}

/** "11. Chè tươi, chè chế biến" */
export function setLabel(s: Pick<SetSummary, 'no' | 'name'>): string {
  return `${s.no}. ${s.name}`;
}

/** Sets whose label or code matches `query`, diacritic-insensitively. */
export function filterSets(sets: readonly SetSummary[], query: string): SetSummary[] {
  return sets.filter((s) => matchesQuery(`${setLabel(s)} ${s.code}`, query));
}

/**
 * The set Enter opens from the search field: among `shown` (in display order), the first whose
 * label matches `query` with its diacritics ("chè" → Chè, not Chế), else the first shown.
 */
export function bestMatch(shown: readonly SetSummary[], query: string): SetSummary | undefined {
  return shown.find((s) => matchesQueryExactly(setLabel(s), query)) ?? shown[0];
}

export interface NoteItem {
  text: string;
  eliminating: boolean;
}

/**
 * The criterion's notes in printed order, eliminating ones flagged, followed by eliminating notes
 * that are not also printed notes (the data may list an eliminating note in both lists).
 */
export function noteItems(c: Pick<Criterion, 'notes' | 'eliminating'>): NoteItem[] {
  const elim = new Set(c.eliminating);
  const items = c.notes.map((text) => ({ text, eliminating: elim.has(text) }));
  const printed = new Set(c.notes);
  for (const text of c.eliminating) if (!printed.has(text)) items.push({ text, eliminating: true });
  return items;
}

export interface CaseOptions {
  /** Null for the options that belong to no case (every option when the criterion has none). */
  case: Case | null;
  options: CriterionOption[];
}

/** Options split by the tourism "choose one of two cases" cases, in the cases' order. */
export function optionsByCase(c: Pick<Criterion, 'cases' | 'options'>): CaseOptions[] {
  if (c.cases.length === 0) return [{ case: null, options: c.options }];
  const out: CaseOptions[] = c.cases.map((k) => ({
    case: k,
    options: c.options.filter((o) => o.case === k.code),
  }));
  const known = new Set(c.cases.map((k) => k.code));
  const rest = c.options.filter((o) => o.case == null || !known.has(o.case));
  if (rest.length) out.push({ case: null, options: rest });
  return out;
}

/** A group the decision scores directly (Part C "7. TÍNH ĐỘC ĐÁO"): one criterion with the group's code. */
export function isDirectGroup(g: Group): boolean {
  return g.criteria.length === 1 && g.criteria[0].code === g.code;
}

export function sheetTotal(s: Pick<ProductSet, 'parts'>): number {
  return s.parts.reduce((n, p) => n + p.max, 0);
}

export function leafCount(s: Pick<ProductSet, 'parts'>): number {
  const count = (cs: readonly Criterion[]): number =>
    cs.reduce((n, c) => n + (c.children.length ? count(c.children) : 1), 0);
  return s.parts.reduce((n, p) => n + p.groups.reduce((m, g) => m + count(g.criteria), 0), 0);
}

/** "★★★★" for a minimum of 4 stars. */
export function starMarker(minStar: number): string {
  return '★'.repeat(Math.max(0, Math.min(5, Math.round(minStar))));
}
