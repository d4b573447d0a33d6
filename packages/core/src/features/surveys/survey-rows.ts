import type { SurveyResponse } from '../../kernel/model/survey.js';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import { compact } from '../../kernel/store/row-mapping.js';
import { flag, ms, opt } from '../../records/store/records.js';
import type { SurveyResponseInsert, SurveyResponseRow } from './schema.js';

/** Maps a survey answer to its `survey_responses` row. */
export const surveyResponseToRow = (w: string, answer: SurveyResponse): SurveyResponseInsert => ({
  workspace: w,
  pullRequestId: answer.pullRequest,
  personId: answer.person,
  role: answer.role,
  assisted: answer.assisted,
  tools: answer.tools === undefined ? null : JSON.stringify(answer.tools),
  quality: answer.quality,
  guess: flag(answer.guess),
  respondedAt: ms(answer.respondedAt)!,
});
/** Maps a `survey_responses` row. */
export const surveyResponseFromRow = (row: SurveyResponseRow): SurveyResponse =>
  compact({
    pullRequest: row.pullRequestId,
    person: row.personId,
    role: row.role,
    assisted: opt(row.assisted),
    tools: row.tools === null ? undefined : (JSON.parse(row.tools) as string[]),
    quality: opt(row.quality),
    guess: row.guess === null ? undefined : row.guess === 1,
    respondedAt: formatTimestamp(row.respondedAt),
  });
