// The risks feature's public face: exactly the names @teamstate/core exports from it.
export type { RiskChange, RiskChangeBy, RiskInput, RiskPatch, RiskQuery, Risks } from './risks-api.js';
