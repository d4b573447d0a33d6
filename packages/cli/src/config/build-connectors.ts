import { type Connector, TeamStateError } from '@teamstate/core';
import { configConnector } from './config-connector.js';
import { githubFromConfig } from './github-connector-config.js';
import type { LoadedConfig } from './load-config.js';

/** The connectors a config file asks for, in sync order: the config's own records first. */
export function buildConnectors(loaded: LoadedConfig): Connector[] {
  const connectors: Connector[] = [configConnector(loaded.config)];
  for (const name of Object.keys(loaded.config.connectors ?? {})) {
    if (name === 'github') {
      connectors.push(githubFromConfig(loaded.config));
      continue;
    }
    throw new TeamStateError(
      'invalid_config',
      `connectors.${name}: the ${name} connector is not part of this version of teamstate yet (remove the section, or import a teamstate.bundle/v1 file instead)`,
    );
  }
  return connectors;
}
