/**
 * The council room screen's pure parts: the fingerprint as shown, a device's last contact, which
 * members still wait for a device, and the port field.
 */
import type { RoomBoard } from './bindings/RoomBoard';
import type { RoomInfo } from './bindings/RoomInfo';
import type { RoomMemberLink } from './bindings/RoomMemberLink';

/** The port a room listens on unless the secretary chooses another (the shell's default too). */
export const DEFAULT_PORT = 8443;

/** How often the screen asks for the live board. */
export const BOARD_POLL_MS = 2000;

/** The certificate's fingerprint in groups of four characters, as the hub and the member's page show it. */
export function fingerprintGroups(fp: string): string[] {
  const groups: string[] = [];
  for (let i = 0; i < fp.length; i += 4) groups.push(fp.slice(i, i + 4));
  return groups;
}

/** A local time as the hub records it (`YYYY-MM-DDTHH:MM:SS`), or null when it is not one. */
export function parseLocal(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const date = new Date(y, mo - 1, d, h, mi, s);
  return date.getMonth() === mo - 1 && date.getDate() === d ? date : null;
}

/** Whole seconds from `value` (local time) to `now`, never negative; null for an unreadable value. */
export function secondsSince(value: string, now: Date): number | null {
  const at = parseLocal(value);
  if (!at) return null;
  return Math.max(0, Math.floor((now.getTime() - at.getTime()) / 1000));
}

/**
 * The links to show as cards, in the board's order of members: the room's links whose member still
 * waits for a device by the board (a member who has just paired drops out before the next `room_info`).
 */
export function waitingLinks(info: RoomInfo, board: RoomBoard | null): RoomMemberLink[] {
  if (!board) return info.members;
  const links = new Map(info.members.map((l) => [l.member, l]));
  return board.members.filter((m) => m.link_waiting).flatMap((m) => links.get(m.member.id) ?? []);
}

/** Whether the board names a waiting link the screen does not have (issued elsewhere): ask `room_info` again. */
export function infoStale(info: RoomInfo, board: RoomBoard): boolean {
  const known = new Set(info.members.map((l) => l.member));
  return board.members.some((m) => m.link_waiting && !known.has(m.member.id));
}

/** The room's links with `link` in place of the member's previous one (a reissued code). */
export function withLink(info: RoomInfo, link: RoomMemberLink): RoomInfo {
  const known = info.members.some((l) => l.member === link.member);
  const members = known ? info.members.map((l) => (l.member === link.member ? link : l)) : [...info.members, link];
  return { ...info, members };
}

/** The typed port: null for the default (empty field), a number 1–65535, or undefined when invalid. */
export function parsePort(text: string): number | null | undefined {
  const s = text.trim();
  if (s === '') return null;
  if (!/^\d{1,5}$/.test(s)) return undefined;
  const n = Number(s);
  return n >= 1 && n <= 65535 ? n : undefined;
}
