/**
 * Sending the outbox to the hub: one change at a time, oldest first, each with the request id it
 * was made with, so a change resent after a lost answer is recognised (`room.replayed`) and never
 * applied twice. A change stays in the outbox until the hub has answered for it.
 */
import type { ScoreSheet } from '../lib/bindings/ScoreSheet';
import type { MemberChange } from './bundle';
import { Hub, HubError, OfflineError, sessionDead } from './hub';
import type { Outbox } from './outbox';

export interface FlushResult {
  /** Changes the hub now holds (stored now, or found already stored). */
  sent: number;
  /** Changes refused because the sheet had changed elsewhere (the page shows the hub's sheet). */
  stale: number;
  /** Other refusals (a signed sheet, a closed round…), with their messages. */
  refused: HubError[];
  /** The hub could not be reached: what is left waits for the next try. */
  offline: boolean;
  /** The pairing or the room has ended: what is left can only go in the member's file. */
  dead: boolean;
}

function send(hub: Hub, c: MemberChange): Promise<ScoreSheet> {
  switch (c.kind) {
    case 'answer':
      return hub.answer(c.sheet_id, c.criterion ?? '', { request_id: c.id, replaces: c.replaces, option: c.option });
    case 'elimination':
      return hub.elimination(c.sheet_id, { request_id: c.id, reason: c.text });
    case 'comment':
      return hub.comment(c.sheet_id, { request_id: c.id, comment: c.text ?? '' });
  }
}

let running: Promise<FlushResult> | null = null;

/**
 * Sends `member_id`'s waiting changes in order; `onSheet` receives the hub's sheet after each.
 * Calls made while one runs share its result.
 */
export function flush(hub: Hub, box: Outbox, member_id: string, onSheet: (s: ScoreSheet) => void): Promise<FlushResult> {
  running ??= run(hub, box, member_id, onSheet).finally(() => {
    running = null;
  });
  return running;
}

async function run(hub: Hub, box: Outbox, member_id: string, onSheet: (s: ScoreSheet) => void): Promise<FlushResult> {
  const out: FlushResult = { sent: 0, stale: 0, refused: [], offline: false, dead: false };
  for (;;) {
    // Read the outbox again each time: changes made while sending go out in the same run.
    const [c] = await box.pending(member_id);
    if (!c) return out;
    try {
      onSheet(await send(hub, c));
      await box.remove(c.id);
      out.sent++;
    } catch (e) {
      if (e instanceof OfflineError) {
        out.offline = true;
        return out;
      }
      if (!(e instanceof HubError)) throw e;
      if (sessionDead(e)) {
        out.dead = true;
        return out;
      }
      if (e.status === 429 || e.status === 423) {
        out.offline = true;
        return out;
      }
      await box.remove(c.id);
      if (e.code === 'room.replayed') out.sent++;
      else if (e.code === 'room.stale') out.stale++;
      else out.refused.push(e);
      if (e.sheet) onSheet(e.sheet);
      else {
        try {
          onSheet(await hub.sheet(c.sheet_id));
        } catch {
          /* the next refresh shows it */
        }
      }
    }
  }
}
