import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { saveAnswer } from '../../../lib/api';
import { lang } from '../../../lib/i18n';
import { clearUnsaved, unsavedAnswers } from '../../../lib/unsaved.svelte';
import * as council from '../../../test/council';
import { AnswerSaver } from './answer-saver.svelte';

vi.mock('../../../lib/api', () => ({ saveAnswer: vi.fn() }));

const save = vi.mocked(saveAnswer);

function backendError(message: string): Error & { kind: string } {
  return Object.assign(new Error(message), { kind: 'backend' });
}

beforeEach(() => {
  lang.set('vi');
  clearUnsaved();
  save.mockImplementation(async (id, code, option) => council.makeSheet({ id, answers: option === null ? {} : { [code]: option } }));
});

afterEach(() => {
  vi.clearAllMocks();
});

describe('saving answers', () => {
  it('sends each answer, hands back the saved sheet and marks the row saved', async () => {
    const saved: string[] = [];
    const touched = vi.fn();
    const saver = new AnswerSaver((s) => {
      saved.push(s.id);
      return s.id === 's1';
    }, touched);
    saver.put('s1', '1.1', 2);
    expect(saver.rowState('s1', '1.1')).toBe('saving');
    await vi.waitFor(() => expect(saver.rowState('s1', '1.1')).toBe('saved'));
    expect(save).toHaveBeenCalledWith('s1', '1.1', 2);
    expect(saved).toEqual(['s1']);
    expect(touched).toHaveBeenCalledTimes(1);
    expect(saver.unsavedCount).toBe(0);
    expect(unsavedAnswers).toEqual({});
  });

  it('keeps a failed answer with the reason, and sends it again on the next action', async () => {
    const saver = new AnswerSaver(() => true, () => {});
    save.mockRejectedValueOnce(backendError('Cơ sở dữ liệu đang bận'));
    saver.put('s1', '2.4', 1);
    await vi.waitFor(() => expect(saver.rowState('s1', '2.4')).toBe('error'));
    expect(saver.error).toBe('Cơ sở dữ liệu đang bận');
    expect(saver.unsavedCount).toBe(1);
    expect(unsavedAnswers).toEqual({ s1: { '2.4': 1 } });

    saver.retryIfNeeded();
    await vi.waitFor(() => expect(saver.rowState('s1', '2.4')).toBe('saved'));
    expect(save).toHaveBeenCalledTimes(2);
    expect(saver.error).toBeNull();
    expect(saver.unsavedCount).toBe(0);
  });

  it('does not send again when nothing failed', () => {
    const saver = new AnswerSaver(() => true, () => {});
    saver.retryIfNeeded();
    expect(save).not.toHaveBeenCalled();
  });

  it('sends answers chosen during a save after it, the last choice winning', async () => {
    let release: () => void = () => {};
    save.mockImplementationOnce(
      (id, code, option) =>
        new Promise((resolve) => {
          release = () => resolve(council.makeSheet({ id, answers: { [code]: option ?? 0 } }));
        }),
    );
    const saver = new AnswerSaver(() => true, () => {});
    saver.put('s1', '1.1', 0);
    saver.put('s1', '2.4', 1);
    saver.put('s1', '1.1', 2);
    release();
    await vi.waitFor(() => expect(saver.unsavedCount).toBe(0));
    expect(save.mock.calls.map((c) => [c[1], c[2]])).toEqual([
      ['1.1', 0],
      ['1.1', 2],
      ['2.4', 1],
    ]);
    expect(saver.rowState('s1', '1.1')).toBe('saved');
  });

  it('discards what could not be saved when the user says so', async () => {
    const saver = new AnswerSaver(() => true, () => {});
    save.mockRejectedValue(backendError('đĩa đầy'));
    saver.put('s1', '7', 0);
    await vi.waitFor(() => expect(saver.rowState('s1', '7')).toBe('error'));
    saver.discard();
    expect(saver.unsavedCount).toBe(0);
    expect(saver.rowState('s1', '7')).toBeUndefined();
    expect(saver.error).toBeNull();
  });
});
