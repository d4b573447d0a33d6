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
      // What a message quotes (PR titles) is shown as the policy's `pii_redaction` says: its text and an email's subject.
      propose: (proposal) => {
        const params = { ...proposal.params };
        for (const key of ['text', 'subject'] as const) if (typeof params[key] === 'string') params[key] = redact(params[key]);
        return context.actions.propose({ ...proposal, params });
      },
      canPropose: (type) => context.actions.list().some((action) => action.type === type),
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
