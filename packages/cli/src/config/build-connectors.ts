import { demo } from '@teamstate/connectors/demo';
import { type Connector, TeamStateError } from '@teamstate/core';
import { configConnector } from './config-connector.js';
import type { LoadedConfig } from './load-config.js';

/** The connectors a config file asks for, in sync order: the config's own records first. */
export function buildConnectors(loaded: LoadedConfig): Connector[] {
  const connectors: Connector[] = [configConnector(loaded.config)];
  const { demo: demoOptions, ...others } = loaded.config.connectors ?? {};
  if (demoOptions) connectors.push(demo(demoOptions));
  for (const name of Object.keys(others)) {
    throw new TeamStateError(
      'invalid_config',
      `connectors.${name}: the ${name} connector is not part of this version of teamstate yet (remove the section, or import a teamstate.bundle/v1 file instead)`,
    );
  }
  return connectors;
}
