import { describe, expect, it } from 'vitest';
import { mapWorkflowRun, type WorkflowRun } from '../src/github/sync/sync-workflow-runs.js';

const run = (status: string, conclusion: string | null): WorkflowRun => ({
  id: 7,
  head_sha: 'b'.repeat(40),
  status,
  conclusion,
  created_at: '2026-03-01T10:00:00Z',
  updated_at: '2026-03-01T10:09:00Z',
  run_started_at: '2026-03-01T10:00:30Z',
});

describe('mapWorkflowRun', () => {
  it('maps conclusions to deployment statuses and skips runs that deployed nothing', () => {
    expect(mapWorkflowRun(run('completed', 'success'), 'acme/api', 'production')).toEqual({
      id: 'gh-run-acme/api-7',
      repository: 'acme/api',
      environment: 'production',
      status: 'success',
      startedAt: '2026-03-01T10:00:30Z',
      finishedAt: '2026-03-01T10:09:00Z',
      sha: 'b'.repeat(40),
    });
    expect(mapWorkflowRun(run('completed', 'timed_out'), 'acme/api', 'production')?.status).toBe('failure');
    expect(mapWorkflowRun(run('completed', 'startup_failure'), 'acme/api', 'production')?.status).toBe('error');
    expect(mapWorkflowRun(run('in_progress', null), 'acme/api', 'production')?.status).toBe('in_progress');
    expect(mapWorkflowRun(run('completed', 'cancelled'), 'acme/api', 'production')).toBeUndefined();
    expect(mapWorkflowRun(run('completed', 'skipped'), 'acme/api', 'production')).toBeUndefined();
  });
});
