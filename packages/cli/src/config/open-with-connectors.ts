import { demo } from '@teamstate/connectors/demo';
import type { ConnectorConfigContext } from '@teamstate/connectors/registry';
import type { Connector, TeamState, TeamStateOptions } from '@teamstate/core';
import type { Io } from '../io.js';
import { configFor, type GlobalOptions, type OpenMode, openTeamState } from '../runtime.js';
import { buildConnector, buildConnectors, type ConnectorSelection } from './build-connectors.js';
import type { LoadedConfig } from './load-config.js';

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
  if (!(await isDemoWorkspace(ts))) return ts;
  await ts.close();
  return openTeamState(globals, io, { ...extra, connectors: [demo()] }, mode);
}

/** True for a workspace the demo organisation was synced into (`teamstate demo`). */
export async function isDemoWorkspace(ts: TeamState): Promise<boolean> {
  const synced = await ts.store.execute("SELECT 1 FROM sync_cursors WHERE connector = 'demo' LIMIT 1");
  return synced.rows.length > 0;
}

/**
 * The connector that can run action type `type` here, built alone, as `[connector]`: the config's section named after
 * the type's first part (`connectors.github` for `github.pr.merge`), or, without a config, the demo's for `demo.*`
 * in a demo workspace (`demoWorkspace` tells). Empty when this process has none that declares the type.
 */
export async function connectorsForAction(
  loaded: LoadedConfig | undefined,
  type: string,
  demoWorkspace: () => Promise<boolean> = async () => false,
): Promise<Connector[]> {
  const name = type.split('.')[0]!;
  const connector = loaded ? await buildConnector(loaded, name) : name === 'demo' && (await demoWorkspace()) ? demo() : undefined;
  return connector?.actions?.some((action) => action.type === type) ? [connector] : [];
}
