import { type BuiltinFeature, builtinFeatures } from './features/index.js';
import * as records from './records/schema.js';
import * as approvals from './services/approvals/schema.js';
import * as audit from './services/audit/schema.js';
import type { FeatureTables } from './services/feature-kit/index.js';
import * as privacy from './services/privacy/schema.js';
import * as spend from './services/spend/schema.js';

// Every table of the store: the shared records' (records/schema.ts), the services' (services/<name>/schema.ts) and
// each feature's (its definition's `tables`), exported as `tables` by `@teamstate/core/store`.

/** The tables of the built-in features, together. */
const featureTables = Object.assign({}, ...builtinFeatures().map((feature) => feature.tables ?? {})) as FeatureTables<BuiltinFeature>;

/** Every table of the store (drizzle tables), by the name its schema exports it under. */
export const tables = { ...records, ...approvals, ...audit, ...privacy, ...spend, ...featureTables };
