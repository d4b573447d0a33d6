import { specOf } from '../../kernel/store/table-spec.js';
import { signals } from './schema.js';

/** Bulk-writer spec of the signals table (retention archives resolved signals and restores them). */
export const signalsSpec = specOf(signals);
