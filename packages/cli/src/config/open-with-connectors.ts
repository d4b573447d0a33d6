import { demo } from '@teamstate/connectors/demo';
import type { ConnectorConfigContext } from '@teamstate/connectors/registry';
import type { TeamState, TeamStateOptions } from '@teamstate/core';
import type { Io } from '../io.js';
import { configFor, type GlobalOptions, type OpenMode, openTeamState } from '../runtime.js';
import { buildConnectors, type ConnectorSelection } from './build-connectors.js';

/**
 * The facade with the connectors whose actions may run here: the config's, or, for a database opened
 * without a config, the demo's when it is a demo workspace (so the approval the demo asks for runs, and
 * `demo.note.add` can be proposed, wherever the demo workspace is opened, e.g. `teamstate mcp --db …`). `selection`
 * says which of the config's connectors (default all; a missing secret is an error).
 */
export async function openWithConnectors(
  globals: GlobalOptions,
  io: Io,
  extra: Partial<TeamStateOptions> = {},
  mode: OpenMode = {},
  connectorContext: Omit<ConnectorConfigContext, 'teams'> = {},
  selection: ConnectorSelection = {},
): Promise<TeamState> {
  const loaded = configFor(globals, io);
  if (loaded) return openTeamState(globals, io, { ...extra, connectors: await buildConnectors(loaded, connectorContext, selection) }, mode);
  const ts = await openTeamState(globals, io, { ...extra, connectors: [] }, mode);
  const synced = await ts.store.execute("SELECT 1 FROM sync_cursors WHERE connector = 'demo' LIMIT 1");
  if (synced.rows.length === 0) return ts;
  await ts.close();
  return openTeamState(globals, io, { ...extra, connectors: [demo()] }, mode);
}
