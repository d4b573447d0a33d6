import { freeTextRedactor } from '../../kernel/text/redact-pii.js';
import { mayRead } from '../../records/identity/viewer.js';
import { defineFeature, type FeatureContext } from '../../services/feature-kit/index.js';
import { wellbeingKinds, withheldSignals } from '../../services/wellbeing/index.js';
import type { SignalDetector, SignalSettings } from '../../spec/signal-detector.js';
import { checkAgreements, createAgreementsApi } from './agreements-api.js';
import { migrations } from './migrations/index.js';
import { nudgeApprovalsForViewer } from './nudges.js';
import * as tables from './schema.js';

/** Working agreements: the nudges sent to a person go when they are erased. */
/** What working agreements read of the options: the detectors (their wellbeing kinds) and the working hours. */
type AgreementsContext = FeatureContext<{ signals?: readonly SignalDetector[]; signalSettings?: SignalSettings }>;

export const agreementsFeature = defineFeature({
  name: 'agreements',
  migrations,
  tables,
  hooks: {
    checkOptions: (options, policy) => checkAgreements(policy, options.signals ?? []),
    approvalsFor: (context, approvals) =>
      nudgeApprovalsForViewer(context.store, context.workspace, approvals, (fingerprints) =>
        withheldSignals(context.store, context.workspace, context.reading, wellbeingKinds(context.options.signals), fingerprints),
      ),
    person: {
      async erase(tx, { workspace, person }) {
        await tx.execute({ sql: 'DELETE FROM agreement_nudges WHERE workspace = ? AND recipient = ?', args: [workspace, person] });
        return {};
      },
    },
  },
  api(context: AgreementsContext) {
    const { store, workspace, options } = context;
    return createAgreementsApi(
      {
        store,
        workspace,
        clock: context.clock,
        log: context.log,
        actions: { list: context.actions.list, proposeAll: context.proposeAll },
        telemetry: context.telemetry,
        redact: freeTextRedactor(context.policy.piiRedaction),
        wellbeing: {
          kinds: wellbeingKinds(options.signals),
          mayRead: async (recipient, person) => mayRead(await context.readingOf({ person: recipient }).readable('wellbeing'), person),
        },
      },
      context.policy.document,
      options.signalSettings,
    );
  },
});
