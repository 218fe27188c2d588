/**
 * The member's answers file: the council room's fallback when the Wi-Fi is gone. The page's unsent
 * changes become a `member_answers` exchange bundle (`assets/criteria/BUNDLE.md`) signed with the
 * Ed25519 key the pairing received, which the secretary imports like any bundle.
 *
 * It makes exactly the bytes the Rust writer makes (`exchange::member::write_member_bundle`): the
 * same BagIt files, minisign signature, and a zip of stored entries with fixed headers (the reader
 * rebuilds those headers and compares every byte). `bundle.test.ts` checks that against the
 * fixture the Rust tests check too.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { blake2b } from '@noble/hashes/blake2.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';

const CONTEXT = 'ocop-bundle-v1';
const ROOT = 'ocop-bundle/';
const BAGIT_TEXT = 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n';

/** One change as the file carries it (`room_change` data; `id` is its request id). */
export interface MemberChange {
  id: string;
  pairing_id: string;
  sheet_id: string;
  kind: 'answer' | 'elimination' | 'comment';
  criterion: string | null;
  replaces: number | null;
  option: number | null;
  /** The elimination's reason (null clears it), or the comment. */
  text: string | null;
  /** When the member made it (RFC 3339). */
  at: string;
}

export interface MemberFile {
  /** The pairing's secret key, 64 hex digits. */
  signingKey: string;
  /** The member's name: the bundle's sender. */
  member: string;
  bundleUuid: string;
  /** RFC 3339, UTC, to the second (`2026-12-03T02:16:00Z`). */
  created: string;
  changes: MemberChange[];
}

/** JSON with object keys sorted and no spaces: what serde_json writes for a `Value`. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

const hex = (b: Uint8Array): string => bytesToHex(b);
const sha256Hex = (b: Uint8Array): string => hex(sha256(b));

function base64(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A record line: `{format, id, version, supersedes, data}` in that order. */
function recordLine(c: MemberChange): string {
  const data = {
    at: c.at,
    criterion: c.criterion,
    kind: c.kind,
    option: c.option,
    pairing_id: c.pairing_id,
    replaces: c.replaces,
    sheet_id: c.sheet_id,
    text: c.text,
  };
  const body = canonicalJson(data);
  const version = sha256Hex(utf8ToBytes(body));
  return `{"format":1,"id":${JSON.stringify(c.id)},"version":"${version}","supersedes":null,"data":${body}}\n`;
}

function manifest(files: Map<string, Uint8Array>): string {
  return [...files.keys()]
    .sort()
    .map((name) => `${sha256Hex(files.get(name)!)}  ${name}\n`)
    .join('');
}

let crcTable: Uint32Array | null = null;
function crc32(b: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A zip of stored entries with the fixed headers `BUNDLE.md` describes ("Zip layout"). */
function storedZip(entries: [string, Uint8Array][]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const [name, bytes] of entries) {
    const n = utf8ToBytes(name);
    const crc = crc32(bytes);
    const fixed = (v: DataView, at: number): void => {
      v.setUint16(at, 10, true); // version needed: 1.0
      v.setUint16(at + 2, 0, true); // flags
      v.setUint16(at + 4, 0, true); // stored
      v.setUint16(at + 6, 0, true); // time 00:00:00
      v.setUint16(at + 8, 0x21, true); // date 1980-01-01
      v.setUint32(at + 10, crc, true);
      v.setUint32(at + 14, bytes.length, true);
      v.setUint32(at + 18, bytes.length, true);
      v.setUint16(at + 22, n.length, true);
      v.setUint16(at + 24, 0, true); // no extra field
    };
    const local = new Uint8Array(30);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    fixed(lv, 4);
    parts.push(local, n, bytes);
    const cd = new Uint8Array(46);
    const cv = new DataView(cd.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 0x030a, true); // made by: Unix, 1.0
    fixed(cv, 6);
    // comment length, disk, internal attributes: zero
    cv.setUint32(38, 0x81a40000, true); // regular file, 0644
    cv.setUint32(42, offset, true);
    central.push(cd, n);
    offset += 30 + n.length + bytes.length;
  }
  const cdBytes = concat(...central);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, cdBytes.length, true);
  ev.setUint32(16, offset, true);
  return concat(...parts, cdBytes, end);
}

/** The member's answers file, as bytes. */
export function memberBundle(f: MemberFile): Uint8Array {
  const secret = hexToBytes(f.signingKey);
  const publicKey = ed25519.getPublicKey(secret);
  const digest = sha256(publicKey);
  const fingerprint = hex(digest).slice(0, 16);
  const keyNumber = digest.slice(0, 8).reverse();

  const lines = f.changes.map(recordLine).join('');
  const data = new Map<string, Uint8Array>();
  if (f.changes.length > 0) data.set('data/records/room_change.jsonl', utf8ToBytes(lines));
  const octets = [...data.values()].reduce((n, b) => n + b.length, 0);
  const clean = (s: string): string => s.replace(/[\r\n]/g, ' ');
  const info = [
    ['Bundle-Context', CONTEXT],
    ['Bundle-UUID', f.bundleUuid],
    ['Schema-Version', '1'],
    ['Purpose', 'member_answers'],
    ['Sender-Office', f.member],
    ['Sender-Key-Fingerprint', fingerprint],
    ['Sender-Public-Key', hex(publicKey)],
    ['Created', f.created],
    ['Bagging-Date', f.created.slice(0, 10)],
    ['Payload-Oxum', `${octets}.${data.size}`],
    ...(f.changes.length > 0 ? [['Record-Count-room_change', String(f.changes.length)]] : []),
    ['Attachment-Count', '0'],
  ]
    .map(([k, v]) => `${k}: ${clean(v)}\n`)
    .join('');
  const tags = new Map<string, Uint8Array>([
    ['bagit.txt', utf8ToBytes(BAGIT_TEXT)],
    ['bag-info.txt', utf8ToBytes(info)],
    ['manifest-sha256.txt', utf8ToBytes(manifest(data))],
  ]);
  const tagManifest = utf8ToBytes(manifest(tags));
  const trusted = `${CONTEXT} uuid=${f.bundleUuid} purpose=member_answers schema=1 key=${fingerprint} created=${f.created}`;
  const signature = ed25519.sign(blake2b(tagManifest, { dkLen: 64 }), secret);
  const global = ed25519.sign(concat(signature, utf8ToBytes(trusted)), secret);
  const minisig =
    `untrusted comment: OCOP exchange bundle ${f.bundleUuid} from key ${fingerprint}\n` +
    `${base64(concat(utf8ToBytes('ED'), keyNumber, signature))}\n` +
    `trusted comment: ${trusted}\n${base64(global)}\n`;

  const entries: [string, Uint8Array][] = [];
  for (const name of [...tags.keys()].sort()) entries.push([ROOT + name, tags.get(name)!]);
  entries.push([ROOT + 'tagmanifest-sha256.txt', tagManifest]);
  entries.push([ROOT + 'tagmanifest-sha256.txt.minisig', utf8ToBytes(minisig)]);
  for (const name of [...data.keys()].sort()) entries.push([ROOT + name, data.get(name)!]);
  return storedZip(entries);
}
