/** How the Team tab draws groups, actions, sort columns and errors (words come from locales). */
import type { StateIconName, StateTone } from '$lib/agentState';
import { describeError } from '$lib/errors';
import type {
  TeamAction,
  TeamCounts,
  TeamSortColumn,
  TeamStateGroup,
  UiError,
} from '$lib/generated';
import { isMessageKey, t, type MessageKey } from '$lib/i18n.svelte';

export interface GroupLook {
  tone: StateTone;
  icon: StateIconName;
  word: MessageKey;
  count: keyof TeamCounts;
}

const GROUPS: Record<TeamStateGroup, GroupLook> = {
  ready: { tone: 'ready', icon: 'filled-circle', word: 'team.group.ready', count: 'ready' },
  notReady: { tone: 'not-ready', icon: 'circle-bar', word: 'team.group.notReady', count: 'notReady' },
  talking: { tone: 'talking', icon: 'handset', word: 'team.group.talking', count: 'talking' },
  reserved: { tone: 'ringing', icon: 'bell', word: 'team.group.reserved', count: 'reserved' },
  wrapUp: { tone: 'wrap-up', icon: 'pen', word: 'team.group.wrapUp', count: 'wrapUp' },
  loggedOut: { tone: 'offline', icon: 'hollow-circle', word: 'team.group.loggedOut', count: 'loggedOut' },
  unknown: { tone: 'offline', icon: 'hollow-circle', word: 'team.group.unknown', count: 'unknown' },
};

/** The groups in the order the counts show them. */
export const GROUP_ORDER: TeamStateGroup[] = [
  'ready',
  'notReady',
  'talking',
  'reserved',
  'wrapUp',
  'loggedOut',
  'unknown',
];

export function groupLook(group: TeamStateGroup): GroupLook {
  return GROUPS[group];
}

const ACTION_WORDS: Record<TeamAction, MessageKey> = {
  makeReady: 'team.action.makeReady',
  makeNotReady: 'team.action.makeNotReady',
  signOut: 'team.action.signOut',
  silentMonitor: 'team.action.silentMonitor',
  bargeIn: 'team.action.bargeIn',
  dropParticipant: 'team.action.dropParticipant',
  endMonitoring: 'team.action.endMonitoring',
};

export function actionWord(action: TeamAction): string {
  return t(ACTION_WORDS[action]);
}

const SORT_WORDS: Record<TeamSortColumn, MessageKey> = {
  name: 'team.sort.name',
  id: 'team.sort.id',
  extension: 'team.sort.extension',
  state: 'team.sort.state',
  reason: 'team.sort.reason',
  timeInState: 'team.sort.timeInState',
  pendingState: 'team.sort.pendingState',
  call: 'team.sort.call',
};

export const SORT_COLUMNS = Object.keys(SORT_WORDS) as TeamSortColumn[];

export function sortWord(column: TeamSortColumn): string {
  return t(SORT_WORDS[column]);
}

/** Words for a Team error: the Team's own text for its code, else the app-wide wording. */
export function describeTeamError(error: UiError): string {
  const key = `team.error.${error.code}`;
  return isMessageKey(key) ? t(key) : describeError(error);
}
