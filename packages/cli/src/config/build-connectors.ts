import { type ConnectorConfigContext, type ConnectorRegistration, connectorRegistry } from '@teamstate/connectors/registry';
import { type Connector, TeamStateError } from '@teamstate/core';
import { configConnector } from './config-connector.js';
import type { LoadedConfig } from './load-config.js';

const registrations: Record<string, ConnectorRegistration | undefined> = connectorRegistry;

/**
 * The connectors a config file asks for, in sync order: the config's own records first, then the demo
 * organisation, then the sections in the file's order. Each is built by its registration
 * (`@teamstate/connectors/registry`), which loads the connector's client library only when its section is there;
 * `extra` is what `serve` adds (how the Slack command is answered).
 */
export async function buildConnectors(loaded: LoadedConfig, extra: Omit<ConnectorConfigContext, 'teams'> = {}): Promise<Connector[]> {
  const connectors: Connector[] = [configConnector(loaded.config)];
  const sections: Partial<Record<string, unknown>> = loaded.config.connectors ?? {};
  const names = Object.keys(sections).sort((a, b) => Number(b === 'demo') - Number(a === 'demo'));
  for (const name of names) connectors.push(await buildSection(loaded, name, sections[name], extra));
  return connectors;
}

/**
 * The one connector of the config's section `connectors.<name>`, built alone (a command that needs only it builds
 * no other), or `undefined` when the config has no such section.
 */
export async function buildConnector(loaded: LoadedConfig, name: string): Promise<Connector | undefined> {
  const sections: Partial<Record<string, unknown>> = loaded.config.connectors ?? {};
  return Object.hasOwn(sections, name) ? buildSection(loaded, name, sections[name], {}) : undefined;
}

async function buildSection(
  loaded: LoadedConfig,
  name: string,
  settings: unknown,
  extra: Omit<ConnectorConfigContext, 'teams'>,
): Promise<Connector> {
  const registration = registrations[name];
  if (!registration)
    throw new TeamStateError(
      'invalid_config',
      `connectors.${name}: the ${name} connector is not part of this version of teamstate yet (remove the section, or import a teamstate.bundle/v1 file instead)`,
    );
  try {
    return await registration.create(settings, { ...extra, teams: loaded.config.teams ?? [] });
  } catch (error) {
    // A connector names its setting `<name>.<key>: …` or `<name>: …`; say where it is in the file.
    if (TeamStateError.isInstance(error) && (error.message.startsWith(`${name}.`) || error.message.startsWith(`${name}:`)))
      throw new TeamStateError(error.code, `${loaded.path}: connectors.${error.message}`, { cause: error });
    throw error;
  }
}
