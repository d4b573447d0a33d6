import { z } from 'zod';
import { TeamStateError } from '../../kernel/errors.js';
import type { PolicyMode, Risk } from '../../kernel/model/derived.js';
import { closest } from '../../kernel/model/suggest.js';
import type { ActionType } from '../../spec/action-type.js';
import type { Policy } from './policy/compile-policy.js';

const ACTION_TYPE_NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/** An action type as `ts.actions.list()` describes it, with what the policy says about it. */
export interface ActionInfo {
  type: string;
  description: string;
  /** The connector that contributes it. */
  connector: string;
  risk: Risk;
  mode: PolicyMode;
  readOnly: boolean;
  /** JSON Schema of the params. */
  params: Record<string, unknown>;
}

/** The action types a `TeamState` can propose and execute. */
export interface ActionCatalogue {
  /** The action type, or `undefined` when no configured connector contributes it. */
  find(type: string): ActionType | undefined;
  /** The action type, or an `unknown_action_type` error that suggests the closest name. */
  get(type: string): ActionType;
  describe(policy: Policy): ActionInfo[];
}

/** Where action types come from: a connector's id and its actions. */
export interface ActionSource {
  readonly id: string;
  readonly actions?: readonly ActionType[];
}

/**
 * Collects the configured connectors' action types, and teamstate's own (`builtin`: the risk register's), which can be
 * proposed like any other but are not listed by `describe()` (they are not a connector's); a malformed or duplicate
 * type is a configuration error.
 */
export function createActionCatalogue(connectors: readonly ActionSource[], builtin: readonly ActionSource[] = []): ActionCatalogue {
  const byType = new Map<string, { action: ActionType; connector: string }>();
  const own = new Set(builtin.flatMap((source) => (source.actions ?? []).map((action) => action.type)));
  for (const connector of [...connectors, ...builtin]) {
    for (const action of connector.actions ?? []) {
      if (!ACTION_TYPE_NAME.test(action.type)) {
        throw new TeamStateError(
          'invalid_config',
          `connectors: "${connector.id}" declares the action type "${action.type}", which is not a dotted lowercase name like "github.pr.merge"`,
        );
      }
      const other = byType.get(action.type);
      if (other) {
        throw new TeamStateError(
          'invalid_config',
          `connectors: "${other.connector}" and "${connector.id}" both declare the action type "${action.type}"`,
        );
      }
      byType.set(action.type, { action, connector: connector.id });
    }
  }
  return {
    find: (type) => byType.get(type)?.action,
    get(type) {
      const entry = byType.get(type);
      if (entry) return entry.action;
      const known = [...byType.keys()].sort();
      const suggestion = closest(type, known);
      const hint = suggestion
        ? ` (did you mean "${suggestion}"?)`
        : known.length
          ? ` (available: ${known.join(', ')})`
          : ' (no connector with actions is configured)';
      throw new TeamStateError('unknown_action_type', `type: unknown action type "${type}"${hint}`);
    },
    describe(policy) {
      return [...byType.values()]
        .filter(({ action }) => !own.has(action.type))
        .sort((a, b) => (a.action.type < b.action.type ? -1 : 1))
        .map(({ action, connector }) => {
          const ruling = policy.resolve(action);
          return {
            type: action.type,
            description: action.description,
            connector,
            risk: ruling.risk,
            mode: ruling.mode,
            readOnly: action.readOnly ?? false,
            params: z.toJSONSchema(action.params, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown>,
          };
        });
    },
  };
}
