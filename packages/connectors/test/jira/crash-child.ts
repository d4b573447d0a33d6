// The process a crash test kills: `node --import tsx crash-child.ts <database> <batches>` syncs the fake
// site into <database> and dies by SIGKILL right after that many batches were stored (a batch's commit
// reports progress), with the next search page already on its way. Like the CLI's subprocess tests, it
// runs against the built @teamstate/core.
import { createTeamState } from '@teamstate/core';
import { jira } from '../../src/jira/index.js';
import { createFakeJira } from './fake-jira.js';
import { NOW, testOptions } from './jira-test-setup-options.js';

const [database, batches] = process.argv.slice(2);
const fake = createFakeJira();
fake.listen();
let stored = 0;
const ts = await createTeamState({ database, connectors: [jira(testOptions())], clock: () => NOW });
await ts.import({ format: 'teamstate.bundle/v1', teams: [{ id: 'payments', name: 'Payments' }] });
await ts.sync({
  onProgress: (progress) => {
    // A stored batch reports progress without a phase.
    if (progress.phase === undefined && progress.waitingMs === undefined && ++stored === Number(batches))
      process.kill(process.pid, 'SIGKILL');
  },
});
process.stdout.write('finished without crashing\n');
