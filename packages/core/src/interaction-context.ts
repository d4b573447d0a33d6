import type { Logger } from './kernel/logger.js';
import { localDay } from './kernel/model/local-day.js';
import type { Store } from './kernel/store/open-store.js';
import { personTimeZone } from './records/identity/person-time-zone.js';
import { personForAccount } from './records/identity/resolve-people.js';
import type { ActionCatalogue } from './services/approvals/action-catalogue.js';
import { checkActionParams } from './services/approvals/action-params.js';
import type { InteractionContext } from './spec/interaction.js';
import type { TeamState } from './team-state-facade.js';

/** What a connector's interactive requests (Slack buttons, modals, slash commands) may do: the facade, narrowed. */
export function createInteractionContext(deps: {
  store: Store;
  workspace: string;
  log: Logger;
  clock: () => Date;
  writeClock: () => Date;
  catalogue: ActionCatalogue;
  /** The owner's facade, called when a request is answered (it is built after this context). */
  facade: () => TeamState;
}): InteractionContext {
  const { store, workspace, catalogue } = deps;
  const ts = deps.facade;
  return {
    workspace,
    surveys: { answer: (answer) => ts().surveys.answer(answer) },
    pulse: { questions: () => ts().pulse.questions(), answer: (input) => ts().pulse.answer(input) },
    log: deps.log,
    now: deps.clock,
    approvals: { get: (id) => ts().approvals.get(id), decide: (id, decision) => ts().approvals.decide(id, decision) },
    propose: (proposal) => ts().actions.propose(proposal),
    reports: {
      today: async (person) => localDay(deps.writeClock().getTime(), await personTimeZone(store, workspace, person)),
      draft: (person, day) => ts().reports.draft(person, day),
      submit: (input) => ts().reports.submit(input),
    },
    feedback: {
      async pullRequest(id) {
        const item = await ts().workItems.get(id);
        if (item?.id !== id || item.kind !== 'pull_request' || item.repository === undefined) return undefined;
        const prefix = `${item.repository}#`;
        const number = item.key.startsWith(prefix) ? Number(item.key.slice(prefix.length)) : Number.NaN;
        if (!Number.isInteger(number) || number < 1) return undefined;
        return { key: item.key, title: item.title, repository: item.repository, number };
      },
      add: (input) => ts().feedback.add(input),
    },
    signals: {
      ack: (id, person) => ts().signals.ack(id, { by: person }),
      snooze: (id, person, duration) => ts().signals.snooze(id, { by: person, for: duration }),
    },
    personFor: (provider, externalId) => personForAccount(store, workspace, provider, externalId),
    checkParams(type, params) {
      const action = catalogue.find(type);
      if (!action) {
        const message = `no configured connector declares ${type}, so its params cannot be checked here`;
        return { ok: false, message, issues: [{ path: 'type', message }] };
      }
      const checked = checkActionParams(action, params, 'params');
      return checked.ok ? checked : { ok: false, message: checked.error.message, issues: checked.error.issues };
    },
  };
}
