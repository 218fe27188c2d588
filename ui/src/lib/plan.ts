/**
 * The plan (Kế hoạch) and the dashboard's plan table: reading a target cell, the grid of a year's
 * targets by locality and star, and "achieved/target" with its percentage. Pure functions.
 */
import type { Locality } from './bindings/Locality';
import type { PlanTarget } from './bindings/PlanTarget';

/** The stars a plan counts, in column order (index 0 = 3★). */
export const PLAN_STARS = [3, 4, 5] as const;
export type PlanStar = (typeof PLAN_STARS)[number];

/** The largest target a cell takes (a typo guard, far above any province's plan). */
export const MAX_TARGET = 100_000;

export type TargetParse = { ok: true; value: number } | { ok: false };

/** A target as typed: a whole number from 0 (empty means 0; spaces and thousands dots are ignored). */
export function parseTarget(text: string): TargetParse {
  const s = text.trim().replace(/[\s.\u00a0]/g, '');
  if (s === '') return { ok: true, value: 0 };
  if (!/^\d+$/.test(s)) return { ok: false };
  const value = Number(s);
  return value <= MAX_TARGET ? { ok: true, value } : { ok: false };
}

/** One locality's row of the plan grid: its targets for 3★, 4★, 5★. */
export interface GridRow {
  locality: Locality;
  target: [number, number, number];
}

/** The grid of a year: every locality (in the given order), with 0 where it has no target. */
export function planGrid(localities: readonly Locality[], targets: readonly PlanTarget[]): GridRow[] {
  return localities.map((locality) => {
    const target: [number, number, number] = [0, 0, 0];
    for (const t of targets) {
      const i = PLAN_STARS.indexOf(t.star as PlanStar);
      if (t.locality_code === locality.code && i >= 0) target[i] = t.target;
    }
    return { locality, target };
  });
}

export function rowTotal(target: readonly number[]): number {
  return target.reduce((a, b) => a + b, 0);
}

/** The sum of the grid by star. */
export function columnTotals(rows: readonly GridRow[]): [number, number, number] {
  const sum: [number, number, number] = [0, 0, 0];
  for (const r of rows) r.target.forEach((v, i) => (sum[i] += v));
  return sum;
}

/** "3/5": achieved out of the target ("3/—" when there is no target). */
export function achievedText(achieved: number, target: number): string {
  return `${achieved}/${target > 0 ? target : '—'}`;
}

/** The share of the target achieved, rounded to a whole percent; null without a target. */
export function achievedPercent(achieved: number, target: number): number | null {
  if (target <= 0) return null;
  return Math.round((achieved * 100) / target);
}

/** "60 %" (Vietnamese writes a space before the sign), or "" without a target. */
export function percentText(achieved: number, target: number): string {
  const p = achievedPercent(achieved, target);
  return p === null ? '' : `${p}\u00a0%`;
}
