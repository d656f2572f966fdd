/** How each agent state is drawn: colour family, icon and word (UI.md "Colour = state"). */
import type { AgentStateKind } from './generated';
import type { MessageKey } from './i18n.svelte';

/** Colour families shared by the pill, the tray and the team view. */
export type StateTone = 'ready' | 'not-ready' | 'ringing' | 'talking' | 'hold' | 'wrap-up' | 'offline';

/** Icon shapes, one per tray icon. */
export type StateIconName =
  | 'filled-circle'
  | 'circle-bar'
  | 'bell'
  | 'handset'
  | 'handset-hold'
  | 'pen'
  | 'hollow-circle';

export interface StateLook {
  tone: StateTone;
  icon: StateIconName;
  word: MessageKey;
}

const LOOKS: Record<AgentStateKind, StateLook> = {
  ready: { tone: 'ready', icon: 'filled-circle', word: 'state.ready' },
  notReady: { tone: 'not-ready', icon: 'circle-bar', word: 'state.notReady' },
  reserved: { tone: 'ringing', icon: 'bell', word: 'state.reserved' },
  talking: { tone: 'talking', icon: 'handset', word: 'state.talking' },
  hold: { tone: 'hold', icon: 'handset-hold', word: 'state.hold' },
  work: { tone: 'wrap-up', icon: 'pen', word: 'state.work' },
  workReady: { tone: 'wrap-up', icon: 'pen', word: 'state.workReady' },
  loggedOut: { tone: 'offline', icon: 'hollow-circle', word: 'state.loggedOut' },
  unknown: { tone: 'offline', icon: 'hollow-circle', word: 'state.unknown' },
};

export function stateLook(state: AgentStateKind): StateLook {
  return LOOKS[state];
}
