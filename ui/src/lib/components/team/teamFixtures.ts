/** Real-shaped Team view values for tests and the browser benchmark. */
import type { AgentStateKind, TeamCounts, TeamDiff, TeamRow, TeamStateGroup } from '$lib/generated';
import { DEFAULT_VIEW, EMPTY_COUNTS } from './teamModel.svelte';

export const TEAM_NOW = Date.UTC(2025, 2, 14, 9, 30, 0);

const GROUP_OF: Record<AgentStateKind, TeamStateGroup> = {
  ready: 'ready',
  notReady: 'notReady',
  talking: 'talking',
  hold: 'talking',
  reserved: 'reserved',
  work: 'wrapUp',
  workReady: 'wrapUp',
  loggedOut: 'loggedOut',
  unknown: 'unknown',
};

export function teamRow(overrides: Partial<TeamRow> = {}): TeamRow {
  const state = overrides.state ?? 'ready';
  return {
    id: '1001001',
    name: 'Chris Smith',
    extension: '1001001',
    state,
    group: GROUP_OF[state],
    reason: null,
    stateSince: TEAM_NOW - 125_000,
    pendingState: null,
    call: null,
    actions: ['makeNotReady', 'signOut'],
    busy: null,
    error: null,
    monitored: false,
    ...overrides,
  };
}

/** Counts that match `rows` (all shown). */
export function countsOf(rows: TeamRow[]): TeamCounts {
  const counts = { ...EMPTY_COUNTS };
  for (const row of rows) counts[row.group] += 1;
  return { ...counts, total: rows.length, shown: rows.length };
}

/** A reset diff: the whole view of First Line Support with `rows` in this order. */
export function fullView(rows: TeamRow[], seq = 1): TeamDiff {
  return {
    seq,
    reset: true,
    header: {
      teams: [
        { id: '2001', name: 'First Line Support' },
        { id: '2002', name: 'Second Line' },
      ],
      chosen: '2001',
      loading: false,
    },
    view: DEFAULT_VIEW,
    rows,
    removed: [],
    order: rows.map((row) => row.id),
    counts: countsOf(rows),
  };
}

/** A follow-up diff. */
export function teamDiff(seq: number, overrides: Partial<TeamDiff> = {}): TeamDiff {
  return {
    seq,
    reset: false,
    header: null,
    view: null,
    rows: [],
    removed: [],
    order: null,
    counts: { ...EMPTY_COUNTS },
    ...overrides,
  };
}

const FIRST = ['Ana', 'Chris', 'Dana', 'Ivo', 'Kim', 'Lee', 'Mia', 'Omar', 'Raj', 'Zoe'];
const LAST = ['Adams', 'Berg', 'Chen', 'Haddad', 'Novak', 'Okafor', 'Park', 'Ruiz', 'Vo'];
const STATES: AgentStateKind[] = ['ready', 'notReady', 'talking', 'hold', 'reserved', 'work'];

/** `count` agents in mixed states, as the core would send them for a big team. */
export function bigTeam(count: number, now = TEAM_NOW): TeamRow[] {
  return Array.from({ length: count }, (_, i) => {
    const state = STATES[i % STATES.length];
    const inCall = state === 'talking' || state === 'hold';
    return teamRow({
      id: String(2_000_000 + i),
      name: `${FIRST[i % FIRST.length]} ${LAST[i % LAST.length]} ${Math.floor(i / 90)}`,
      extension: String(5_000 + i),
      state,
      reason: state === 'notReady' ? 'Lunch' : null,
      stateSince: now - (i % 600) * 1_000,
      call: inCall ? { direction: null, caller: null, started: now - 90_000, onHold: state === 'hold' } : null,
      actions: state === 'talking' ? ['signOut', 'silentMonitor'] : ['signOut'],
    });
  });
}
