import { freeTextRedactor } from '../../kernel/text/redact-pii.js';
import { defineFeature, type FeatureContext } from '../../services/feature-kit/index.js';
import { DEFAULT_WORKING_HOURS } from '../../services/working-hours/index.js';
import type { SignalSettings } from '../../spec/signal-detector.js';
import { type AlertSettings, createAlerts, resolveAlertSettings } from './alerts-api.js';
import { migrations } from './migrations/index.js';
import * as tables from './schema.js';

type FailedBuilds = { failedOnPullRequests(since: number): Promise<{ pullRequest: string; commitSha: string; workflows: string[] }[]> };

/** Personal alerts (docs/people-health.md#personal-alerts): what was sent, who turned them off; a person's go when they are erased. */
export const alertsFeature = defineFeature({
  name: 'alerts',
  migrations,
  tables,
  api: (context: FeatureContext<{ alerts?: AlertSettings; signalSettings?: SignalSettings }, { builds: FailedBuilds }>) => {
    const redact = freeTextRedactor(context.policy.piiRedaction);
    return createAlerts({
      store: context.store,
      workspace: context.workspace,
      clock: context.writeClock,
      settings: context.options.alerts,
      workingHours: { ...DEFAULT_WORKING_HOURS, ...context.options.signalSettings?.workingHours },
      propose: (proposal) =>
        context.actions.propose(
          typeof proposal.params?.text === 'string'
            ? { ...proposal, params: { ...proposal.params, text: redact(proposal.params.text) } }
            : proposal,
        ),
      failedBuilds: (since) => context.facade().builds.failedOnPullRequests(since),
    });
  },
  hooks: {
    checkOptions(options) {
      resolveAlertSettings(options.alerts);
    },
    person: {
      async erase(tx, { workspace, person }) {
        await tx.execute({ sql: 'DELETE FROM alerts_sent WHERE workspace = ? AND recipient = ?', args: [workspace, person] });
        await tx.execute({ sql: 'DELETE FROM alerts_muted WHERE workspace = ? AND person_id = ?', args: [workspace, person] });
        return {};
      },
    },
  },
});
