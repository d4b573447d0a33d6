import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { connectorRegistry } from '@teamstate/connectors/registry';
import { describeZodIssues, formatPath, TeamStateError, ValidationError, type ValidationIssue } from '@teamstate/core';
import { yaml } from '../yaml.js';
import { CONFIG_FILES, configAbove } from './config-files.js';
import { type Config, configSchema, SECRET_KEYS } from './config-schema.js';
import { knowledgeGithubIssues } from './config-schema-knowledge.js';
import { describeParseError } from './parse-error.js';

// Environment variables whose values are masked wherever they are used.
const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|KEY|AUTH|EMAIL|CREDENTIAL/i;

/** The values of environment variables whose names say they hold a secret: masked in every error message. */
export function secretValues(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env).flatMap(([name, value]) => (SECRET_NAME.test(name) && value ? [value] : []));
}

/** File names looked for, in order, in each folder from the working directory up. */
export { CONFIG_FILES };

/** An environment variable a config key references that is not set. */
export interface UnsetVariable {
  /** The variable's name (`JIRA_API_TOKEN`). */
  variable: string;
  /** The config key that uses it (`connectors.jira.apiToken`). */
  key: string;
}

/** A loaded configuration and where it came from. */
export interface LoadedConfig {
  path: string;
  /** The validated config, without the parts left out for an unset variable (see `unresolved`). */
  config: Config;
  /** The policy document (from the file it names, or inline), not yet validated. */
  policy?: unknown;
  /** The policy file's text, when `policy` names a file: what version 1 of the approved policy stores. */
  policyText?: string;
  /** Paths of values that came from `${ENV}` or sit under secret keys: masked in output. */
  secretPaths: string[];
  /**
   * The parts of the config that only some commands use (`connectors.<name>`, `knowledge.confluence`,
   * `knowledge.embedder`, `mcp.token`) left out of `config` because a variable they reference is not set, with those
   * variables. A command that needs one asks for it ({@link requireResolved}); the others run without it.
   */
  unresolved?: Readonly<Record<string, readonly UnsetVariable[]>>;
}

/** Finds the config: `--config` if given, else the first CONFIG_FILES walking up from `cwd`. */
export function findConfig(explicit: string | undefined, cwd: string): string | undefined {
  if (explicit) {
    const path = resolve(cwd, explicit);
    if (!existsSync(path))
      throw new TeamStateError('invalid_config', `--config: ${explicit} does not exist (run \`teamstate init\` to create one)`);
    return path;
  }
  return configAbove(cwd);
}

// `${NAME}` is not valid YAML inside a flow map (`{ token: ${GITHUB_TOKEN} }`), so references are
// swapped for plain-scalar placeholders before parsing and resolved after.
const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const PLACEHOLDER = /__TSENV_([A-Za-z_][A-Za-z0-9_]*?)_TSENV__/g;

/** A config or policy file, parsed: a syntax error names the line and column, and shows that line with a caret. */
function parseDocument(path: string, what: string): unknown {
  const written = readFileSync(path, 'utf8');
  const text = written.replace(REFERENCE, '__TSENV_$1_TSENV__');
  try {
    return path.endsWith('.json') ? JSON.parse(text) : yaml().parse(text);
  } catch (error) {
    const placeholder = (reference: string) => reference.replace(REFERENCE, '__TSENV_$1_TSENV__');
    throw new TeamStateError(
      'invalid_config',
      `${what} ${path} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${describeParseError(error, written, text, placeholder)}`,
    );
  }
}

/** A `${NAME}` that is not set, where it is used. */
interface Unset {
  variable: string;
  path: PropertyKey[];
}

// Replaces ${NAME} in every string with the environment variable; a missing one is recorded in `unset` (and left empty).
function interpolate(value: unknown, env: NodeJS.ProcessEnv, path: PropertyKey[], unset: Unset[], secretPaths: string[]): unknown {
  if (typeof value === 'string') {
    if (!value.includes('__TSENV_')) return value;
    return value.replace(PLACEHOLDER, (_, name: string) => {
      if (SECRET_NAME.test(name)) secretPaths.push(formatPath(path));
      const found = env[name];
      if (found === undefined || found === '') {
        unset.push({ variable: name, path });
        return '';
      }
      return found;
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => interpolate(item, env, [...path, i], unset, secretPaths));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, interpolate(item, env, [...path, key], unset, secretPaths)]),
    );
  }
  return value;
}

