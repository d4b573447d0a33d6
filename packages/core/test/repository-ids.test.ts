// Repository ids are `owner/name`, or a GitLab project's path in a subgroup (`group/subgroup/name`).
import { describe, expect, it } from 'vitest';
import { createTeamState } from '../src/index.js';

describe('repository ids', () => {
  it('accepts a GitLab subgroup path and keeps it through import and export', async () => {
    const ts = await createTeamState({ database: ':memory:' });
    await ts.import({
      format: 'teamstate.bundle/v1',
      teams: [{ id: 'api', name: 'API' }],
      repositories: [{ id: 'acme/platform/api', team: 'api' }],
    });
    expect((await ts.export()).repositories).toEqual([{ id: 'acme/platform/api', team: 'api' }]);
    await ts.close();
  });

  it.each(['tools', 'acme//api', 'acme/api/', '/acme/api', 'acme/my api'])('refuses %j, naming the field and the form', async (id) => {
    const ts = await createTeamState({ database: ':memory:' });
    await expect(ts.import({ format: 'teamstate.bundle/v1', repositories: [{ id }] })).rejects.toThrow(
      'repositories[0].id: expected "owner/name" (or a GitLab "group/subgroup/name"), e.g. "acme/api"',
    );
    expect((await ts.export()).repositories).toEqual([]);
    await ts.close();
  });
});
