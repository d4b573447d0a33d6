// The cost of the delivery metrics, found with the query planner (EXPLAIN QUERY PLAN, not timing): each statement a
// metric runs reads the store through indexes, never a whole table, and the hot lookups are index-only.
// Speed itself is measured by `pnpm bench metrics` (figures against a raw full scan in the same run).
import type { MetricComputeOptions, TeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { builtinMetrics } from '../src/index.js';
import { at, deployment, incident, issue, open, pullRequest, sprint, transition } from './fixtures.js';
import { statementsOf } from './helpers/query-plans.js';

const DELIVERY = builtinMetrics.map((m) => m.id).filter((id) => id !== 'ai_assisted_share');
const ALL_TIME = { from: '2000-01-01T00:00:00Z', to: '2026-04-01T00:00:00Z' };
const ONE_TEAM = { from: '2026-01-01T00:00:00Z', to: '2026-04-01T00:00:00Z', team: 'payments' };
// Common table expressions of the metrics' statements: scanning those is reading rows already selected.
const CTES = /^(v|k|e|pr|r\d+|resolved|closed|members|m|items|per_sprint|p|\(subquery-\d+\)|CONSTANT)$/;

let ts: TeamState;
beforeAll(async () => {
  ts = await open({
    workItems: [
      pullRequest(1, {
        createdAt: at(1),
        mergedAt: at(2),
        additions: 10,
        reviews: [{ reviewer: 'ben', state: 'approved', submittedAt: at(1, 5) }],
      }),
      pullRequest(2, { createdAt: at(3), labels: ['hotfix'], mergedAt: at(4) }),
      issue(1, {
        createdAt: at(1),
        resolvedAt: at(5),
        storyPoints: 3,
        sprint: 's1',
        transitions: [
          transition(at(2), 'To Do', 'In Progress', 'todo', 'in_progress'),
          transition(at(5), 'In Progress', 'Done', 'in_progress', 'done'),
        ],
      }),
    ],
    deployments: [deployment('d1', at(3)), deployment('d2', at(5), { pullRequests: ['pr-acme/api-2'] })],
    incidents: [incident('i1', at(6), { resolvedAt: at(7) })],
    sprints: [sprint('s1', { startAt: at(1), endAt: at(14), completedAt: at(14), state: 'closed', committedItems: ['PAY-1'] })],
  });
});
afterAll(() => ts.close());

// The one statement with which compute() checks that the query's team, repository and person exist.
const FILTER_CHECK = /^SELECT EXISTS \(SELECT 1 FROM (teams|repositories|people) WHERE/;
// The check that the stored PR → deployment mapping is current, before the first statement of a metric that reads it.
const MAPPING_CHECK = /^SELECT EXISTS \(SELECT 1 FROM deployment_mapping_keys /;
const READS_MAPPING = /pull_request_deployments|deployment_rework|incident_deployments/;

/** The statements `compute()` runs for one metric, each with its query plan. */
async function plans(id: string, query: MetricComputeOptions) {
  const calls = (await statementsOf(ts.store, () => ts.metrics.compute([id], query))).filter(
    ([sql]) => !FILTER_CHECK.test(sql) && !MAPPING_CHECK.test(sql),
  );
  return Promise.all(
    calls.map(async ([sql, args]) => ({
      sql,
      plan: (await ts.store.execute(`EXPLAIN QUERY PLAN ${sql}`, args)).rows.map((row) => String(row.detail)),
    })),
  );
}

describe('round trips of compute()', () => {
  it('runs one statement per delivery metric, plus one checking every filter given, and nothing else but mapping checks', async () => {
    // The fixed cost of a call decides the metrics over small tables (incidents): settings are resolved once when the
    // facade is built, the filters are checked together, and each metric is one statement.
    const person = { ...ONE_TEAM, repository: 'acme/api', person: 'ben' };
    for (const [query, checks] of [
      [ALL_TIME, 0],
      [ONE_TEAM, 1],
      [person, 1],
    ] as const) {
      const statements = (await statementsOf(ts.store, () => ts.metrics.compute(DELIVERY as never, query))).map(([sql]) => sql);
      expect(
        statements.filter((sql) => FILTER_CHECK.test(sql)),
        JSON.stringify(query),
      ).toHaveLength(checks);
      // The statements reading the stored deployment mapping are preceded by one read checking that it is current.
      const mappingChecks = statements.filter((sql) => MAPPING_CHECK.test(sql));
      expect(statements.filter((sql) => !MAPPING_CHECK.test(sql) && READS_MAPPING.test(sql)).length).toBeGreaterThan(1);
      expect(mappingChecks).toHaveLength(1);
      expect(statements.length - mappingChecks.length, statements.join('\n---\n')).toBe(DELIVERY.length + checks);
    }
  });
});

describe('a query asked again', () => {
  it('while nothing was committed reads only the data version: no filter check, no metric statement', async () => {
    const execute = vi.spyOn(ts.store, 'execute');
    const aside = vi.spyOn(ts.store, 'readAside');
    const batches = vi.spyOn(ts.store, 'readAsideBatch');
    const query = { ...ONE_TEAM, from: '2026-01-02T00:00:00Z' };
    try {
      // The first computation may bring the derived delivery rows up to date: a write, a new data version.
      await ts.metrics.compute(DELIVERY as never, query);
      const first = await ts.metrics.compute(DELIVERY as never, query);
      expect(execute.mock.calls.some(([sql]) => FILTER_CHECK.test(sql))).toBe(true);
      expect(batches).toHaveBeenCalled();
      for (const spy of [execute, aside, batches]) spy.mockClear();
      expect(await ts.metrics.compute(DELIVERY as never, query)).toEqual(first);
      expect(execute).not.toHaveBeenCalled();
      expect(aside).not.toHaveBeenCalled();
      expect(batches).not.toHaveBeenCalled();
    } finally {
      for (const spy of [execute, aside, batches]) spy.mockRestore();
    }
  });
});

describe('metric query plans', () => {
  for (const [label, query] of [
    ['all time, whole organisation', ALL_TIME],
    ['90 days, one team', ONE_TEAM],
  ] as const) {
    it(`no delivery metric scans a whole table (${label})`, async () => {
      for (const id of DELIVERY) {
        for (const { sql, plan } of await plans(id, query)) {
          // `json_each` over one row's labels (rework_rate) is a virtual table, not a store table.
          const scans = plan.filter((line) => /^SCAN /.test(line) && !CTES.test(line.split(' ')[1]!) && !line.includes('VIRTUAL TABLE'));
          expect(scans, `${id}: ${sql}`).toEqual([]);
        }
      }
    });
  }

  for (const [label, query] of [
    ['one team', ONE_TEAM],
    ['one repository', { ...ONE_TEAM, team: undefined, repository: 'acme/api' }],
  ] as const) {
    it(`no delivery metric for ${label} walks every work item of the workspace in an index`, async () => {
      for (const id of DELIVERY) {
        for (const { sql, plan } of await plans(id, query))
          expect(
            plan.filter((line) => /INDEX work_items_\w+ \(workspace=\?\)$/.test(line)),
            `${id}: ${sql}`,
          ).toEqual([]);
      }
    });
  }

  // At the full size (1.5 million PRs) the window's range of the covering merged-PR index holds the whole
  // organisation's merges (300-380 ms for one team); the team's repositories' ranges hold only theirs (~1 ms).
  for (const [label, query] of [
    ['one team', ONE_TEAM],
    ['one repository', { ...ONE_TEAM, team: undefined, repository: 'acme/api' }],
    ['one team and one person', { ...ONE_TEAM, person: 'ben' }],
  ] as const) {
    it(`PR flow metrics for ${label} seek each repository's window range, never the organisation's window`, async () => {
      for (const id of ['pr_cycle_time', 'time_to_first_review', 'pr_size', 'throughput', 'ai_assisted_share']) {
        const text = (await plans(id, query)).flatMap((statement) => statement.plan).join('\n');
        expect(text, id).toMatch(
          /SEARCH w USING (COVERING )?INDEX work_items_repository_merged_idx \(workspace=\? AND repository_id=\? AND merged_at>\? AND merged_at<\?\)/,
        );
        expect(text, id).not.toContain('work_items_kind_merged_idx');
        expect(text, id).not.toMatch(/work_items\S* \(workspace=\?\)/);
      }
    });
  }

  it('PR flow metrics for one team or repository read no pull request row: the merged-PR index of a repository covers them', async () => {
    for (const query of [ONE_TEAM, { ...ONE_TEAM, team: undefined, repository: 'acme/api' }])
      for (const id of ['pr_cycle_time', 'time_to_first_review', 'pr_size', 'throughput']) {
        const text = (await plans(id, query)).flatMap((statement) => statement.plan).join('\n');
        expect(text, id).toContain(
          'SEARCH w USING COVERING INDEX work_items_repository_merged_idx (workspace=? AND repository_id=? AND merged_at>? AND merged_at<?)',
        );
      }
  });

  it("pr_cycle_time's deploy phase for one team or repository seeks each repository's merges in the window, not its history", async () => {
    for (const query of [ONE_TEAM, { ...ONE_TEAM, team: undefined, repository: 'acme/api' }]) {
      const text = (await plans('pr_cycle_time', query)).flatMap((statement) => statement.plan).join('\n');
      expect(text).toContain(
        'SEARCH m USING COVERING INDEX pull_request_deployments_repository_merged_idx (workspace=? AND settings=? AND repository_id=? AND merged_at>? AND merged_at<?)',
      );
      expect(text).not.toMatch(/pull_request_deployments_merged_idx|pull_request_deployments_repository_idx/);
    }
  });

  it('PR flow metrics over all time read the covering merged-PR index and never the reviews', async () => {
    for (const id of ['pr_cycle_time', 'time_to_first_review', 'pr_size']) {
      const [statement] = await plans(id, ALL_TIME);
      const text = statement!.plan.join('\n');
      expect(text, id).toContain(
        'USING COVERING INDEX work_items_kind_merged_idx (workspace=? AND kind=? AND merged_at>? AND merged_at<?)',
      );
      expect(text, id).not.toMatch(/reviews_|\bfr\b/);
    }
  });

  it('duration and size distributions are one pass over their rows, with no sort in the store (sorted in JavaScript)', async () => {
    for (const query of [ALL_TIME, ONE_TEAM]) {
      for (const id of [
        'pr_cycle_time',
        'time_to_first_review',
        'pr_size',
        'lead_time_for_changes',
        'failed_deployment_recovery_time',
        'time_to_restore_service',
      ]) {
        const statements = await plans(id, query);
        expect(statements, id).toHaveLength(1);
        const text = statements[0]!.plan.join('\n');
        // The former ranked statement materialized the rows and sorted each column in a window (row_number()).
        expect(text, id).not.toMatch(/TEMP B-TREE|^MATERIALIZE (v|r\d+)$/m);
        expect(statements[0]!.sql, id).not.toMatch(/row_number|OVER/);
      }
    }
  });

  it('lead times and deploy phases are index ranges of the stored mapping, with no work item read and no search of deployments', async () => {
    for (const [id, query, expected] of [
      [
        'lead_time_for_changes',
        ALL_TIME,
        'SEARCH m USING COVERING INDEX pull_request_deployments_finished_idx (workspace=? AND settings=? AND finished_at>? AND finished_at<?)',
      ],
      [
        'lead_time_for_changes',
        ONE_TEAM,
        'SEARCH m USING COVERING INDEX pull_request_deployments_repository_idx (workspace=? AND settings=? AND repository_id=? AND finished_at>? AND finished_at<?)',
      ],
      [
        'pr_cycle_time',
        ALL_TIME,
        'SEARCH m USING COVERING INDEX pull_request_deployments_merged_idx (workspace=? AND settings=? AND merged_at>? AND merged_at<?)',
      ],
      // One team: the window's range of each of the team's repositories in the mapping.
      [
        'pr_cycle_time',
        ONE_TEAM,
        'SEARCH m USING COVERING INDEX pull_request_deployments_repository_merged_idx (workspace=? AND settings=? AND repository_id=? AND merged_at>? AND merged_at<?)',
      ],
    ] as const) {
      const text = (await plans(id, query)).flatMap(({ plan }) => plan).join('\n');
      if (typeof expected === 'string') expect(text, id).toContain(expected);
      else expect(text, id).toMatch(expected);
      // The heuristic's searches (the repository's deployments without a list, or its PRs by merge time) are gone,
      // and so is a lookup of the mapping per PR.
      expect(text, id).not.toMatch(/deployments_mapping_idx|sqlite_autoindex_pull_request_deployments_1/);
      // The heuristic's search of a repository's PRs by merge time was correlated (one per deployment); the PR flow
      // metrics' own seeks of the team's repositories' window ranges are not.
      expect(text, id).not.toMatch(/CORRELATED[^\n]*\n[^\n]*work_items_repository_merged_idx/);
      if (id === 'lead_time_for_changes') expect(text, id).not.toMatch(/work_items/);
    }
  });

  it('rework_rate counts the stored rework flags in an index range, never the pull requests a deployment deploys', async () => {
    for (const [query, expected] of [
      [
        ALL_TIME,
        'SEARCH r USING COVERING INDEX deployment_rework_finished_idx (workspace=? AND settings=? AND finished_at>? AND finished_at<?)',
      ],
      [
        ONE_TEAM,
        'SEARCH r USING COVERING INDEX deployment_rework_repository_idx (workspace=? AND settings=? AND repository_id=? AND finished_at>? AND finished_at<?)',
      ],
      [
        { ...ALL_TIME, person: 'ana' },
        'SEARCH r USING COVERING INDEX sqlite_autoindex_deployment_rework_1 (workspace=? AND settings=? AND deployment_id=?)',
      ],
    ] as const) {
      const statements = await plans('rework_rate', query);
      expect(statements, JSON.stringify(query)).toHaveLength(1);
      const text = statements[0]!.plan.join('\n');
      expect(text, JSON.stringify(query)).toContain(expected);
      if (!('person' in query)) expect(text).not.toMatch(/work_items|deployment_pull_requests|pull_request_deployments/);
    }
  });

  it('incident attribution finds the latest production deployment index-only, without a sort', async () => {
    for (const [id, query] of [
      ['failed_deployment_recovery_time', { ...ALL_TIME, person: 'ana' }],
      ['change_failure_rate', { ...ALL_TIME, person: 'ana' }],
    ] as const) {
      const text = (await plans(id, query)).flatMap(({ plan }) => plan).join('\n');
      expect(text, id).toContain('USING COVERING INDEX deployments_production_idx');
      expect(text, id).not.toContain('TEMP B-TREE FOR RIGHT PART OF ORDER BY');
    }
  });
});

describe('failed_deployment_recovery_time query plan', () => {
  it('reads the stored incident attributions in an index range, no incident or deployment read (the organisation, a team)', async () => {
    for (const [query, expected] of [
      [
        ALL_TIME,
        'SEARCH a USING COVERING INDEX incident_deployments_created_idx (workspace=? AND settings=? AND created_at>? AND created_at<?)',
      ],
      [
        ONE_TEAM,
        'SEARCH a USING COVERING INDEX incident_deployments_repository_idx (workspace=? AND settings=? AND repository_id=? AND created_at>? AND created_at<?)',
      ],
    ] as const) {
      const statements = await plans('failed_deployment_recovery_time', query);
      expect(statements, JSON.stringify(query)).toHaveLength(1);
      const text = statements[0]!.plan.join('\n');
      expect(text, JSON.stringify(query)).toContain(expected);
      expect(text, JSON.stringify(query)).not.toMatch(/SEARCH (i|d|aad) |\bincidents\b|\bdeployments\b/);
    }
  });
});

describe('wip and aging_wip query plans', () => {
  it("over the organisation read the candidates from the items ever in progress, never every transition or each issue's history sorted", async () => {
    for (const id of ['wip', 'aging_wip']) {
      const statements = await plans(id, ALL_TIME);
      expect(statements, id).toHaveLength(1);
      const text = statements[0]!.plan.join('\n');
      // The items whose spans may cover `to`, from the partial index of the items ever moved into progress, each one's
      // transitions then sought by the primary key: no pass over the workspace's transitions.
      expect(text, id).toContain('SEARCH w USING COVERING INDEX work_items_team_in_progress_idx (workspace=?)');
      expect(text, id).toContain('SEARCH c USING PRIMARY KEY (workspace=? AND work_item_id=?)');
      expect(text, id).not.toMatch(/SEARCH \w+ USING PRIMARY KEY \(workspace=\?\)/);
      // The former plan: every issue, each with its transitions sorted for the last one as of `to`.
      expect(text, id).not.toMatch(/transitions_item_idx|transitions_at_idx/);
      expect(text, id).not.toContain('TEMP B-TREE FOR ORDER BY\nCORRELATED');
      // The workspace's unmerged pull requests and its items ever in progress are the partial indexes' entries, all of
      // them to test; no other index of every item is walked.
      expect(text, id).not.toMatch(
        /SEARCH w USING (COVERING )?INDEX (?!work_items_unmerged_pr_idx|work_items_team_in_progress_idx)\w+ \(workspace=\?\)$/m,
      );
    }
  });

  // Migration 0037 widened work_items_id_people_idx until it covered this statement: SQLite walked the whole workspace's
  // items in it (3.5 million, about 320 ms for one team and 370 ms for one repository at 10,000 engineers, so get_metrics
  // over MCP took 670 ms).
  for (const [label, query, seek] of [
    // Only the team's issues whose spans may cover `to`: one still open (in_progress_until NULL), or ended after `to`.
    [
      'a team',
      ONE_TEAM,
      /SEARCH w USING COVERING INDEX work_items_team_in_progress_idx \(workspace=\? AND team_id=\? AND in_progress_until=\? AND first_in_progress_at<\?\)[\s\S]*\nSEARCH w USING COVERING INDEX work_items_team_in_progress_idx \(workspace=\? AND team_id=\? AND in_progress_until>\?\)/,
    ],
    [
      'a repository',
      { ...ONE_TEAM, team: undefined, repository: 'acme/api' },
      /SEARCH w USING (COVERING )?INDEX work_items_repository_merged_idx \(workspace=\? AND repository_id=\?\)/,
    ],
  ] as const) {
    it(`for ${label} read its issues from its index, never every item of the workspace`, async () => {
      for (const id of ['wip', 'aging_wip']) {
        const text = (await plans(id, query)).flatMap((statement) => statement.plan).join('\n');
        expect(text, id).toMatch(seek);
        expect(text, id).not.toMatch(/SEARCH w USING (COVERING )?INDEX \w+ \(workspace=\?\)$/m);
      }
    });
  }

  // The rows of a team's 250 unmerged pull requests (titles, bodies) took up to 0.9 s from disk at 10,000 engineers.
  for (const [label, query] of [
    ['a team', ONE_TEAM],
    ['a repository', { ...ONE_TEAM, team: undefined, repository: 'acme/api' }],
  ] as const) {
    it(`for ${label} read its unmerged pull requests from their covering index, no row`, async () => {
      for (const id of ['wip', 'aging_wip']) {
        const text = (await plans(id, query)).flatMap((statement) => statement.plan).join('\n');
        expect(text, id).toMatch(/SEARCH w USING COVERING INDEX work_items_unmerged_pr_idx \(workspace=\? AND repository_id=\?/);
      }
    });
  }

  // Each issue's history sorted for its last transition as of `to` (a temporary B-tree per issue) made a team's wip
  // 70-210 ms at 10,000 engineers (5,000 issues a team); its in-progress spans' covering index answers in 6-11 ms.
  for (const [label, query] of [
    ['a team', ONE_TEAM],
    ['a repository', { ...ONE_TEAM, team: undefined, repository: 'acme/api' }],
    ['a person', { ...ALL_TIME, person: 'ben' }],
  ] as const) {
    it(`for ${label} test each issue's in-progress spans in their covering index, never sort its history`, async () => {
      for (const id of ['wip', 'aging_wip']) {
        const text = (await plans(id, query)).flatMap((statement) => statement.plan).join('\n');
        expect(text, id).toMatch(/SEARCH \w+ USING PRIMARY KEY \(workspace=\? AND work_item_id=\?\)/);
        expect(text, id).not.toMatch(/transitions_item_idx|transitions_at_idx/);
      }
    });
  }
});

describe('time_to_restore_service query plan', () => {
  // A team's incidents are those whose team (their own, else their repository's or deployment's) is the team: the
  // window's incidents (a few per team a month) each with a key lookup or two, not every incident of the organisation.
  it('reads the incidents of the window from their index (the organisation: covering, no table row; a team: by key)', async () => {
    for (const [query, expected] of [
      [ALL_TIME, 'SEARCH i USING COVERING INDEX incidents_created_idx (workspace=? AND created_at>? AND created_at<?)'],
      [ONE_TEAM, 'SEARCH i USING INDEX incidents_created_idx (workspace=? AND created_at>? AND created_at<?)'],
    ] as const) {
      const statements = await plans('time_to_restore_service', query);
      expect(statements, JSON.stringify(query)).toHaveLength(1);
      expect(statements[0]!.plan.join('\n'), JSON.stringify(query)).toContain(expected);
    }
  });
});

describe('change_failure_rate query plan', () => {
  it('for a person attributes each incident to its deployment (one probe per incident), never searches incidents per deployment', async () => {
    for (const query of [{ ...ALL_TIME, person: 'ana' }]) {
      const statements = await plans('change_failure_rate', query);
      expect(statements, JSON.stringify(query)).toHaveLength(1);
      const text = statements[0]!.plan.join('\n');
      expect(text, JSON.stringify(query)).toContain('SEARCH d USING INDEX sqlite_autoindex_deployments_1 (workspace=? AND id=?)');
      // incidentsAttributedTo's alias (`ai`), one search of incidents per production deployment, is gone.
      expect(text, JSON.stringify(query)).not.toMatch(/SEARCH ai /);
    }
  });

  // Every incident of the organisation probed for its deployment took 11-64 ms for one team at 10,000 engineers; the
  // stored attributions of the team's repositories, 0.1 ms.
  for (const [label, query, seek] of [
    ['the organisation', ALL_TIME, /SEARCH a USING (COVERING )?INDEX \w+ \(workspace=\? AND settings=\?/],
    [
      'a team',
      ONE_TEAM,
      /SEARCH a USING (COVERING )?INDEX incident_deployments_repository_idx \(workspace=\? AND settings=\? AND repository_id=\?/,
    ],
    [
      'a repository',
      { ...ONE_TEAM, team: undefined, repository: 'acme/api' },
      /SEARCH a USING (COVERING )?INDEX incident_deployments_repository_idx \(workspace=\? AND settings=\? AND repository_id=\?/,
    ],
  ] as const) {
    it(`for ${label} counts the failed deployments from the stored attributions, no incident read`, async () => {
      const text = (await plans('change_failure_rate', query)).flatMap(({ plan }) => plan).join('\n');
      expect(text).toMatch(seek);
      expect(text).not.toMatch(/SEARCH i |\bincidents\b/);
    });
  }

  it('the production deployments of a window are counted from a covering index (change_failure_rate, rework_rate)', async () => {
    for (const id of ['change_failure_rate', 'rework_rate']) {
      const text = (await plans(id, ALL_TIME)).flatMap(({ plan }) => plan).join('\n');
      expect(text, id).toContain('SEARCH d USING COVERING INDEX deployments_window_idx (workspace=? AND finished_at>? AND finished_at<?)');
    }
  });
});

describe('flow_efficiency query plan', () => {
  it('for a team reads the resolved issues from their covering index and each one’s in-progress spans once', async () => {
    const statements = await plans('flow_efficiency', ONE_TEAM);
    const text = statements.flatMap(({ plan }) => plan).join('\n');
    // The issues and their first move into progress (the stored first_in_progress_at) from the team's covering index:
    // no table row per issue (its key is read only to explain).
    expect(text).toContain('SEARCH resolved USING COVERING INDEX work_items_team_resolved_idx (workspace=? AND team_id=?');
    expect(text).toContain('SEARCH t USING PRIMARY KEY (workspace=? AND work_item_id=?)');
    // One lookup per issue, for its active time (two per issue took 10 s over all time at 10,000 engineers).
    expect(text.match(/SEARCH t USING PRIMARY KEY/g)).toHaveLength(1);
    // The span ends are stored (`next_at`): no `lead()` over a sorted history.
    expect(statements.map(({ sql }) => sql).join('\n')).not.toMatch(/\blead\(/);
    expect(text).not.toMatch(/SCAN .*transitions|TEMP B-TREE/);
  });

  it('over the organisation reads the in-progress transitions in one pass in index order, with no sort and no seek per issue', async () => {
    const statements = await plans('flow_efficiency', ALL_TIME);
    const text = statements.flatMap(({ plan }) => plan).join('\n');
    // One pass over the covering in-progress index, grouped per item in index order (no GROUP BY or ORDER BY sort) …
    expect(text).toContain('SEARCH t USING PRIMARY KEY (workspace=?)');
    // (the one sort is of the window's issues by id, checked below)
    expect(text.match(/USE TEMP B-TREE/g)).toHaveLength(1);
    // … joined to the window's issues through SQLite's automatic index (one build), not one seek per issue: the only
    // seek by item is the exact recount of an issue with a span that ends after its resolution (a CASE branch).
    expect(text).toMatch(/AUTOMATIC (COVERING |PARTIAL )*INDEX/);
    expect(text.match(/SEARCH t USING PRIMARY KEY \(workspace=\? AND work_item_id=\?\)/g)).toHaveLength(1);
    expect(statements.map(({ sql }) => sql).join('\n')).toMatch(/CASE WHEN spans\.last_end > resolved\.resolved_at THEN \(SELECT/);
    expect(text).not.toMatch(/SCAN .*transitions/);
  });

  it('over all time reads the window’s resolved issues from a covering index, never their table rows, in id order', async () => {
    const [statement] = await plans('flow_efficiency', ALL_TIME);
    const text = statement!.plan.join('\n');
    // The window's range of the resolved index, sorted by id once: the order of the grouped spans, so the join's probes
    // go through them in the order they were built (in resolution order each probe landed somewhere else: 5.4-6.0 s →
    // 3.7 s at 10,000 engineers).
    expect(text).toMatch(
      /MATERIALIZE resolved\nSEARCH w USING COVERING INDEX work_items_resolved_idx \(workspace=\? AND resolved_at>\? AND resolved_at<\?\)\nUSE TEMP B-TREE FOR ORDER BY/,
    );
    expect(statement!.sql).toMatch(/FROM work_items w INDEXED BY work_items_resolved_idx\s+WHERE [^\n]* ORDER BY w\.id\),\s+spans AS/);
    expect(text.match(/USE TEMP B-TREE/g)).toHaveLength(1);
  });

  it('tests the waiting statuses without lower-casing every span’s status', async () => {
    for (const query of [ALL_TIME, ONE_TEAM]) {
      const [statement] = await plans('flow_efficiency', query);
      expect(statement!.sql).not.toMatch(/\blower\(/);
      expect(statement!.sql).toMatch(/t\.to_status COLLATE NOCASE NOT IN \(/);
    }
  });
});

describe('sprint metrics query plan', () => {
  it('read one stored totals row per sprint (sprint_totals), never the sprint items', async () => {
    for (const id of ['sprint_completion', 'velocity']) {
      for (const query of [ALL_TIME, ONE_TEAM]) {
        const statements = await plans(id, query);
        expect(statements, id).toHaveLength(1);
        const text = statements[0]!.plan.join('\n');
        expect(text, `${id} ${text}`).toMatch(
          /SEARCH t USING (INDEX sqlite_autoindex_sprint_totals_1|PRIMARY KEY) \(workspace=\? AND sprint_id=\?\)/,
        );
        expect(text, id).toMatch(/SEARCH s USING (COVERING )?INDEX (sprints_team_completed_idx|sqlite_autoindex_sprints_1)/);
        expect(statements[0]!.sql, id).not.toMatch(/work_items|sprint_committed_items|transitions/);
      }
    }
  });

  it('with a repository or person, read each sprint item once: committed items by key, added items from the covering sprint index', async () => {
    for (const id of ['sprint_completion', 'velocity']) {
      for (const query of [
        { ...ALL_TIME, person: 'ben' },
        { ...ONE_TEAM, repository: 'acme/api' },
      ]) {
        const statements = await plans(id, query);
        expect(statements, id).toHaveLength(1);
        const text = statements[0]!.plan.join('\n');
        expect(text, id).toContain('SEARCH c USING PRIMARY KEY (workspace=? AND sprint_id=?)');
        // The person filter reads the author, so the sprint index is not covering then.
        expect(text, id).toMatch(/SEARCH w USING (COVERING )?INDEX work_items_sprint_idx \(workspace=\? AND sprint_id=\?\)/);
        expect(text, id).toContain('SEARCH w USING INDEX sqlite_autoindex_work_items_1 (workspace=? AND id=?)');
        // No UNION b-tree over the items, no grouping of them (one pass sums), no join of every sprint with every item.
        expect(text, id).not.toMatch(/UNION USING TEMP B-TREE|TEMP B-TREE FOR GROUP BY|SCAN items LEFT-JOIN/);
      }
    }
  });
});

describe('fixed cost of a metric', () => {
  it('a metric that declares it reads no derived table runs its statements with no freshness check', async () => {
    const none = builtinMetrics.filter((metric) => metric.reads?.length === 0).map((metric) => metric.id);
    expect(none).toContain('flow_efficiency');
    for (const id of none) {
      const statements = (await statementsOf(ts.store, () => ts.metrics.compute([id], ALL_TIME))).map(([sql]) => sql);
      expect(statements.join('\n'), id).not.toContain('deployment_mapping_keys');
      if (id === 'flow_efficiency') expect(statements, id).toHaveLength(1);
    }
  });

  it('a metric that reads the deployment mapping only for a person or in explain runs one statement after one freshness check', async () => {
    // Its declaration covers every scope, so the mapping is made current before its first statement whatever the query.
    for (const id of ['time_to_restore_service', 'deployment_frequency']) {
      const statements = (await statementsOf(ts.store, () => ts.metrics.compute([id], ALL_TIME))).map(([sql]) => sql);
      expect(
        statements.filter((sql) => MAPPING_CHECK.test(sql)),
        id,
      ).toHaveLength(1);
      expect(
        statements.filter((sql) => !MAPPING_CHECK.test(sql)),
        id,
      ).toHaveLength(1);
    }
  });
});