/**
 * The part of the config a key belongs to when only some commands use it: a connector (`connectors.jira`), a knowledge
 * source or the embedder (`knowledge.confluence`, `knowledge.embedder`), the MCP HTTP token (`mcp.token`). A variable
 * such a part references is resolved for the commands that use it, not for every command.
 */
export function lazySectionOf(path: readonly PropertyKey[]): string | undefined {
  const [top, second] = path;
  if (top === 'connectors' && typeof second === 'string' && Object.hasOwn(connectorRegistry, second)) return `connectors.${second}`;
  if (top === 'knowledge' && (second === 'confluence' || second === 'embedder')) return `knowledge.${second}`;
  if (top === 'mcp' && second === 'token') return 'mcp.token';
  // Only `serve --metrics` needs the metrics token.
  if (top === 'server' && second === 'metricsToken') return 'server.metricsToken';
  // Sign-in for the remote MCP endpoint: only `serve` needs its secret.
  if (top === 'auth') return 'auth';
  return undefined;
}

/** One problem per unset variable, at the first key that uses it (the others named in the message). */
function unsetIssues(unset: readonly UnsetVariable[]): ValidationIssue[] {
  const byVariable = new Map<string, string[]>();
  for (const { variable, key } of unset) {
    const keys = byVariable.get(variable) ?? [];
    if (!keys.includes(key)) keys.push(key);
    byVariable.set(variable, keys);
  }
  return [...byVariable].map(([variable, [key, ...others]]) => ({
    path: key!,
    message: `environment variable ${variable} is not set (export ${variable}=… or put it in your shell profile)${
      others.length > 0 ? `; also used by ${others.join(', ')}` : ''
    }`,
  }));
}

/** `key` is `at` or inside it (`connectors.jira.apiToken` is inside `connectors.jira`). */
const within = (key: string, at: string) => key === at || key.startsWith(`${at}.`) || key.startsWith(`${at}[`);

/**
 * Reads, interpolates and validates a config file. Every problem is reported with its path (and a
 * suggestion for an unknown key); nothing runs on an invalid config. A variable that is not set is one problem naming
 * it and the key that uses it; in a part only some commands use (see {@link lazySectionOf}) it is not a problem here:
 * that part is left out of `config` and listed in `unresolved`, for the commands that need it to report.
 * @throws ValidationError (code `invalid_config`)
 */
export function loadConfig(path: string, env: NodeJS.ProcessEnv): LoadedConfig {
  const raw = parseDocument(path, 'config file');
  // An empty file (or one of comments only) configures nothing: most likely not the file meant, or not written yet.
  if (raw === null || raw === undefined)
    throw new TeamStateError(
      'invalid_config',
      `${path} is empty: write the configuration there (\`teamstate init --force\` writes a starter one over it), or remove the file`,
    );
  const unset: Unset[] = [];
  const secretPaths: string[] = [];
  const interpolated = interpolate(raw, env, [], unset, secretPaths);
  const unresolved: Record<string, UnsetVariable[]> = {};
  const eager: UnsetVariable[] = [];
  for (const { variable, path: at } of unset) {
    const section = lazySectionOf(at);
    const entry = { variable, key: formatPath(at) };
    if (section === undefined) eager.push(entry);
    else unresolved[section] = [...(unresolved[section] ?? []), entry];
  }
  // A value left empty for an unset variable is reported as that variable, not again as empty; nor is its section.
  const unsetKeys = unset.map((u) => formatPath(u.path));
  const consequence = (key: string) => unsetKeys.some((at) => within(key, at)) || Object.keys(unresolved).includes(key);
  const parsed = configSchema.safeParse(interpolated, { reportInput: true });
  const issues = [
    ...unsetIssues(eager),
    ...(parsed.success ? [] : describeZodIssues(configSchema, parsed.error.issues).filter((issue) => !consequence(issue.path))),
    ...knowledgeGithubIssues(interpolated),
  ];
  if (issues.length > 0) throw new ValidationError('invalid_config', `The config file ${path}`, issues);
  const config =
    Object.keys(unresolved).length === 0 && parsed.success ? parsed.data : withoutSections(interpolated, Object.keys(unresolved), path);
  let policy: unknown;
  let policyText: string | undefined;
  if (typeof config.policy === 'string') {
    const policyPath = resolve(dirname(path), config.policy);
    if (!existsSync(policyPath))
      throw new TeamStateError('invalid_config', `policy: ${config.policy} does not exist (relative to ${dirname(path)})`);
    policy = parseDocument(policyPath, 'policy file');
    policyText = readFileSync(policyPath, 'utf8');
  } else policy = config.policy;
  collectSecretKeys(config.connectors, ['connectors'], secretPaths);
  collectSecretKeys(config.mcp, ['mcp'], secretPaths);
  collectSecretKeys(config.database, ['database'], secretPaths);
  collectSecretKeys(config.knowledge, ['knowledge'], secretPaths);
  return {
    path,
    config,
    policy,
    ...(policyText === undefined ? {} : { policyText }),
    secretPaths: [...new Set(secretPaths)],
    ...(Object.keys(unresolved).length > 0 ? { unresolved } : {}),
  };
}

