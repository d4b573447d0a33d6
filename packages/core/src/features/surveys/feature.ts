import { defineFeature, type FeatureContext } from '../../services/feature-kit/index.js';
import { surveyResponsesSection } from './bundle-section.js';
import { migrations } from './migrations/index.js';
import * as tables from './schema.js';
import { createSurveys, type SurveySettings } from './surveys-api.js';

/** Pull request surveys: the bundle's `surveyResponses`; a person's answers and pending surveys go when they are erased. */
export const surveysFeature = defineFeature({
  name: 'surveys',
  migrations,
  tables,
  api: (context: FeatureContext<{ surveys?: SurveySettings }>) =>
    createSurveys({ store: context.store, workspace: context.workspace, clock: context.writeClock, settings: context.options.surveys }),
  bundle: { lists: [surveyResponsesSection] },
  hooks: {
    person: {
      async erase(tx, { workspace, person }) {
        const run = async (sql: string) => (await tx.execute({ sql, args: [workspace, person] })).rowsAffected;
        const surveyResponses = await run('DELETE FROM survey_responses WHERE workspace = ? AND person_id = ?');
        await run('DELETE FROM surveys WHERE workspace = ? AND person_id = ?');
        return { surveyResponses };
      },
    },
  },
});
