/**
 * Team view under load, in a real browser: 2,000 agents, 500 state changes per second
 * arriving as the core sends them (one diff per 250 ms, ~125 rows, a new order each time —
 * sorted by time in state, the worst case), through Tauri's IPC/event mock with a JSON round
 * trip like the real bridge. Prints `figure:` lines to the console; `run-team-bench.mjs`
 * drives it in headless Chromium.
 */
import { mount, tick } from 'svelte';
import { emit } from '@tauri-apps/api/event';
import { mockIPC } from '@tauri-apps/api/mocks';
import type { AgentStateKind, TeamDiff, TeamRow } from '../src/lib/generated';
import TeamView from '../src/lib/components/team/TeamView.svelte';
import { bigTeam, countsOf, fullView, teamDiff } from '../src/lib/components/team/teamFixtures';
import '../src/styles/app.css';

const AGENTS = 2_000;
const CHANGES_PER_SECOND = 500;
const INTERVAL_MS = 250;
const PHASE_MS = 8_000;
const PER_DIFF = (CHANGES_PER_SECOND * INTERVAL_MS) / 1_000;
const STATES: AgentStateKind[] = ['ready', 'notReady', 'talking', 'hold', 'reserved', 'work'];
const GROUPS = { ready: 'ready', notReady: 'notReady', talking: 'talking', hold: 'talking', reserved: 'reserved', work: 'wrapUp' } as const;

let seed = 0x5eed;
function random(n: number): number {
  seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
  return seed % n;
}

const rows = new Map<string, TeamRow>(bigTeam(AGENTS, Date.now()).map((row) => [row.id, row]));
let order = [...rows.keys()].sort((a, b) => (rows.get(b)!.stateSince ?? 0) - (rows.get(a)!.stateSince ?? 0));
let seq = 1;

mockIPC(
  (cmd) => {
    if (cmd === 'get_team') {
      const view = fullView(order.map((id) => rows.get(id)!), seq);
      view.view = { ...view.view!, sort: { column: 'timeInState', direction: 'ascending' } };
      return view;
    }
    return null;
  },
  { shouldMockEvents: true },
);

/** What the core would send after 250 ms of changes: the changed rows and the new order. */
function nextDiff(): TeamDiff {
  const now = Date.now();
  const changed = new Map<string, TeamRow>();
  for (let k = 0; k < PER_DIFF; k += 1) {
    const id = String(2_000_000 + random(AGENTS));
    const old = rows.get(id)!;
    const state = STATES[random(STATES.length)];
    const inCall = state === 'talking' || state === 'hold';
    const row: TeamRow = {
      ...old,
      state,
      group: GROUPS[state as keyof typeof GROUPS],
      stateSince: now - (PER_DIFF - k) * 2,
      reason: state === 'notReady' ? 'Lunch' : null,
      call: inCall ? { direction: null, caller: null, started: now, onHold: state === 'hold' } : null,
    };
    rows.set(id, row);
    changed.set(id, row);
  }
  // Time in state, ascending: the agents who just changed go to the top.
  const fresh = [...changed.keys()].sort((a, b) => (rows.get(b)!.stateSince ?? 0) - (rows.get(a)!.stateSince ?? 0));
  order = [...fresh, ...order.filter((id) => !changed.has(id))];
  seq += 1;
  return teamDiff(seq, {
    rows: [...changed.values()],
    order,
    counts: countsOf([...rows.values()]),
  });
}

interface Phase {
  frames: number[];
  lags: number[];
  /** Main-thread time per diff: JSON parse, event dispatch, model update, Svelte's DOM update. */
  costs: number[];
  started: number;
}

function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

/** Runs one phase: diffs every 250 ms, frames counted, optionally scrolling all the time. */
function runPhase(scrolling: boolean): Promise<Phase> {
  const phase: Phase = { frames: [], lags: [], costs: [], started: performance.now() };
  const body = document.querySelector<HTMLElement>('[data-testid="team-grid-body"]')!;
  return new Promise((resolve) => {
    let last = performance.now();
    let waiting: { top: string; sent: number } | null = null;
    const timer = setInterval(() => {
      const diff = nextDiff();
      const wire = JSON.stringify(diff);
      const sent = performance.now();
      waiting = { top: diff.order![0], sent };
      void emit('team', JSON.parse(wire))
        .then(() => tick())
        .then(() => phase.costs.push(performance.now() - sent));
    }, INTERVAL_MS);
    const frame = (at: number) => {
      phase.frames.push(at - last);
      last = at;
      if (waiting && !scrolling) {
        const first = body.querySelector<HTMLElement>('[data-testid="team-row"][aria-rowindex="2"]');
        if (first?.dataset.agentId === waiting.top) {
          phase.lags.push(at - waiting.sent);
          waiting = null;
        }
      }
      if (scrolling) body.scrollTop = (body.scrollTop + 37) % (body.scrollHeight - body.clientHeight);
      if (at - phase.started < PHASE_MS) requestAnimationFrame(frame);
      else {
        clearInterval(timer);
        resolve(phase);
      }
    };
    requestAnimationFrame(frame);
  });
}

function report(label: string, phase: Phase): void {
  const seconds = (performance.now() - phase.started) / 1_000;
  const fps = phase.frames.length / seconds;
  console.log(
    `figure: team view ${label}: ${fps.toFixed(1)} frames/s, frame time p50 ${percentile(phase.frames, 50).toFixed(1)} ms, p99 ${percentile(phase.frames, 99).toFixed(1)} ms, max ${Math.max(...phase.frames).toFixed(1)} ms, rows in DOM ${document.querySelectorAll('[data-testid="team-row"]').length}`,
  );
  console.log(
    `figure: team view ${label}: main-thread work per diff p50 ${percentile(phase.costs, 50).toFixed(2)} ms, p95 ${percentile(phase.costs, 95).toFixed(2)} ms (${PER_DIFF} rows + a new order of ${AGENTS})`,
  );
  if (phase.lags.length) {
    console.log(
      `figure: team view ${label}: diff arrival to painted row p50 ${percentile(phase.lags, 50).toFixed(1)} ms, p95 ${percentile(phase.lags, 95).toFixed(1)} ms, max ${Math.max(...phase.lags).toFixed(1)} ms (${phase.lags.length} diffs); event to row adds the core's batching, 0–${INTERVAL_MS} ms`,
    );
  }
}

async function main(): Promise<void> {
  mount(TeamView, { target: document.getElementById('app')! });
  const started = performance.now();
  while (!document.querySelector('[data-testid="team-grid-body"]')) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  console.log(`figure: team view first draw of ${AGENTS} agents: ${(performance.now() - started).toFixed(0)} ms`);
  report(`${AGENTS} agents, ${CHANGES_PER_SECOND} changes/s`, await runPhase(false));
  report(`${AGENTS} agents, ${CHANGES_PER_SECOND} changes/s while scrolling`, await runPhase(true));
  console.log('bench: done');
}

void main();
