/**
 * Stand-in for `$lib/teamBackend`, typed against the real module so a contract change breaks
 * the tests at compile time. Use with
 * `vi.mock('$lib/teamBackend', () => import('./teamBackendMock'))`; `emitTeam` delivers a diff
 * the way the shell's `team` event would.
 */
import { vi } from 'vitest';
import type * as TeamBackend from '$lib/teamBackend';
import type { TeamDiff } from '$lib/generated';

export const TEAM_EVENTS = { team: 'team' } as const;

let listener: ((diff: TeamDiff) => void) | null = null;

const done = () => Promise.resolve();

export const getTeam = vi.fn<typeof TeamBackend.getTeam>(() => new Promise(() => {}));
export const chooseTeam = vi.fn<typeof TeamBackend.chooseTeam>(done);
export const setTeamView = vi.fn<typeof TeamBackend.setTeamView>(done);
export const teamAction = vi.fn<typeof TeamBackend.teamAction>(done);
export const dismissTeamError = vi.fn<typeof TeamBackend.dismissTeamError>(done);
export const onTeam = vi.fn<typeof TeamBackend.onTeam>((handler) => {
  listener = handler;
  return Promise.resolve(() => {
    listener = null;
  });
});

/** Delivers a diff to the mounted Team view, as the shell's event would. */
export function emitTeam(diff: TeamDiff): void {
  if (!listener) throw new Error('no Team view is listening');
  listener(diff);
}
