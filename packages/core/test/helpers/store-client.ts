// A second process on the same database: `import <bundle.json>` or `people` (prints the ids it sees).
import { readFileSync } from 'node:fs';
import { createTeamState } from '@teamstate/core';

const [database, action, arg] = process.argv.slice(2);
const ts = await createTeamState({ database, workspace: 'shared' });
try {
  if (action === 'import') {
    const result = await ts.import(JSON.parse(readFileSync(arg!, 'utf8')));
    process.stdout.write(JSON.stringify(result));
  } else if (action === 'people') {
    process.stdout.write(JSON.stringify((await ts.people.list()).map((p) => p.id)));
  } else {
    throw new Error(`unknown action ${action}`);
  }
} finally {
  await ts.close();
}
