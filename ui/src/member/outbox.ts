/**
 * What the member page keeps on the device, in IndexedDB: the pairing (so a reload stays paired)
 * and the outbox, the changes not yet confirmed by the hub, in the order they were made. A change
 * leaves the outbox only when the hub has answered for it (stored, already stored, or refused), so
 * a dropped Wi-Fi, a closed tab or a restarted hub loses nothing.
 */
import type { Pairing } from '../lib/bindings/Pairing';
import type { MemberChange } from './bundle';

const DB = 'ocop-room';
const VERSION = 1;
const OUTBOX = 'outbox';
const STATE = 'state';

/** A change waiting in the outbox, with the member it belongs to. */
export interface Waiting {
  seq?: number;
  member_id: string;
  change: MemberChange;
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

export class Outbox {
  private constructor(private readonly db: IDBDatabase) {}

  /** Opens (or creates) the page's database; `name` only differs in tests. */
  static async open(name = DB, factory: IDBFactory = indexedDB): Promise<Outbox> {
    const req = factory.open(name, VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      const box = db.createObjectStore(OUTBOX, { keyPath: 'seq', autoIncrement: true });
      box.createIndex('by_id', 'change.id', { unique: true });
      db.createObjectStore(STATE);
    };
    return new Outbox(await request(req));
  }

  close(): void {
    this.db.close();
  }

  async pairing(): Promise<Pairing | null> {
    const tx = this.db.transaction(STATE, 'readonly');
    const v = (await request(tx.objectStore(STATE).get('pairing'))) as Pairing | undefined;
    return v ?? null;
  }

  async setPairing(p: Pairing | null): Promise<void> {
    const tx = this.db.transaction(STATE, 'readwrite');
    if (p) tx.objectStore(STATE).put(p, 'pairing');
    else tx.objectStore(STATE).delete('pairing');
    await done(tx);
  }

  /** Keeps a change at the end of the outbox (durably, before the page shows it as made). */
  async add(member_id: string, change: MemberChange): Promise<void> {
    const tx = this.db.transaction(OUTBOX, 'readwrite');
    tx.objectStore(OUTBOX).add({ member_id, change } satisfies Waiting);
    await done(tx);
  }

  /** The waiting changes, oldest first; only `member_id`'s when given. */
  async pending(member_id?: string): Promise<MemberChange[]> {
    const tx = this.db.transaction(OUTBOX, 'readonly');
    const all = (await request(tx.objectStore(OUTBOX).getAll())) as Waiting[];
    return all.filter((w) => member_id === undefined || w.member_id === member_id).map((w) => w.change);
  }

  /** Takes a change out of the outbox, once the hub has answered for it. */
  async remove(id: string): Promise<void> {
    const tx = this.db.transaction(OUTBOX, 'readwrite');
    const store = tx.objectStore(OUTBOX);
    const key = await request(store.index('by_id').getKey(id));
    if (key !== undefined) store.delete(key);
    await done(tx);
  }
}
