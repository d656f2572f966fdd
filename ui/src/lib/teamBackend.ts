/**
 * The Team tab's door to the Rust side. Command and argument names are the contract in
 * `crates/ringside-core/src/team/mod.rs`; Tauri maps the camelCase argument names here to the
 * snake_case parameters of the commands. Team components call these functions, never `invoke`,
 * so tests mock just this module.
 */
import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type { TeamActionRequest, TeamDiff, TeamViewOptions } from './generated';

/** Event names the shell emits for the Team tab (`ringside_core::team::UI_EVENT`). */
export const TEAM_EVENTS = {
  team: 'team',
} as const;

/** The whole Team view as a reset diff (first load, or after a missed diff). */
export function getTeam(): Promise<TeamDiff> {
  return invoke('get_team');
}

/** Shows another of the supervisor's teams; its rows follow as `team` events. */
export function chooseTeam(teamId: string): Promise<void> {
  return invoke('choose_team', { teamId });
}

/** Sort, filters and the signed-out toggle; the new order follows as a `team` event. */
export function setTeamView(view: TeamViewOptions): Promise<void> {
  return invoke('set_team_view', { view });
}

/**
 * Starts an action on an agent. Resolves once the request is on its way (the row shows it
 * pending until Finesse's event); rejects with a `UiError` when it was refused before sending.
 */
export function teamAction(request: TeamActionRequest): Promise<void> {
  return invoke('team_action', { request });
}

/** Hides the error shown on an agent's row. */
export function dismissTeamError(agentId: string): Promise<void> {
  return invoke('dismiss_team_error', { agentId });
}

/** Calls `handler` with every diff the shell emits; resolves to the function that stops it. */
export function onTeam(handler: (diff: TeamDiff) => void): Promise<UnlistenFn> {
  return listen<TeamDiff>(TEAM_EVENTS.team, (event) => handler(event.payload));
}
