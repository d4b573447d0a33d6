import type { FeedbackApi } from './features/feedback/feedback-api.js';
import type { Reports } from './features/reports/reports-api.js';
import { personTimeZone } from './features/reports/timeline.js';
import type { Signals } from './features/signals/signals-api.js';
import type { Surveys } from './features/surveys/surveys-api.js';
import type { Logger } from './kernel/logger.js';
import { localDay } from './kernel/model/local-day.js';
import type { Store } from './kernel/store/open-store.js';
import { personForAccount } from './records/identity/resolve-people.js';
import type { Readers } from './records/readers.js';
import type { ActionCatalogue } from './services/approvals/action-catalogue.js';
import { checkActionParams } from './services/approvals/action-params.js';
import type { Actions, Approvals } from './services/approvals/approvals-api.js';
import type { InteractionContext } from './spec/interaction.js';

/** What a connector's interactive requests (Slack buttons, modals, slash commands) may do: the facade, narrowed. */
export function createInteractionContext(deps: {
  store: Store;
  workspace: string;
  log: Logger;
  clock: () => Date;
  writeClock: () => Date;
  catalogue: ActionCatalogue;
  actions: Actions;
  approvals: Approvals;
  reports: Reports;
  surveys: Surveys;
  feedback: FeedbackApi;
  readers: Readers;
  signals: Signals;
}): InteractionContext {
  const { store, workspace, approvals, actions, reports, surveys, feedback, readers, catalogue } = deps;
  return {
    workspace,
    surveys: { answer: (answer) => surveys.answer(answer) },
    log: deps.log,
    now: deps.clock,
    approvals: { get: (id) => approvals.get(id), decide: (id, decision) => approvals.decide(id, decision) },
    propose: (proposal) => actions.propose(proposal),
    reports: {
      today: async (person) => localDay(deps.writeClock().getTime(), await personTimeZone(store, workspace, person)),
      draft: (person, day) => reports.draft(person, day),
      submit: (input) => reports.submit(input),
    },
    feedback: {
      async pullRequest(id) {
        const item = await readers.workItems.get(id);
        if (item?.id !== id || item.kind !== 'pull_request' || item.repository === undefined) return undefined;
        const prefix = `${item.repository}#`;
        const number = item.key.startsWith(prefix) ? Number(item.key.slice(prefix.length)) : Number.NaN;
        if (!Number.isInteger(number) || number < 1) return undefined;
        return { key: item.key, title: item.title, repository: item.repository, number };
      },
      add: (input) => feedback.add(input),
    },
    signals: {
      ack: (id, person) => deps.signals.ack(id, { by: person }),
      snooze: (id, person, duration) => deps.signals.snooze(id, { by: person, for: duration }),
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
