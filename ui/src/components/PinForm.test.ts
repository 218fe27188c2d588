import { cleanup, render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setPin } from '../lib/api';
import type { Person } from '../lib/bindings/Person';
import { lang } from '../lib/i18n';
import { isPinFormat, newPinProblem } from '../lib/pin';
import PinForm from './PinForm.svelte';

vi.mock('../lib/api', () => ({ setPin: vi.fn() }));

const person: Person = { id: 'p1', full_name: 'Trần Thị Thu Hà', title: '', unit: '', has_pin: false };

function input(name: string): HTMLInputElement {
  return document.querySelector<HTMLInputElement>(`#pin-form [name="${name}"]`)!;
}

async function submit(): Promise<void> {
  await userEvent.click(document.querySelector<HTMLButtonElement>('#pin-form button[type="submit"]')!);
}

beforeEach(() => {
  lang.set('vi');
  vi.mocked(setPin).mockResolvedValue();
});

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe('PIN rules', () => {
  it('accepts 4 to 8 digits only', () => {
    expect(['1234', '12345678'].map(isPinFormat)).toEqual([true, true]);
    expect(['123', '123456789', '12a4', ' 1234', ''].map(isPinFormat)).toEqual([false, false, false, false, false]);
    expect(newPinProblem('', '')).toBe('pin.required');
    expect(newPinProblem('12', '12')).toBe('pin.format');
    expect(newPinProblem('1234', '4321')).toBe('pin.mismatch');
    expect(newPinProblem('1234', '1234')).toBeNull();
  });
});

describe('PIN form', () => {
  it('catches a bad format and a mismatch before asking the backend', async () => {
    const onsaved = vi.fn();
    render(PinForm, { person, onsaved });
    expect(screen.getByText('Đặt mã PIN cho Trần Thị Thu Hà')).toBeInTheDocument();
    expect(input('current')).toBeNull();

    await submit();
    expect(screen.getByRole('alert')).toHaveTextContent('Chưa nhập mã PIN mới.');
    await userEvent.type(input('pin'), '12');
    await userEvent.type(input('pin2'), '12');
    await submit();
    expect(screen.getByRole('alert')).toHaveTextContent('Mã PIN phải gồm 4 đến 8 chữ số.');
    await userEvent.clear(input('pin'));
    await userEvent.clear(input('pin2'));
    await userEvent.type(input('pin'), '2580');
    await userEvent.type(input('pin2'), '2581');
    await submit();
    expect(screen.getByRole('alert')).toHaveTextContent('Hai lần nhập mã PIN mới không khớp nhau.');
    expect(setPin).not.toHaveBeenCalled();

    await userEvent.clear(input('pin2'));
    await userEvent.type(input('pin2'), '2580');
    await submit();
    expect(setPin).toHaveBeenCalledWith('p1', null, '2580');
    expect(await screen.findByRole('status')).toHaveTextContent('Đã lưu mã PIN.');
    expect(onsaved).toHaveBeenCalledWith('2580');
    expect(input('pin').value).toBe('');
  });

  it('asks for the current PIN to change one, and shows the backend refusal', async () => {
    render(PinForm, { person: { ...person, has_pin: true } });
    expect(screen.getByText('Đổi mã PIN của Trần Thị Thu Hà')).toBeInTheDocument();
    await userEvent.type(input('pin'), '2580');
    await userEvent.type(input('pin2'), '2580');
    await submit();
    expect(screen.getByRole('alert')).toHaveTextContent('Cần nhập mã PIN hiện tại để đổi.');

    vi.mocked(setPin).mockRejectedValueOnce(Object.assign(new Error('Mã PIN không đúng (còn 4 lần thử)'), { kind: 'backend' }));
    await userEvent.type(input('current'), '1111');
    await submit();
    expect(setPin).toHaveBeenCalledWith('p1', '1111', '2580');
    expect(await screen.findByRole('alert')).toHaveTextContent('Mã PIN không đúng (còn 4 lần thử)');
  });
});
