import type { Provider } from '../kernel/model/common.js';
import type { Deployment, Incident, Sprint } from '../kernel/model/delivery.js';
import type { Person, Repository } from '../kernel/model/identity.js';
import type { WorkItem } from '../kernel/model/work-item.js';
import type { Store } from '../kernel/store/open-store.js';
import { createStoreReader } from '../kernel/store/store-reader.js';
import { type DeliveryQuery, listDeployments, listIncidents, listSprints } from './delivery-readers.js';
import { type UnmatchedAccount, unmatchedAccounts } from './identity/unmatched-accounts.js';
import { getPerson, listRepositories, peopleByIds, type TeamSummary, teamSummaries } from './identity-readers.js';
import type { ReaderContext } from './reader-rows.js';
import { getWorkItem, listWorkItems, type Page, type WorkItemQuery } from './work-item-readers.js';

export type { DeliveryQuery } from './delivery-readers.js';
export type { TeamSummary } from './identity-readers.js';
export type { Page, WorkItemQuery } from './work-item-readers.js';

/** Builds the typed readers of a workspace (the `ts.people`, `ts.workItems` … of the facade). */
export function createReaders(store: Store, workspace: string) {
  const reader: ReaderContext = { store, workspace };
  return {
    teams: {
      /** Every team with members and repositories, ordered by id. */
      list: (): Promise<TeamSummary[]> => teamSummaries(reader),
      /** One team, or `undefined`: its own rows only (not every team's members and repositories, then a search). */
      get: async (id: string): Promise<TeamSummary | undefined> => (await teamSummaries(reader, id))[0],
    },
    people: {
      /** People (optionally of one team) with their teams and accounts, ordered by id. */
      list: (query: { team?: string } = {}): Promise<Person[]> => peopleByIds(reader, undefined, query.team),
      /** One person by id, or by an account login/id or email; `undefined` when unknown. */
      get: (idOrLogin: string): Promise<Person | undefined> => getPerson(reader, idOrLogin),
      /**
       * Accounts whose person has no account at any other provider the workspace syncs (not matched by email,
       * override or link), optionally of one provider; link them with `ts.linkAccount()`.
       */
      unmatched: (query: { provider?: Provider } = {}): Promise<UnmatchedAccount[]> =>
        unmatchedAccounts(createStoreReader(store, workspace), query),
    },
    repositories: {
      /** Repositories, optionally of one team. */
      list: (query?: { team?: string }): Promise<Repository[]> => listRepositories(reader, query),
    },
    workItems: {
      /** Work items matching the filters, newest first, one page at a time. */
      list: (query?: WorkItemQuery): Promise<Page<WorkItem>> => listWorkItems(reader, query),
      /** One work item by id or by key (`acme/api#42`, `PAY-17`), or `undefined`. */
      get: (idOrKey: string): Promise<WorkItem | undefined> => getWorkItem(reader, idOrKey),
    },
    sprints: {
      /** Sprints, optionally of one team and/or state, newest first. */
      list: (query?: { team?: string; state?: Sprint['state'] }): Promise<Sprint[]> => listSprints(reader, query),
      /** One sprint, or `undefined`. */
      get: async (id: string): Promise<Sprint | undefined> => (await listSprints(reader)).find((s) => s.id === id),
    },
    deployments: {
      /** Deployments finishing in `[from, to)`, newest first. */
      list: (query?: DeliveryQuery & { environment?: string }): Promise<Deployment[]> => listDeployments(reader, query),
    },
    incidents: {
      /** Incidents created in `[from, to)`, newest first; `open: true` for unresolved ones only. */
      list: (query?: DeliveryQuery & { open?: boolean }): Promise<Incident[]> => listIncidents(reader, query),
    },
  };
}

/** The readers object of a workspace. */
export type Readers = ReturnType<typeof createReaders>;
