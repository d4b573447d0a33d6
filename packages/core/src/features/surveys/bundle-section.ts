import { toRow } from '../../kernel/store/table-spec.js';
import { upsertRows } from '../../kernel/store/upsert.js';
import type { BundleSection } from '../../records/feature.js';
import type { SurveyResponseRow } from './schema.js';
import { surveyResponseFromRow, surveyResponseToRow } from './survey-rows.js';
import { surveyResponsesSpec } from './table-specs.js';

/** The bundle's `surveyResponses`: one answer per pull request and person. */
export const surveyResponsesSection: BundleSection<'surveyResponses'> = {
  list: 'surveyResponses',
  tables: ['survey_responses'],
  references: (answer) => [
    { kind: 'work item', id: answer.pullRequest, path: 'pullRequest' },
    { kind: 'person', id: answer.person, path: 'person' },
  ],
  write: (tx, workspace, answers) =>
    upsertRows(
      tx,
      surveyResponsesSpec,
      answers.map((answer) => toRow(surveyResponsesSpec, surveyResponseToRow(workspace, answer))),
    ),
  async read(execute, workspace, person) {
    const { rows } = await execute(
      `SELECT ${surveyResponsesSpec.select()} FROM survey_responses WHERE workspace = ?1 ${person === undefined ? '' : 'AND person_id = ?2'} ORDER BY pull_request_id, person_id`,
      person === undefined ? [workspace] : [workspace, person],
    );
    return (rows as unknown as SurveyResponseRow[]).map(surveyResponseFromRow);
  },
};
