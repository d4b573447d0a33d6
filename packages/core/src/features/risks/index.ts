// The risks feature's door: the facade's `ts.risks`, its action types and its definition.
export { risksFeature } from './feature.js';
export { checkRiskChange, createRiskActions, type RiskChangeResult, readRisk } from './risk-actions.js';
export { riskApprovalsForViewer } from './risk-reading.js';
export {
  createRisksApi,
  type RiskChange,
  type RiskChangeBy,
  type RiskInput,
  type RiskPatch,
  type RiskQuery,
  type Risks,
} from './risks-api.js';
