import { type ConnectorConfigContext, type ConnectorRegistration, connectorRegistry } from '@teamstate/connectors/registry';
import { type Connector, TeamStateError } from '@teamstate/core';
import { configConnector } from './config-connector.js';
import { type LoadedConfig, requireResolved, unresolvedWarnings } from './load-config.js';

const registrations: Record<string, ConnectorRegistration | undefined> = connectorRegistry;

/** Which of the configured connectors a command builds. */
export interface ConnectorSelection {
  /**
   * Only these connectors, by their key under `connectors` (`['jira']`); default every configured one. Names not
   * configured are left out (check them against {@link configuredConnectors} to refuse them).
   */
  only?: readonly string[];
  /**
   * A selected connector whose section references a variable that is not set: by default one error naming each such
   * variable once; with a function, the connector is left out and the function gets one warning naming them (a
   * server that still serves reads).
   */
  onUnresolved?: (warning: string) => void;
}

/**
 * The connectors a config file configures, in sync order: `config` (its own records) first, then the demo organisation,
 * then the others; a connector whose secrets are not set is listed too.
 */
export function configuredConnectors(loaded: LoadedConfig): string[] {
  const names = new Set([
    ...Object.keys(loaded.config.connectors ?? {}),
    ...Object.keys(loaded.unresolved ?? {}).flatMap((section) =>
      section.startsWith('connectors.') ? [section.slice('connectors.'.length)] : [],
    ),
  ]);
  const order = Object.keys(connectorRegistry);
  return ['config', ...[...names].sort((a, b) => Number(b === 'demo') - Number(a === 'demo') || order.indexOf(a) - order.indexOf(b))];
}

/**
 * The connectors a config file asks for, in sync order: the config's own records first, then the demo
 * organisation, then the other sections. Each is built by its registration
 * (`@teamstate/connectors/registry`), which loads the connector's client library only when its section is there;
 * `extra` is what `serve` adds (how the Slack command is answered). `selection` says which (default all, and a missing
 * secret is an error).
 */
export async function buildConnectors(
  loaded: LoadedConfig,
  extra: Omit<ConnectorConfigContext, 'teams'> = {},
  selection: ConnectorSelection = {},
): Promise<Connector[]> {
  const connectors: Connector[] = [configConnector(loaded.config)];
  const sections: Partial<Record<string, unknown>> = loaded.config.connectors ?? {};
  const names = configuredConnectors(loaded).filter((name) => name !== 'config' && (!selection.only || selection.only.includes(name)));
  const unresolved = names.map((name) => `connectors.${name}`).filter((section) => loaded.unresolved?.[section]);
  if (selection.onUnresolved) for (const { warning } of unresolvedWarnings(loaded, unresolved)) selection.onUnresolved(warning);
  else requireResolved(loaded, unresolved);
  for (const name of names) {
    if (!unresolved.includes(`connectors.${name}`)) connectors.push(await buildSection(loaded, name, sections[name], extra));
  }
  return connectors;
}

/**
 * The one connector of the config's section `connectors.<name>`, built alone (a command that needs only it builds
 * no other), or `undefined` when the config has no such section or its secrets are not set.
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
  // `syncEvery` is the scheduler's (serve), not the connector's.
  const own =
    settings && typeof settings === 'object' && 'syncEvery' in settings
      ? Object.fromEntries(Object.entries(settings).filter(([key]) => key !== 'syncEvery'))
      : settings;
  try {
    return await registration.create(own, {
      ...extra,
      teams: loaded.config.teams ?? [],
      ...(loaded.config.server?.publicUrl ? { publicUrl: loaded.config.server.publicUrl } : {}),
      configured: Object.keys(loaded.config.connectors ?? {}),
    });
  } catch (error) {
    // A connector names its setting `<name>.<key>: …` or `<name>: …`; say where it is in the file.
    if (TeamStateError.isInstance(error) && (error.message.startsWith(`${name}.`) || error.message.startsWith(`${name}:`)))
      throw new TeamStateError(error.code, `${loaded.path}: connectors.${error.message}`, { cause: error });
    throw error;
  }
}
