import { describe, expect, it } from 'vitest';
import type { BoardMember } from './bindings/BoardMember';
import type { RoomBoard } from './bindings/RoomBoard';
import type { RoomInfo } from './bindings/RoomInfo';
import type { RoomMemberLink } from './bindings/RoomMemberLink';
import { fingerprintGroups, infoStale, parseLocal, parsePort, secondsSince, waitingLinks, withLink } from './room';

const link = (member: string, code = 'ABCD-EFGH'): RoomMemberLink => ({
  member,
  name: member,
  role: 'member',
  url: `https://10.0.0.2:8443/member.html#pair=${member}`,
  code,
  qr_svg: '<svg></svg>',
});

const row = (id: string, link_waiting: boolean): BoardMember => ({
  member: { id, name: id, role: 'member' },
  pairing: null,
  link_waiting,
  cells: [],
});

const round = { id: 'r1', name: 'Đợt 1', status: 'scoring' as const };
const info = (members: RoomMemberLink[]): RoomInfo => ({ format: 1, room_id: 'room', round, url: 'https://10.0.0.2:8443/', fingerprint: 'ab', members });
const board = (members: BoardMember[]): RoomBoard => ({
  format: 1,
  room_id: 'room',
  round,
  url: 'https://10.0.0.2:8443/',
  fingerprint: 'ab',
  open: true,
  products: [],
  members,
  wrong_codes: 0,
  codes_locked: false,
});

describe('room helpers', () => {
  it('groups the fingerprint by four characters, as the hub does', () => {
    const fp = '3f9a0c6e1b7d42a8e5c09d1f6b2a7e4c8d0f3a9b5e1c7d2f4a6b8c0e2d4f6a8b';
    const groups = fingerprintGroups(fp);
    expect(groups).toHaveLength(16);
    expect(groups.slice(0, 3)).toEqual(['3f9a', '0c6e', '1b7d']);
    expect(groups.join('')).toBe(fp);
    expect(fingerprintGroups('abcdef')).toEqual(['abcd', 'ef']);
  });

  it("reads the hub's local times and counts the seconds since", () => {
    const at = parseLocal('2026-12-02T09:15:30');
    expect(at).toEqual(new Date(2026, 11, 2, 9, 15, 30));
    expect(parseLocal('2026-02-30T09:15:30')).toBeNull();
    expect(parseLocal('2026-12-02 09:15:30')).toBeNull();
    expect(parseLocal('')).toBeNull();
    const now = new Date(2026, 11, 2, 9, 16, 12, 900);
    expect(secondsSince('2026-12-02T09:15:30', now)).toBe(42);
    // A device clock a little ahead of ours never shows a negative age.
    expect(secondsSince('2026-12-02T09:16:20', now)).toBe(0);
    expect(secondsSince('hôm qua', now)).toBeNull();
  });

  it("shows only the links whose member still waits by the board, in the board's order", () => {
    const i = info([link('a'), link('b'), link('c')]);
    expect(waitingLinks(i, null).map((l) => l.member)).toEqual(['a', 'b', 'c']);
    const b = board([row('c', true), row('a', false), row('b', true)]);
    expect(waitingLinks(i, b).map((l) => l.member)).toEqual(['c', 'b']);
    expect(infoStale(i, b)).toBe(false);
    expect(infoStale(info([link('b')]), b)).toBe(true);
  });

  it('puts a reissued link in place of the old one, or adds it', () => {
    const i = info([link('a', 'AAAA-AAAA'), link('b', 'BBBB-BBBB')]);
    expect(withLink(i, link('a', 'CCCC-CCCC')).members.map((l) => l.code)).toEqual(['CCCC-CCCC', 'BBBB-BBBB']);
    expect(withLink(i, link('c', 'DDDD-DDDD')).members.map((l) => l.member)).toEqual(['a', 'b', 'c']);
    expect(i.members[0].code).toBe('AAAA-AAAA');
  });

  it('reads the port field', () => {
    expect(parsePort('')).toBeNull();
    expect(parsePort(' 8443 ')).toBe(8443);
    expect(parsePort('65535')).toBe(65535);
    expect(parsePort('0')).toBeUndefined();
    expect(parsePort('65536')).toBeUndefined();
    expect(parsePort('84a3')).toBeUndefined();
    expect(parsePort('-1')).toBeUndefined();
  });
});
