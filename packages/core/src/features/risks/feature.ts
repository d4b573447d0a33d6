import { readingRules } from '../../records/identity/viewer.js';
import { defineFeature, type FeatureContext } from '../../services/feature-kit/index.js';
import { wellbeingKinds } from '../../services/wellbeing/index.js';
import type { SignalDetector } from '../../spec/signal-detector.js';
import { risksSection } from './bundle-section.js';
import { migrations } from './migrations/index.js';
import { createRiskActions } from './risk-actions.js';
import { riskApprovalsForViewer } from './risk-reading.js';
import { createRisksApi } from './risks-api.js';
import * as tables from './schema.js';

/**
 * The risk register: the bundle's `risks`. An erased person's risks stay (they are the team's), owned by their
 * pseudonym.
 */
export const risksFeature = defineFeature({
  name: 'risks',
  migrations,
  tables,
  perReader: true,
  hooks: {
    actionTypes: (store, options: { signals?: readonly SignalDetector[] }, policy) =>
      createRiskActions(store, { wellbeingKinds: wellbeingKinds(options.signals), rules: readingRules(policy) }),
    approvalsFor: (context, approvals) =>
      riskApprovalsForViewer(context.store, context.workspace, context.reading, wellbeingKinds(context.options.signals), approvals),
    person: {
      async erase(tx, { workspace, person, pseudonym }) {
        const { rowsAffected } = await tx.execute({
          sql: 'UPDATE risks SET owner_id = ? WHERE workspace = ? AND owner_id = ?',
          args: [pseudonym, workspace, person],
        });
        return { risksReassigned: rowsAffected };
      },
    },
  },
  api: (context: FeatureContext<{ signals?: readonly SignalDetector[] }>) =>
    createRisksApi({
      store: context.store,
      workspace: context.workspace,
      propose: (proposal) => context.actions.propose(proposal),
      reading: context.reading,
      wellbeingKinds: wellbeingKinds(context.options.signals),
      rules: readingRules(context.policy.document),
    }),
  bundle: { lists: [risksSection] },
});
