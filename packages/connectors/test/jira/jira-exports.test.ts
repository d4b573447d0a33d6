import * as jiraEntry from '@teamstate/connectors/jira';
import { describe, expect, it } from 'vitest';

describe('@teamstate/connectors/jira public surface', () => {
  it('exports the factory, its error, the create label and the issue cursor name, and nothing else', () => {
    expect(Object.keys(jiraEntry).sort()).toEqual(['JiraRequestError', 'idempotencyLabel', 'issuesCursor', 'jira']);
  });
});
