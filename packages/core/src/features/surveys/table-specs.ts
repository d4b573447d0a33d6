import { specOf } from '../../kernel/store/table-spec.js';
import { surveyResponses } from './schema.js';

/** Bulk-writer spec of the survey answers table. */
export const surveyResponsesSpec = specOf(surveyResponses);
