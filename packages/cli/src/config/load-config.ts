import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describeZodIssues, formatPath, TeamStateError, ValidationError, type ValidationIssue } from '@teamstate/core';
import { parse as parseYaml } from 'yaml';
import { type Config, configSchema, SECRET_KEYS } from './config-schema.js';

// Environment variables whose values are masked wherever they are used.
const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|KEY|AUTH|EMAIL|CREDENTIAL/i;

/** The values of environment variables whose names say they hold a secret: masked in every error message. */
export function secretValues(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env).flatMap(([name, value]) => (SECRET_NAME.test(name) && value ? [value] : []));
}

/** File names looked for, in order, in each folder from the working directory up. */
export const CONFIG_FILES = ['teamstate.config.yaml', 'teamstate.config.yml', 'teamstate.config.json'];

/** A loaded configuration and where it came from. */
export interface LoadedConfig {
  path: string;
  config: Config;
  /** The policy document (from the file it names, or inline), not yet validated. */
  policy?: unknown;
  /** Paths of values that came from `${ENV}` or sit under secret keys: masked in output. */
  secretPaths: string[];
}

/** Finds the config: `--config` if given, else the first CONFIG_FILES walking up from `cwd`. */
export function findConfig(explicit: string | undefined, cwd: string): string | undefined {
  if (explicit) {
    const path = resolve(cwd, explicit);
    if (!existsSync(path))
      throw new TeamStateError('invalid_config', `--config: ${explicit} does not exist (run \`teamstate init\` to create one)`);
    return path;
  }
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    for (const name of CONFIG_FILES) if (existsSync(join(dir, name))) return join(dir, name);
    if (dirname(dir) === dir) return undefined;
  }
}

// `${NAME}` is not valid YAML inside a flow map (`{ token: ${GITHUB_TOKEN} }`), so references are
// swapped for plain-scalar placeholders before parsing and resolved after.
const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const PLACEHOLDER = /__TSENV_([A-Za-z_][A-Za-z0-9_]*?)_TSENV__/g;

function parseDocument(path: string, what: string): unknown {
  const text = readFileSync(path, 'utf8').replace(REFERENCE, '__TSENV_$1_TSENV__');
  try {
    return path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new TeamStateError(
      'invalid_config',
      `${what} ${path} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`,
    );
  }
}

// Replaces ${NAME} in every string with the environment variable; a missing one is an error naming it.
function interpolate(
  value: unknown,
  env: NodeJS.ProcessEnv,
  path: PropertyKey[],
  issues: ValidationIssue[],
  secretPaths: string[],
): unknown {
  if (typeof value === 'string') {
    if (!value.includes('__TSENV_')) return value;
    return value.replace(PLACEHOLDER, (_, name: string) => {
      if (SECRET_NAME.test(name)) secretPaths.push(formatPath(path));
      const found = env[name];
      if (found === undefined || found === '') {
        issues.push({
          path: formatPath(path),
          message: `environment variable ${name} is not set (export ${name}=… or put it in your shell profile)`,
        });
        return '';
      }
      return found;
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => interpolate(item, env, [...path, i], issues, secretPaths));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, interpolate(item, env, [...path, key], issues, secretPaths)]),
    );
  }
  return value;
}

/**
 * Reads, interpolates and validates a config file. Every problem is reported with its path (and a
 * suggestion for an unknown key); nothing runs on an invalid config.
 * @throws ValidationError (code `invalid_config`)
 */
export function loadConfig(path: string, env: NodeJS.ProcessEnv): LoadedConfig {
  const raw = parseDocument(path, 'config file') ?? {};
  const issues: ValidationIssue[] = [];
  const secretPaths: string[] = [];
  const interpolated = interpolate(raw, env, [], issues, secretPaths);
  const parsed = configSchema.safeParse(interpolated, { reportInput: true });
  if (!parsed.success) issues.push(...describeZodIssues(configSchema, parsed.error.issues));
  if (issues.length > 0 || !parsed.success) throw new ValidationError('invalid_config', `The config file ${path}`, issues);
  const config = parsed.data;
  let policy: unknown;
  if (typeof config.policy === 'string') {
    const policyPath = resolve(dirname(path), config.policy);
    if (!existsSync(policyPath))
      throw new TeamStateError('invalid_config', `policy: ${config.policy} does not exist (relative to ${dirname(path)})`);
    policy = parseDocument(policyPath, 'policy file');
  } else policy = config.policy;
  collectSecretKeys(config.connectors, ['connectors'], secretPaths);
  collectSecretKeys(config.mcp, ['mcp'], secretPaths);
  collectSecretKeys(config.database, ['database'], secretPaths);
  collectSecretKeys(config.knowledge, ['knowledge'], secretPaths);
  return { path, config, policy, secretPaths: [...new Set(secretPaths)] };
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