/** The config without the parts whose variables are not set (`connectors.jira`, `mcp.token` …), validated. */
function withoutSections(interpolated: unknown, sections: readonly string[], path: string): Config {
  const copy = structuredClone(interpolated) as Record<string, Record<string, unknown> | undefined>;
  for (const section of sections) {
    // A section is a key of a top-level part (`connectors.jira`) or a whole one (`auth`).
    const [top, key] = section.split('.') as [string, string | undefined];
    if (key === undefined) delete copy[top];
    else delete copy[top]?.[key];
  }
  const parsed = configSchema.safeParse(copy, { reportInput: true });
  if (!parsed.success)
    throw new ValidationError('invalid_config', `The config file ${path}`, describeZodIssues(configSchema, parsed.error.issues));
  return parsed.data;
}

/**
 * Refuses to go on without these parts of the config (`connectors.jira`, `knowledge.embedder` …; see
 * {@link lazySectionOf}) when a variable they reference is not set: one problem per variable, naming it and the key that
 * uses it. Parts not configured at all, or resolved, pass.
 * @throws ValidationError (code `invalid_config`)
 */
export function requireResolved(loaded: LoadedConfig, sections: readonly string[]): void {
  const unset = sections.flatMap((section) => loaded.unresolved?.[section] ?? []);
  if (unset.length > 0) throw new ValidationError('invalid_config', `The config file ${loaded.path}`, unsetIssues(unset));
}

/** The parts of `sections` left out for an unset variable, each with a one-line warning naming its variables. */
export function unresolvedWarnings(loaded: LoadedConfig | undefined, sections?: readonly string[]): { section: string; warning: string }[] {
  return Object.entries(loaded?.unresolved ?? {})
    .filter(([section]) => sections === undefined || sections.includes(section))
    .map(([section, unset]) => {
      const variables = [...new Set(unset.map((u) => u.variable))];
      return {
        section,
        warning: `${section} is left out: environment variable${variables.length > 1 ? 's' : ''} ${variables
          .map(
            (variable) =>
              `${variable} (${unset
                .filter((u) => u.variable === variable)
                .map((u) => u.key)
                .join(', ')})`,
          )
          .join(
            ', ',
          )} ${variables.length > 1 ? 'are' : 'is'} not set; export ${variables.length > 1 ? 'them' : 'it'} and start again to use it`,
      };
    });
}

function collectSecretKeys(value: unknown, path: PropertyKey[], out: string[]): void {
  if (!value || typeof value !== 'object') return;
  for (const [key, item] of Object.entries(value)) {
    if (SECRET_KEYS.has(key) && typeof item === 'string') out.push(formatPath([...path, key]));
    else collectSecretKeys(item, [...path, key], out);
  }
}

/** The values of the config's secrets (tokens, webhook and signing secrets, the MCP token, `${ENV}` values), for the log redactor. */
export function configSecretValues(loaded: LoadedConfig | undefined): string[] {
  if (!loaded) return [];
  const secrets = new Set(loaded.secretPaths);
  const found: string[] = [];
  const walk = (value: unknown, path: PropertyKey[]): void => {
    if (secrets.has(formatPath(path)) && typeof value === 'string') found.push(value);
    else if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i]));
    else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
  };
  walk(loaded.config, []);
  return found;
}

/** A copy of the config with every secret replaced by a mask (safe to print). */
export function maskSecrets(config: Config, secretPaths: readonly string[]): unknown {
  const secrets = new Set(secretPaths);
  const walk = (value: unknown, path: PropertyKey[]): unknown => {
    if (secrets.has(formatPath(path))) return '********';
    if (Array.isArray(value)) return value.map((item, i) => walk(item, [...path, i]));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, [...path, k])]));
    return value;
  };
  return walk(config, []);
}
