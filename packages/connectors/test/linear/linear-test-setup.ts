import { type LinearOptions, linear } from '@teamstate/connectors/linear';
import { type Connector, createTeamState, type TeamState, type TeamStateOptions } from '@teamstate/core';

export const NOW = new Date('2026-03-18T10:00:00Z');
export const API_KEY = 'lin_api_TESTKEY0000000000000000000000000000000';
export const WEBHOOK_SECRET = 'lin_wh_test-secret-0123456789';

/** A Linear connector for the fake API: team PAY owned by payments, WEB by web; waits recorded, never slept. */
export const testConnector = (overrides: Partial<LinearOptions> = {}, waits: string[] = []): Connector =>
  linear({
    apiKey: API_KEY,
    teamOfLinearTeam: { PAY: 'payments' },
    webhookSecret: WEBHOOK_SECRET,
    sleep: async (ms, reason) => {
      waits.push(`${ms} ${reason}`);
    },
    ...overrides,
  });

/** A workspace with the Payments team and the given connector. */
export async function openWorkspace(connector: Connector, extra: Partial<TeamStateOptions> = {}): Promise<TeamState> {
  const ts = await createTeamState({ database: ':memory:', connectors: [connector], clock: () => NOW, ...extra });
  await ts.import({ format: 'teamstate.bundle/v1', teams: [{ id: 'payments', name: 'Payments' }] });
  return ts;
}
