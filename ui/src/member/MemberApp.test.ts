import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { teaSheet } from '../test/fixtures';
import { sheetLeaves } from '../lib/score-entry';
import { FakeHub, sheetFixture } from './fake-hub';
import { Hub } from './hub';
import MemberApp from './MemberApp.svelte';
import { Outbox } from './outbox';
import { MemberSession } from './session.svelte';

let session: MemberSession;
let fake: FakeHub;

beforeEach(async () => {
  fake = new FakeHub(sheetFixture('s1'));
  fake.set = teaSheet;
  fake.leaves = sheetLeaves(teaSheet).length;
  session = new MemberSession(await Outbox.open('page', new IDBFactory()), new Hub({ fetch: fake.fetch }));
  history.replaceState(null, '', `/member.html#pair=tok&fp=${fake.fingerprint}`);
});

afterEach(() => session.stop());

const q = (css: string) => document.querySelector<HTMLElement>(css);

describe('the member page', () => {
  it('pairs from the personal link, scores through a Wi-Fi drop, exports, sends and signs', async () => {
    render(MemberApp, { session });
    // The fingerprint from the hub, in groups, before anything is sent.
    await waitFor(() => expect(q('#m-fingerprint')?.textContent).toContain('ABAB ABAB'));
    await fireEvent.click(await screen.findByRole('button', { name: 'Bắt đầu chấm điểm' }));
    await waitFor(() => expect(q('#product-list')).not.toBeNull());
    expect(location.hash).toBe('');
    expect(fake.tokenUsed).toBe(true);
    const recused = q('#product-list [data-product-id="p-recused"]') as HTMLButtonElement;
    expect(recused.disabled).toBe(true);
    expect(recused.textContent).toContain('Không chấm');

    await fireEvent.click(q('#product-list [data-product-id="p1"]')!);
    await waitFor(() => expect(q('#product-screen[data-sheet-id="s1"]')).not.toBeNull());
    await waitFor(() => expect(q('[id="mc-1.1"]')).not.toBeNull());
    expect(q('#m-totals')?.textContent).toContain('Tổng: 0 điểm');

    // The Wi-Fi drops: the answer is shown and kept, waiting.
    fake.offline = true;
    await fireEvent.click(q('[id="mc-1.1"] [data-index="2"]')!);
    await waitFor(() => expect(q('#waiting-count')?.dataset.count).toBe('1'));
    expect(q('[id="mc-1.1"]')?.dataset.answered).toBe('true');
    expect(q('#m-totals')?.textContent).toContain('Tổng: 3 điểm');
    expect(fake.log).toEqual([]);

    // The fallback file can be exported at any time while changes wait.
    const created: Blob[] = [];
    URL.createObjectURL = vi.fn((b: Blob) => {
      created.push(b);
      return 'blob:x';
    });
    URL.revokeObjectURL = vi.fn();
    await fireEvent.click(q('#m-export')!);
    expect(created).toHaveLength(1);
    const zip = new Uint8Array(await created[0].arrayBuffer());
    expect([...zip.slice(0, 2)]).toEqual([0x50, 0x4b]);
    expect(new TextDecoder().decode(zip)).toContain('member_answers');

    // Back online: sent once, in order.
    fake.offline = false;
    await fireEvent.click(q('#m-retry')!);
    await waitFor(() => expect(q('#waiting-count')?.dataset.count).toBe('0'));
    expect(fake.sheets.get('s1')?.answers).toEqual({ '1.1': 2 });

    // Signing is refused until the sheet is complete.
    const submit = q('#m-sign-form button[type=submit]') as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    for (const leaf of sheetLeaves(teaSheet).slice(1)) {
      await fireEvent.click(q(`[id="mc-${leaf.code}"] [data-index="0"]`)!);
    }
    await waitFor(() => expect(q('#waiting-count')?.dataset.count).toBe('0'));
    await waitFor(() => expect(q('[id^="mc-"][data-answered="false"]')).toBeNull());
    await fireEvent.input(q('#m-pin')!, { target: { value: '0000' } });
    await waitFor(() => expect(submit.disabled).toBe(false));
    await fireEvent.submit(q('#m-sign-form')!);
    await screen.findByText('pin.wrong');
    await fireEvent.input(q('#m-pin')!, { target: { value: '1234' } });
    await fireEvent.submit(q('#m-sign-form')!);
    await waitFor(() => expect(q('#m-signed')).not.toBeNull());
    expect(fake.sheets.get('s1')?.status).toBe('signed');
    expect((q('[id="mc-1.1"] [data-index="0"]') as HTMLButtonElement).disabled).toBe(true);
    // Every change reached the hub exactly once.
    const ids = fake.log.map(([id]) => id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(sheetLeaves(teaSheet).length + 1);
  });

  it('joins with a typed code when there is no link, and says why a code is refused', async () => {
    history.replaceState(null, '', '/');
    render(MemberApp, { session });
    const input = await screen.findByLabelText('Mã vào phòng');
    await fireEvent.input(input, { target: { value: 'abcd-efgh' } });
    await fireEvent.submit(q('#join-form')!);
    await waitFor(() => expect(q('#m-error')).not.toBeNull());
    expect(q('#product-list')).toBeNull();
  });
});
