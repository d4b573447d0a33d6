// The process a crash test kills: `node --import tsx crash-child.ts <database> <search page>` syncs the
// fake site into <database> and dies by SIGKILL when the sync asks for that search page, after the
// earlier pages were stored. Like the CLI's subprocess tests, it runs against the built @teamstate/core.
import { createTeamState } from '@teamstate/core';
import { jira } from '../../src/jira/index.js';
import { createFakeJira } from './fake-jira.js';
import { NOW, testOptions } from './jira-test-setup-options.js';

const [database, page] = process.argv.slice(2);
const fake = createFakeJira();
fake.onRequest = (route, nth) => {
  if (route === 'search' && nth === Number(page)) process.kill(process.pid, 'SIGKILL');
};
fake.listen();
const ts = await createTeamState({ database, connectors: [jira(testOptions())], clock: () => NOW });
await ts.import({ format: 'teamstate.bundle/v1', teams: [{ id: 'payments', name: 'Payments' }] });
await ts.sync();
process.stdout.write('finished without crashing\n');
