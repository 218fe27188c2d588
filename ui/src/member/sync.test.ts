import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import type { Pairing } from '../lib/bindings/Pairing';
import type { ScoreSheet } from '../lib/bindings/ScoreSheet';
import type { MemberChange } from './bundle';
import { shownAnswers } from './changes';
import { FakeHub, sheetFixture } from './fake-hub';
import { Hub } from './hub';
import { Outbox } from './outbox';
import { flush } from './sync';

let n = 0;
function change(sheet: string, criterion: string, replaces: number | null, option: number | null): MemberChange {
  n++;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    pairing_id: 'pair-1',
    sheet_id: sheet,
    kind: 'answer',
    criterion,
    replaces,
    option,
    text: null,
    at: '2026-12-03T02:16:00Z',
  };
}

async function setup(...sheets: ScoreSheet[]) {
  const fake = new FakeHub(...sheets);
  const factory = new IDBFactory();
  const box = await Outbox.open('test', factory);
  const hub = new Hub({ session: fake.session, fetch: fake.fetch });
  const seen: ScoreSheet[] = [];
  const send = () => flush(hub, box, 'm1', (s) => seen.push(s));
  return { fake, factory, box, hub, seen, send };
}

describe('the outbox', () => {
  it('keeps changes in order across a reopen, and the pairing with them', async () => {
    const factory = new IDBFactory();
    let box = await Outbox.open('keep', factory);
    const a = change('s1', 'A1', null, 0);
    const b = change('s1', 'A1', 0, 1);
    await box.add('m1', a);
    await box.add('m2', change('s9', 'A1', null, 0));
    await box.add('m1', b);
    await box.setPairing({ session: 'x', member: { id: 'm1' } } as Pairing);
    box.close();
    box = await Outbox.open('keep', factory);
    expect((await box.pending('m1')).map((c) => c.id)).toEqual([a.id, b.id]);
    expect(await box.pending()).toHaveLength(3);
    expect((await box.pairing())?.session).toBe('x');
    await box.remove(a.id);
    await box.remove('not-there');
    expect((await box.pending('m1')).map((c) => c.id)).toEqual([b.id]);
  });
});

describe('sending the outbox', () => {
  it('keeps everything while the hub is away, then sends it in order, each change once', async () => {
    const { fake, box, send } = await setup(sheetFixture('s1'));
    fake.offline = true;
    const changes = [change('s1', 'A1', null, 0), change('s1', 'A2', null, 2), change('s1', 'A1', 0, 1), change('s1', 'A3', null, 1)];
    for (const c of changes) await box.add('m1', c);
    const away = await send();
    expect(away.offline).toBe(true);
    expect(await box.pending('m1')).toHaveLength(4);
    expect(fake.log).toEqual([]);

    fake.offline = false;
    const back = await send();
    expect(back).toMatchObject({ sent: 4, stale: 0, offline: false, dead: false });
    expect(await box.pending('m1')).toEqual([]);
    expect(fake.log.map(([id]) => id)).toEqual(changes.map((c) => c.id));
    expect(fake.sheets.get('s1')?.answers).toEqual({ A1: 1, A2: 2, A3: 1 });
  });

  it('recognises a change whose answer was lost and does not apply it twice', async () => {
    const { fake, box, send, seen } = await setup(sheetFixture('s1'));
    await box.add('m1', change('s1', 'A1', null, 0));
    await box.add('m1', change('s1', 'A2', null, 1));
    fake.loseAnswers = 1;
    const cut = await send();
    expect(cut.offline).toBe(true);
    expect(fake.log).toHaveLength(1);
    expect(await box.pending('m1')).toHaveLength(2);

    const again = await send();
    expect(again.sent).toBe(2);
    expect(fake.log).toHaveLength(2);
    expect(await box.pending('m1')).toEqual([]);
    expect(seen.at(-1)?.answers).toEqual({ A1: 0, A2: 1 });
  });

  it('drops a stale change and shows the hub’s sheet', async () => {
    const { fake, box, send, seen } = await setup(sheetFixture('s1', { A1: 3 }));
    const mine = change('s1', 'A1', null, 0);
    await box.add('m1', mine);
    const r = await send();
    expect(r).toMatchObject({ sent: 0, stale: 1 });
    expect(fake.log).toEqual([]);
    expect(await box.pending('m1')).toEqual([]);
    expect(shownAnswers(seen.at(-1)!, [])).toEqual({ A1: 3 });
  });

  it('keeps the changes for the member’s file when the pairing has ended', async () => {
    const { fake, box, send } = await setup(sheetFixture('s1'));
    await box.add('m1', change('s1', 'A1', null, 0));
    fake.dead = true;
    const r = await send();
    expect(r.dead).toBe(true);
    expect(await box.pending('m1')).toHaveLength(1);
  });

  it('drops a refused change (a signed sheet) with its message, and goes on with the next', async () => {
    const signed = { ...sheetFixture('s1'), status: 'signed' as const };
    const { fake, box, send } = await setup(signed, sheetFixture('s2'));
    await box.add('m1', change('s1', 'A1', null, 0));
    await box.add('m1', change('s2', 'A1', null, 0));
    const r = await send();
    expect(r.refused.map((e) => e.code)).toEqual(['sheet.signed']);
    expect(r.sent).toBe(1);
    expect(fake.sheets.get('s2')?.answers).toEqual({ A1: 0 });
  });
});

describe('what a sheet shows', () => {
  it('lays the waiting changes over the hub’s answers, in order', () => {
    const s = sheetFixture('s1', { A1: 0, A2: 1 });
    const shown = shownAnswers(s, [change('s1', 'A1', 0, 2), change('s1', 'A2', 1, null), change('s2', 'A3', null, 1)]);
    expect(shown).toEqual({ A1: 2 });
  });
});
