import { surveyResponseSchema } from '../../kernel/model/survey.js';
import { tableSection } from '../../records/bundle/table-section.js';
import { surveyResponseFromRow, surveyResponseToRow } from './survey-rows.js';
import { surveyResponsesSpec } from './table-specs.js';

/** The bundle's `surveyResponses`: one answer per pull request and person. */
export const surveyResponsesSection = tableSection({
  list: 'surveyResponses',
  element: surveyResponseSchema,
  spec: surveyResponsesSpec,
  orderBy: 'pull_request_id, person_id',
  references: (answer) => [
    { kind: 'work item', id: answer.pullRequest, path: 'pullRequest' },
    { kind: 'person', id: answer.person, path: 'person' },
  ],
  toRow: surveyResponseToRow,
  fromRow: surveyResponseFromRow,
});
