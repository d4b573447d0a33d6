// Shared set-up of the GitHub connector tests: the fake GitHub behind msw, the fixtures, a recording
// sleep (rate-limit waits of a minute must not take a minute), and a TeamState on an in-memory libSQL.
import { readFileSync } from 'node:fs';
import { github } from '@teamstate/connectors/github';
import {
  type Connector,
  createTeamState,
  type PolicyDocument,
  type SyncProgress,
  type TeamState,
  type TeamStateOptions,
} from '@teamstate/core';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { FakeGitHub, type FakeWorld, fakeGitHubHandlers } from './fake-github.js';

/** The tests' clock: the fixtures' activity ends on 2026-03-09. */
export const NOW = new Date('2026-03-10T12:00:00Z');

const fixturesDir = new URL('../__fixtures__/github/', import.meta.url);

/** A fixture from `test/__fixtures__/github/`. */
export function fixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, fixturesDir), 'utf8')) as T;
}

/** The fixture world (acme/api, acme/web, archived acme/legacy; organisation acme). */
export const world = (): FakeWorld => fixture<FakeWorld>('world.json');

/** The token the tests use (must never show up in errors or logs). */
export const TOKEN = 'ghp_TestTokenDoNotLog0123456789abcdef';

/** Waits asked for by the connector (instead of sleeping). */
export interface RecordedWaits {
  waits: number[];
  sleep: (ms: number) => Promise<void>;
}

/** A sleep that records and returns at once. */
export function recordingSleep(): RecordedWaits {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

/**
 * Mounts a fake GitHub at the network boundary for the current test file: `kit.fake` is a fresh fake
 * over the fixture world for each test.
 */
export function useFakeGitHub(origins: readonly string[] = ['https://api.github.com', 'https://ghe.acme.example']) {
  const kit = { fake: new FakeGitHub(world(), { now: () => NOW }) };
  const server = setupServer(...origins.flatMap((origin) => fakeGitHubHandlers(() => kit.fake, origin)));
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => {
    kit.fake = new FakeGitHub(world(), { now: () => NOW });
  });
  afterAll(() => server.close());
  return kit;
}

/** Options every test connector shares: the token and a recording sleep. */
export function testConnector(options: Parameters<typeof github>[0], waits = recordingSleep()): Connector {
  return github({ token: TOKEN, sleep: waits.sleep, ...options });
}

/** A TeamState on `:memory:` with the teams that own the fixture repositories. */
export async function openTeamState(
  connectors: Connector[],
  options: {
    policy?: PolicyDocument;
    clock?: () => Date;
    webhooks?: TeamStateOptions['webhooks'];
    signals?: TeamStateOptions['signals'];
  } = {},
): Promise<TeamState> {
  const ts = await createTeamState({ database: ':memory:', connectors, clock: () => NOW, ...options });
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: [
      { id: 'payments', name: 'Payments' },
      { id: 'web', name: 'Web' },
    ],
    repositories: [
      { id: 'acme/api', team: 'payments' },
      { id: 'acme/web', team: 'web' },
    ],
  });
  return ts;
}

/** The repositories' owners as the CLI passes them from the config. */
export const teamOfRepository = { 'acme/api': 'payments', 'acme/web': 'web' };

/** Runs a sync and collects its progress reports. */
export async function syncWithProgress(ts: TeamState, options: { signal?: AbortSignal } = {}) {
  const progress: SyncProgress[] = [];
  const result = await ts.sync({ ...options, onProgress: (p) => progress.push(p) });
  return { result, progress };
}
