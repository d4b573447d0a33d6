import { defineConfig } from 'tsup';
import { declarations } from '../../scripts/declarations.js';

const entry = {
  'demo/index': 'src/demo/index.ts',
  'github/index': 'src/github/index.ts',
  'bitbucket/index': 'src/bitbucket/index.ts',
  'gitlab/index': 'src/gitlab/index.ts',
  'circleci/index': 'src/circleci/index.ts',
  'opsgenie/index': 'src/opsgenie/index.ts',
  'jira/index': 'src/jira/index.ts',
  'pagerduty/index': 'src/pagerduty/index.ts',
  'statuspage/index': 'src/statuspage/index.ts',
  'email/index': 'src/email/index.ts',
  'confluence/index': 'src/confluence/index.ts',
  'slack/index': 'src/slack/index.ts',
  'linear/index': 'src/linear/index.ts',
  'registry/index': 'src/registry/index.ts',
};

export default defineConfig({
  entry,
  format: ['esm'],
  dts: declarations(entry),
  sourcemap: true,
  clean: true,
  target: 'node22',
});
