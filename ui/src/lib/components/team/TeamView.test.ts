import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import * as teamBackend from '$lib/teamBackend';
import { setLocale } from '$lib/i18n.svelte';
import type { TeamRow } from '$lib/generated';
import { emitTeam } from './teamBackendMock';
import { bigTeam, fullView, TEAM_NOW, teamDiff, teamRow } from './teamFixtures';
import { DEFAULT_VIEW } from './teamModel.svelte';
import TeamView from './TeamView.svelte';

vi.mock('$lib/teamBackend', () => import('./teamBackendMock'));

const chris = teamRow({ id: '1001001', name: 'Chris Smith' });
const ana = teamRow({
  id: '1001002',
  name: 'Ana Ruiz',
  extension: '1001002',
  state: 'talking',
  stateSince: TEAM_NOW - 65_000,
  call: { direction: 'inbound', caller: '+4930123456', started: TEAM_NOW - 95_000, onHold: false },
  actions: ['signOut', 'silentMonitor'],
});
const sam = teamRow({
  id: '1001003',
  name: 'Sam Okafor',
  extension: '1001003',
  state: 'notReady',
  reason: 'Lunch',
  actions: ['makeReady', 'signOut'],
});
const dana = teamRow({ id: '1001005', name: 'Dana Lee', extension: '1001005', state: 'notReady', actions: [] });

/** Renders the tab with this view as the answer to `get_team`. */
async function showTeam(rows: TeamRow[] = [ana, chris, sam, dana]) {
  vi.mocked(teamBackend.getTeam).mockResolvedValue(fullView(rows, 1));
  render(TeamView);
  await screen.findByTestId('team-grid');
}

function rowOf(id: string): HTMLElement {
  const row = screen.getAllByTestId('team-row').find((el) => el.dataset.agentId === id);
  if (!row) throw new Error(`row ${id} is not drawn`);
  return row;
}

