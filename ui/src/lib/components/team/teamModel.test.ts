import { describe, expect, it } from 'vitest';
import { fullView, teamDiff, teamRow } from './teamFixtures';
import { TeamModel } from './teamModel.svelte';

const chris = teamRow({ id: '1001001', name: 'Chris Smith' });
const ana = teamRow({ id: '1001002', name: 'Ana Ruiz', state: 'talking' });
const sam = teamRow({ id: '1001003', name: 'Sam Okafor', state: 'notReady', reason: 'Lunch' });

function loaded(): TeamModel {
  const model = new TeamModel();
  expect(model.apply(fullView([ana, chris, sam], 5))).toBe('applied');
  return model;
}

describe('TeamModel', () => {
  it('takes the whole view from a reset diff', () => {
    const model = loaded();
    expect(model.ready).toBe(true);
    expect(model.order).toEqual(['1001002', '1001001', '1001003']);
    expect(model.row('1001003')?.reason).toBe('Lunch');
    expect(model.header.chosen).toBe('2001');
    expect(model.counts.total).toBe(3);
  });

  it('upserts changed rows, drops removed ones and takes a new order', () => {
    const model = loaded();
    const result = model.apply(
      teamDiff(6, {
        rows: [{ ...chris, state: 'talking', group: 'talking' }],
        removed: ['1001003'],
        order: ['1001002', '1001001'],
      }),
    );
    expect(result).toBe('applied');
    expect(model.row('1001001')?.state).toBe('talking');
    expect(model.row('1001003')).toBeUndefined();
    expect(model.size).toBe(2);
    expect(model.order).toEqual(['1001002', '1001001']);
  });

  it('keeps the order when a diff does not carry one', () => {
    const model = loaded();
    model.apply(teamDiff(6, { rows: [{ ...sam, reason: 'Break' }] }));
    expect(model.order).toEqual(['1001002', '1001001', '1001003']);
    expect(model.row('1001003')?.reason).toBe('Break');
  });

  it('ignores a diff older than the view it has', () => {
    const model = loaded();
    expect(model.apply(teamDiff(5, { removed: ['1001001'] }))).toBe('stale');
    expect(model.row('1001001')).toBeDefined();
  });

  it('reports a missed diff instead of applying the next one', () => {
    const model = loaded();
    expect(model.apply(teamDiff(7, { removed: ['1001001'] }))).toBe('gap');
    expect(model.row('1001001')).toBeDefined();
  });

  it('starts over with a reset diff', () => {
    const model = loaded();
    const other = teamRow({ id: '1002001', name: 'Nora Fischer' });
    model.apply(fullView([other], 9));
    expect(model.order).toEqual(['1002001']);
    expect(model.row('1001001')).toBeUndefined();
    expect(model.apply(teamDiff(10))).toBe('applied');
  });

  it('slices the shown order for the visible window', () => {
    const model = loaded();
    expect(model.slice(1, 5).map((item) => [item.index, item.row.id])).toEqual([
      [1, '1001001'],
      [2, '1001003'],
    ]);
  });
});
