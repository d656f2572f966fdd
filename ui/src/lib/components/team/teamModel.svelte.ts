/**
 * The Team tab's copy of the view: rows by agent id, the shown order, counts, header and
 * options, kept current by applying the core's `TeamDiff`s in sequence. Rows live in a plain
 * map (2,000 of them would be costly to make deeply reactive); `revision` changes with every
 * applied diff, so whatever reads rows through `row()` redraws when they change.
 */
import type {
  TeamCounts,
  TeamDiff,
  TeamHeader,
  TeamRow,
  TeamViewOptions,
} from '$lib/generated';

export const EMPTY_COUNTS: TeamCounts = {
  ready: 0,
  notReady: 0,
  talking: 0,
  reserved: 0,
  wrapUp: 0,
  loggedOut: 0,
  unknown: 0,
  total: 0,
  shown: 0,
};

export const DEFAULT_VIEW: TeamViewOptions = {
  sort: { column: 'name', direction: 'ascending' },
  states: [],
  text: '',
  includeLoggedOut: false,
};

/** What applying a diff did. `gap`: one was missed, ask for the whole view again. */
export type ApplyResult = 'applied' | 'stale' | 'gap';

export class TeamModel {
  #rows = new Map<string, TeamRow>();
  #seq = 0;
  order = $state.raw<string[]>([]);
  counts = $state.raw<TeamCounts>(EMPTY_COUNTS);
  header = $state.raw<TeamHeader>({ teams: [], chosen: null, loading: false });
  view = $state.raw<TeamViewOptions>(DEFAULT_VIEW);
  /** Bumped by every applied diff. */
  revision = $state(0);
  /** Whether a view (reset diff) has arrived yet. */
  ready = $state(false);

  /** Applies the next diff in sequence; a reset diff replaces everything. */
  apply(diff: TeamDiff): ApplyResult {
    if (!diff.reset) {
      if (diff.seq <= this.#seq) return 'stale';
      if (diff.seq !== this.#seq + 1) return 'gap';
    } else if (diff.seq < this.#seq) {
      return 'stale';
    }
    if (diff.reset) this.#rows.clear();
    for (const row of diff.rows) this.#rows.set(row.id, row);
    for (const id of diff.removed) this.#rows.delete(id);
    if (diff.order) this.order = diff.order;
    else if (diff.reset) this.order = [];
    if (diff.header) this.header = diff.header;
    if (diff.view) this.view = diff.view;
    this.counts = diff.counts;
    this.#seq = diff.seq;
    this.ready = true;
    this.revision += 1;
    return 'applied';
  }

  /** The row of an agent shown in the list. */
  row(id: string): TeamRow | undefined {
    void this.revision;
    return this.#rows.get(id);
  }

  /** Rows `from` (inclusive) to `to` (exclusive) of the shown order. */
  slice(from: number, to: number): { index: number; row: TeamRow }[] {
    void this.revision;
    const out: { index: number; row: TeamRow }[] = [];
    for (let index = Math.max(0, from); index < Math.min(to, this.order.length); index += 1) {
      const row = this.#rows.get(this.order[index]);
      if (row) out.push({ index, row });
    }
    return out;
  }

  /** How many rows the model holds (tests and diagnostics). */
  get size(): number {
    return this.#rows.size;
  }
}
