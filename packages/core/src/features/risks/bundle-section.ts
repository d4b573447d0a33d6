import { type BundleRisk, bundleRiskSchema } from '../../kernel/model/team-risk.js';
import { tableSection } from '../../records/bundle/table-section.js';
import { riskFromRow, riskToRow } from './risk-rows.js';
import { risksSpec } from './table-specs.js';

/** The bundle's `risks`: the risk register; a person's export holds the risks they own. */
export const risksSection = tableSection({
  list: 'risks',
  element: bundleRiskSchema,
  spec: risksSpec,
  orderBy: 'id',
  personColumn: 'owner_id',
  references: (risk) => [
    { kind: 'team', id: risk.team, path: 'team' },
    { kind: 'person', id: risk.owner, path: 'owner' },
  ],
  toRow: (workspace, risk) => riskToRow(workspace, risk),
  fromRow: (row): BundleRisk => riskFromRow(row),
});