describe('TeamView', () => {
  it('draws every agent with name, extension, state, reason, live time and call', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(TEAM_NOW);
    await showTeam();

    const row = rowOf('1001002');
    expect(within(row).getByTestId('team-row-name')).toHaveTextContent('Ana Ruiz');
    expect(within(row).getByTestId('team-row-extension')).toHaveTextContent('Ext. 1001002');
    expect(within(row).getByTestId('team-row-state')).toHaveTextContent('Talking');
    expect(within(row).getByTestId('team-row-state')).toHaveClass('tone-talking');
    expect(within(row).getByTestId('team-row-time')).toHaveTextContent('1:05');
    const call = within(row).getByTestId('team-row-call');
    expect(call).toHaveTextContent('+4930123456');
    expect(call).toHaveTextContent('In');
    expect(call).toHaveTextContent('1:35');
    expect(within(rowOf('1001003')).getByTestId('team-row-reason')).toHaveTextContent('Lunch');

    vi.advanceTimersByTime(3_000);
    await waitFor(() => expect(within(rowOf('1001002')).getByTestId('team-row-time')).toHaveTextContent('1:08'));
  });

  it('shows the counts per state with colour and word', async () => {
    await showTeam();
    const counts = screen.getAllByTestId('team-count');
    const ready = counts.find((c) => c.dataset.group === 'ready')!;
    expect(ready).toHaveClass('tone-ready');
    expect(ready).toHaveTextContent('Ready');
    expect(within(ready).getByTestId('team-count-number')).toHaveTextContent('1');
    const notReady = counts.find((c) => c.dataset.group === 'notReady')!;
    expect(within(notReady).getByTestId('team-count-number')).toHaveTextContent('2');
    expect(screen.getByTestId('team-shown')).toHaveTextContent('4 of 4 agents');
  });

  it('applies diffs: changed rows, removed rows and the new order', async () => {
    await showTeam();
    emitTeam(
      teamDiff(2, {
        rows: [{ ...chris, state: 'talking', group: 'talking', actions: ['signOut', 'silentMonitor'] }],
        removed: ['1001003'],
        order: ['1001001', '1001002', '1001005'],
        counts: { ...fullView([]).counts, talking: 2, notReady: 1, total: 3, shown: 3 },
      }),
    );
    await waitFor(() =>
      expect(within(rowOf('1001001')).getByTestId('team-row-state')).toHaveTextContent('Talking'),
    );
    expect(screen.getAllByTestId('team-row').map((r) => r.dataset.agentId)).not.toContain('1001003');
    const ids = screen.getAllByTestId('team-row').map((r) => Number(r.getAttribute('aria-rowindex')));
    expect(rowOf('1001001').getAttribute('aria-rowindex')).toBe('2');
    expect(ids.sort()).toEqual([2, 3, 4]);
    expect(screen.getByTestId('team-shown')).toHaveTextContent('3 of 3 agents');
  });

  it('asks for the whole view again when a diff was missed', async () => {
    await showTeam();
    expect(teamBackend.getTeam).toHaveBeenCalledTimes(1);
    emitTeam(teamDiff(3, { removed: ['1001001'] }));
    await waitFor(() => expect(teamBackend.getTeam).toHaveBeenCalledTimes(2));
    expect(rowOf('1001001')).toBeInTheDocument();
  });

  it('draws only the visible rows of a 2,000-agent team', async () => {
    await showTeam(bigTeam(2_000));
    const drawn = screen.getAllByTestId('team-row');
    expect(drawn.length).toBeGreaterThan(5);
    expect(drawn.length).toBeLessThanOrEqual(40);
    expect(screen.getByTestId('team-grid')).toHaveAttribute('aria-rowcount', '2001');
    expect(screen.getByTestId('team-shown')).toHaveTextContent('2000 of 2000 agents');

    const body = screen.getByTestId('team-grid-body');
    body.scrollTop = 1_000 * 46;
    await fireEvent.scroll(body);
    const after = screen.getAllByTestId('team-row').map((r) => Number(r.getAttribute('aria-rowindex')) - 2);
    expect(after).toContain(1_000);
    expect(after.length).toBeLessThanOrEqual(40);
    expect(Math.min(...after)).toBeGreaterThan(900);
  });

  it('sorts from a column header and shows the sort with aria-sort', async () => {
    const user = userEvent.setup();
    await showTeam();
    expect(screen.getByTestId('team-header-agent')).toHaveAttribute('aria-sort', 'ascending');
    expect(screen.getByTestId('team-header-state')).toHaveAttribute('aria-sort', 'none');

    await user.click(screen.getByTestId('team-sort-state'));
    expect(teamBackend.setTeamView).toHaveBeenLastCalledWith({
      ...DEFAULT_VIEW,
      sort: { column: 'state', direction: 'ascending' },
    });
    expect(screen.getByTestId('team-header-state')).toHaveAttribute('aria-sort', 'ascending');
    expect(screen.getByTestId('team-header-agent')).toHaveAttribute('aria-sort', 'none');

    await user.click(screen.getByTestId('team-sort-state'));
    expect(teamBackend.setTeamView).toHaveBeenLastCalledWith({
      ...DEFAULT_VIEW,
      sort: { column: 'state', direction: 'descending' },
    });
    expect(screen.getByTestId('team-header-state')).toHaveAttribute('aria-sort', 'descending');
  });

  it('sorts by columns without a header from the toolbar', async () => {
    const user = userEvent.setup();
    await showTeam();
    await user.selectOptions(screen.getByTestId('team-sort'), 'extension');
    expect(teamBackend.setTeamView).toHaveBeenLastCalledWith({
      ...DEFAULT_VIEW,
      sort: { column: 'extension', direction: 'ascending' },
    });
    await user.click(screen.getByTestId('team-sort-direction'));
    expect(teamBackend.setTeamView).toHaveBeenLastCalledWith({
      ...DEFAULT_VIEW,
      sort: { column: 'extension', direction: 'descending' },
    });
  });

  it('filters by text after a short pause in typing', async () => {
    const user = userEvent.setup();
    await showTeam();
    await user.type(screen.getByTestId('team-search'), 'okafor');
    await waitFor(() =>
      expect(teamBackend.setTeamView).toHaveBeenLastCalledWith({ ...DEFAULT_VIEW, text: 'okafor' }),
    );
    expect(teamBackend.setTeamView).toHaveBeenCalledTimes(1);
  });

  it('filters by state from the counts and clears the filter again', async () => {
    const user = userEvent.setup();
    await showTeam();
    const talking = screen.getAllByTestId('team-count').find((c) => c.dataset.group === 'talking')!;
    await user.click(talking);
    expect(teamBackend.setTeamView).toHaveBeenLastCalledWith({ ...DEFAULT_VIEW, states: ['talking'] });
    expect(talking).toHaveAttribute('aria-pressed', 'true');
    await user.click(screen.getByTestId('team-clear-filters'));
    expect(teamBackend.setTeamView).toHaveBeenLastCalledWith(DEFAULT_VIEW);
  });

  it('choosing signed-out agents in the counts also shows them', async () => {
    const user = userEvent.setup();
    await showTeam();
    const loggedOut = screen.getAllByTestId('team-count').find((c) => c.dataset.group === 'loggedOut')!;
    await user.click(loggedOut);
    expect(teamBackend.setTeamView).toHaveBeenLastCalledWith({
      ...DEFAULT_VIEW,
      states: ['loggedOut'],
      includeLoggedOut: true,
    });
  });

  it('includes or hides signed-out agents with the toggle', async () => {
    const user = userEvent.setup();
    await showTeam();
    await user.click(screen.getByTestId('team-include-logged-out'));
    expect(teamBackend.setTeamView).toHaveBeenLastCalledWith({ ...DEFAULT_VIEW, includeLoggedOut: true });
  });

  it('switches between the supervisor teams', async () => {
    const user = userEvent.setup();
    await showTeam();
    await user.selectOptions(screen.getByTestId('team-switcher'), '2002');
    expect(teamBackend.chooseTeam).toHaveBeenCalledWith('2002');
  });

  it('offers only the actions the row allows and sends the chosen one', async () => {
    const user = userEvent.setup();
    await showTeam();
    await user.click(within(rowOf('1001002')).getByTestId('team-row-actions'));
    const menu = screen.getByTestId('team-action-menu');
    const offered = within(menu).getAllByTestId('team-action').map((b) => b.dataset.action);
    expect(offered).toEqual(['signOut', 'silentMonitor']);
    expect(within(menu).getByText('Listen in silently')).toBeInTheDocument();
    await user.click(within(menu).getByText('Listen in silently'));
    expect(teamBackend.teamAction).toHaveBeenCalledWith({ agentId: '1001002', action: 'silentMonitor' });
    expect(screen.queryByTestId('team-action-menu')).not.toBeInTheDocument();
  });

  it('has no actions button where nothing is allowed', async () => {
    await showTeam();
    expect(within(rowOf('1001005')).queryByTestId('team-row-actions')).not.toBeInTheDocument();
  });

  it('shows a spinner while the action is pending and the error when it fails', async () => {
    const user = userEvent.setup();
    await showTeam();
    emitTeam(teamDiff(2, { rows: [{ ...sam, busy: 'makeReady' }], counts: fullView([ana, chris, sam, dana]).counts }));
    const busy = await within(rowOf('1001003')).findByTestId('team-row-busy');
    expect(busy).toHaveAttribute('data-action', 'makeReady');
    expect(within(busy).getByTestId('spinner')).toHaveAccessibleName('Working: Make Ready');
    expect(within(rowOf('1001003')).queryByTestId('team-row-actions')).not.toBeInTheDocument();

    emitTeam(
      teamDiff(3, {
        rows: [{ ...sam, error: { code: 'team_invalid_state', message: 'Finesse refused: Invalid State' } }],
        counts: fullView([ana, chris, sam, dana]).counts,
      }),
    );
    const error = await within(rowOf('1001003')).findByTestId('team-row-error');
    expect(error).toHaveTextContent("the agent's state does not allow this now");
    expect(within(rowOf('1001003')).queryByTestId('team-row-busy')).not.toBeInTheDocument();
    expect(screen.getByTestId('team-announcement')).toHaveTextContent('Sam Okafor:');

    await user.click(within(rowOf('1001003')).getByTestId('team-row-error-dismiss'));
    expect(teamBackend.dismissTeamError).toHaveBeenCalledWith('1001003');
  });

  it('shows a refusal that never reached Finesse on the row', async () => {
    const user = userEvent.setup();
    vi.mocked(teamBackend.teamAction).mockRejectedValue({
      code: 'team_action_pending',
      message: 'an action on agent 1001003 is still in progress',
    });
    await showTeam();
    await user.click(within(rowOf('1001003')).getByTestId('team-row-actions'));
    await user.click(within(screen.getByTestId('team-action-menu')).getByText('Make Ready'));
    const error = await within(rowOf('1001003')).findByTestId('team-row-error');
    expect(error).toHaveTextContent('Wait until the previous request has finished.');
    await user.click(within(rowOf('1001003')).getByTestId('team-row-error-dismiss'));
    expect(within(rowOf('1001003')).queryByTestId('team-row-error')).not.toBeInTheDocument();
    expect(teamBackend.dismissTeamError).not.toHaveBeenCalled();
  });

  it('moves through the rows with the keyboard and opens the actions with Enter', async () => {
    const user = userEvent.setup();
    await showTeam();
    const grid = screen.getByTestId('team-grid');
    grid.focus();
    await user.keyboard('{ArrowDown}');
    const active = () => document.getElementById(grid.getAttribute('aria-activedescendant') ?? '');
    expect(active()?.dataset.agentId).toBe('1001001');
    await user.keyboard('{End}');
    expect(active()?.dataset.agentId).toBe('1001005');
    await user.keyboard('{Home}');
    expect(active()?.dataset.agentId).toBe('1001002');
    await user.keyboard('{Enter}');
    const menu = screen.getByTestId('team-action-menu');
    expect(menu).toHaveAttribute('data-agent-id', '1001002');
    expect(document.activeElement).toHaveAttribute('data-action', 'signOut');
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement).toHaveAttribute('data-action', 'silentMonitor');
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('team-action-menu')).not.toBeInTheDocument();
    expect(document.activeElement).toBe(grid);
  });

  it('says why the team could not be loaded', async () => {
    vi.mocked(teamBackend.getTeam).mockRejectedValue({ code: 'not_connected', message: 'not connected' });
    render(TeamView);
    expect(await screen.findByTestId('team-load-error')).toHaveTextContent('Not connected to Finesse right now.');
  });

  it('speaks German', async () => {
    setLocale('de');
    await showTeam();
    expect(screen.getByTestId('team-shown')).toHaveTextContent('4 von 4 Agenten');
    expect(within(rowOf('1001002')).getByTestId('team-row-state')).toHaveTextContent('Im Gespräch');
    expect(screen.getByTestId('team-header-state')).toHaveTextContent('Status');
    expect(screen.getByTestId('team-include-logged-out').parentElement).toHaveTextContent(
      'Abgemeldete Agenten zeigen',
    );
    const user = userEvent.setup();
    await user.click(within(rowOf('1001003')).getByTestId('team-row-actions'));
    const menu = screen.getByTestId('team-action-menu');
    expect(within(menu).getByText('Auf Bereit setzen')).toBeInTheDocument();
    expect(within(menu).getByText('Abmelden')).toBeInTheDocument();
  });
});
