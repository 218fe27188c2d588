import { describe, expect, it } from 'vitest';
import { routeFromHash, screenFromHash, screenHref } from './router';

describe('router', () => {
  it('reads the screen and its parameters', () => {
    expect(routeFromHash('#/round/01a2-b3/scoring')).toEqual({ screen: 'round', params: ['01a2-b3', 'scoring'] });
    expect(routeFromHash('#/rounds')).toEqual({ screen: 'rounds', params: [] });
    expect(routeFromHash('')).toEqual({ screen: '', params: [] });
    expect(routeFromHash('#/round/a%20b/')).toEqual({ screen: 'round', params: ['a b'] });
    expect(routeFromHash('#/<x>')).toEqual({ screen: '', params: [] });
    expect(screenFromHash('#/about')).toBe('about');
  });

  it('builds hrefs with encoded parameters', () => {
    expect(screenHref('rounds')).toBe('#/rounds');
    expect(screenHref('round', 'id 1', 'results')).toBe('#/round/id%201/results');
  });
});
