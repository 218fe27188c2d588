/**
 * Who scores what in score entry: the round's council, recusals and products, and the chosen
 * product, member and entry mode (`place`, remembered per round in `scoreEntryPlaces`). The
 * member is kept valid for the product: a recused or absent member gives way to the first who can
 * score it. `EntryPickers.svelte` shows it; the keys step through it.
 */
import { get } from 'svelte/store';
import { dossiers, openSheet, recusals, roster, sheetByHash } from '../../../lib/api';
import type { Product } from '../../../lib/bindings/Product';
import type { ProductSet } from '../../../lib/bindings/ProductSet';
import type { Recusal } from '../../../lib/bindings/Recusal';
import type { RoundMember } from '../../../lib/bindings/RoundMember';
import type { ScoreSheet } from '../../../lib/bindings/ScoreSheet';
import { scores } from '../../../lib/labels';
import { LOADING, type Load } from '../../../lib/load';
import { scoreEntryPlaces, type ScoreEntryPlace } from '../../../lib/score-entry';
import { memberBlock, memberFor, restoredPlace, type Block } from '../../../lib/score-flow';

interface Council {
  roster: RoundMember[];
  recusals: Recusal[];
  products: Product[];
}

export class EntryPlace {
  council = $state<Load<Council>>(LOADING);
  place = $state<ScoreEntryPlace>({ productId: '', personId: '', mode: 'member', keyedBy: '', pass: 1 });

  readonly roster = $derived(this.council.status === 'ready' ? this.council.value.roster : []);
  readonly products = $derived(this.council.status === 'ready' ? this.council.value.products : []);
  readonly recusals = $derived(this.council.status === 'ready' ? this.council.value.recusals : []);
  /** The members who score (not the secretary's assistant roles). */
  readonly scorers = $derived(this.roster.filter((m) => scores(m.role)));
  /** The scorers who can score the chosen product. */
  readonly eligible = $derived(this.scorers.filter((m) => this.block(m) === null));
  readonly chair = $derived(this.roster.find((m) => m.role === 'chair'));

  readonly #roundId: string;
  /** Criteria sheets by hash: members of one product share one. */
  readonly #sets: Record<string, ProductSet> = {};

  constructor(roundId: string) {
    this.#roundId = roundId;
  }

  async load(): Promise<void> {
    this.council = LOADING;
    try {
      const id = this.#roundId;
      const [r, rec, d] = await Promise.all([roster(id), recusals(id), dossiers(id)]);
      this.council = { status: 'ready', value: { roster: r, recusals: rec, products: d.map((x) => x.product) } };
      const saved = get(scoreEntryPlaces)[id];
      this.place = restoredPlace(saved, this.place, this.products.map((p) => p.id), this.roster);
      this.#fixMember();
    } catch (error) {
      this.council = { status: 'error', error };
    }
  }

  /** Opens (or creates) the sheet of the place, with the criteria it is scored on. */
  async open(): Promise<{ sheet: ScoreSheet; set: ProductSet }> {
    const p = this.place;
    const keyed = p.mode === 'keyed';
    const sheet = await openSheet(this.#roundId, p.productId, p.personId, keyed ? p.keyedBy : null, keyed ? p.pass : 1);
    this.#sets[sheet.sheet_sha256] ??= await sheetByHash(sheet.sheet_sha256);
    return { sheet, set: this.#sets[sheet.sheet_sha256] };
  }

  /** Why a member cannot score the chosen product; null when they can. */
  block(m: RoundMember): Block {
    return memberBlock(m, this.place.productId, this.recusals);
  }

  member(personId: string | null | undefined): RoundMember | undefined {
    return this.roster.find((m) => m.person.id === personId);
  }

  chooseProduct(productId: string): void {
    this.place.productId = productId;
    this.#fixMember();
  }

  /** The next (1) or previous (-1) product; false when there is none. */
  stepProduct(delta: number): boolean {
    const i = this.products.findIndex((p) => p.id === this.place.productId);
    const next = this.products[i + delta];
    if (!next) return false;
    this.chooseProduct(next.id);
    return true;
  }

  /** The next or previous member who can score the product, round the list; false when it stays. */
  stepMember(delta: number): boolean {
    const eligible = this.eligible;
    if (eligible.length === 0) return false;
    const i = eligible.findIndex((m) => m.person.id === this.place.personId);
    const next = eligible[(i + delta + eligible.length) % eligible.length];
    if (next.person.id === this.place.personId) return false;
    this.place.personId = next.person.id;
    return true;
  }

  /** The member has just set a PIN (signing can go on). */
  pinSet(personId: string): void {
    const m = this.member(personId);
    if (m) m.person.has_pin = true;
  }

  #fixMember(): void {
    this.place.personId = memberFor(this.place.personId, this.scorers, (m) => this.block(m) === null);
  }
}
