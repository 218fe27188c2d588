import { cleanup, render, screen } from '@testing-library/svelte';
import { createRawSnippet } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import ListPanel from './ListPanel.svelte';

const html = (markup: string) => createRawSnippet(() => ({ render: () => markup }));

afterEach(() => cleanup());

describe('list-plus-panel layout', () => {
  it('puts the heading and tools in the toolbar, the list and the panel side by side', () => {
    render(ListPanel, {
      id: 'members',
      heading: 'Thành viên',
      tools: html('<input id="person-search" type="search" />'),
      main: html('<table id="persons-table"></table>'),
      panel: html('<form id="person-form" class="card"></form>'),
      panelWidth: 360,
    });
    const root = document.getElementById('members')!;
    expect(screen.getByRole('heading', { level: 1, name: 'Thành viên' })).toBeInTheDocument();
    expect(root.querySelector('.toolbar #person-search')).not.toBeNull();
    expect(root.querySelector('.main #persons-table')).not.toBeNull();
    expect(root.querySelector('aside.side #person-form')).not.toBeNull();
    expect(root.querySelector('.panes')).toHaveClass('with-panel');
    expect(root.style.getPropertyValue('--panel-width')).toBe('360px');
  });

  it('gives the whole width to the content when there is no panel', () => {
    render(ListPanel, { id: 'verify', heading: 'Kiểm tra giấy chứng nhận', main: html('<form id="verify-form"></form>') });
    const root = document.getElementById('verify')!;
    expect(root.querySelector('.main #verify-form')).not.toBeNull();
    expect(root.querySelector('aside')).toBeNull();
    expect(root.querySelector('.panes')).not.toHaveClass('with-panel');
  });
});
