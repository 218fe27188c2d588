/// <reference types="node" />
// The test reads the fixture the Rust tests write and check (it runs under Node).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalJson, memberBundle, type MemberChange } from './bundle';

const fixture = new Uint8Array(readFileSync(`${import.meta.dirname}/fixtures/member-answers.zip`));

// The inputs of the Rust test `the_member_page_fixture_is_what_this_writer_makes`.
const changes: MemberChange[] = [
  {
    id: '6f1c1d52-7a3e-4d0b-9a59-2f0d7d6c1a01',
    pairing_id: '0b4f3f1e-2a8c-4c11-8f0e-5d9a7c3b2e10',
    sheet_id: 'a3d1c2b4-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    kind: 'answer',
    criterion: 'A1.1',
    replaces: null,
    option: 2,
    text: null,
    at: '2026-12-03T09:15:00+07:00',
  },
  {
    id: '6f1c1d52-7a3e-4d0b-9a59-2f0d7d6c1a02',
    pairing_id: '0b4f3f1e-2a8c-4c11-8f0e-5d9a7c3b2e10',
    sheet_id: 'a3d1c2b4-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    kind: 'comment',
    criterion: null,
    replaces: null,
    option: null,
    text: 'Bao bì đẹp, cần bổ sung "nhãn" phụ.\nHết.',
    at: '2026-12-03T09:16:00+07:00',
  },
];
const file = {
  signingKey: '2a'.repeat(32),
  member: 'Trần Thị Ánh',
  bundleUuid: '9a0e6c1b-3f2d-4e5a-8b7c-1d2e3f4a5b6c',
  created: '2026-12-03T02:16:00Z',
  changes,
};

describe('the member answers file', () => {
  it('is byte for byte what the Rust writer makes (the shared fixture)', () => {
    const bytes = memberBundle(file);
    expect(bytes.length).toBe(fixture.length);
    const firstDiff = bytes.findIndex((b, i) => b !== fixture[i]);
    expect(firstDiff).toBe(-1);
  });

  it('changes with any input, so the fixture comparison can fail', () => {
    const other = memberBundle({ ...file, changes: [{ ...changes[0], option: 1 }, changes[1]] });
    expect(other).not.toEqual(fixture);
    const otherKey = memberBundle({ ...file, signingKey: '2b'.repeat(32) });
    expect(otherKey).not.toEqual(fixture);
  });

  it('writes JSON as serde_json does: sorted keys, no spaces, the same escapes', () => {
    expect(canonicalJson({ b: 1, a: [null, 'x"\n\u0001é'], c: { z: true, y: 0 } })).toBe(
      '{"a":[null,"x\\"\\n\\u0001é"],"b":1,"c":{"y":0,"z":true}}',
    );
  });
});
