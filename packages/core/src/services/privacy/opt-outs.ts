import { TeamStateError } from '../../kernel/errors.js';
import type { Logger } from '../../kernel/logger.js';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, integer, text, textOf } from '../../kernel/store/row-decoder.js';
import { checkKnown, invalid } from '../../records/arguments.js';
import { erasedKeys, personKey } from '../../records/identity/erasures.js';

/** What a person can opt out of: reminders to write their report, surveys, wellbeing signals about them, and the leaderboard. */
export const OPT_OUT_KINDS = ['reminders', 'surveys', 'wellbeing', 'leaderboard'] as const;
/** One of {@link OPT_OUT_KINDS}. */
export type OptOutKind = (typeof OPT_OUT_KINDS)[number];

/** A stored opt-out: `source` is `config` (declared in `people[].optOut`) or `person` (`teamstate people opt-out`). */
export interface OptOut {
  person: string;
  kind: OptOutKind;
  source: 'config' | 'person';
  since: string;
}

/** Opt-outs declared in configuration: person id to kinds (`people[].optOut` of `teamstate.config.yaml`). */
export type DeclaredOptOuts = Readonly<Record<string, readonly OptOutKind[]>>;

const personRow = columns({ person_id: text });
const optOutRow = columns({ person_id: text, kind: textOf<OptOutKind>(), source: textOf<OptOut['source']>(), created_at: integer });
const declaredRow = columns({ person_id: text, kind: text });

/** The kind argument, or one message naming it and what it may be. */
export function optOutKind(kind: unknown): OptOutKind {
  if (typeof kind === 'string' && (OPT_OUT_KINDS as readonly string[]).includes(kind)) return kind as OptOutKind;
  throw invalid(`kind: expected one of ${OPT_OUT_KINDS.join('|')}, got ${JSON.stringify(kind)}`);
}

/** The people who opted out of `kind`, from any source. */
export async function optedOut(store: Pick<Store, 'execute'>, workspace: string, kind: OptOutKind): Promise<Set<string>> {
  const { rows } = await store.execute('SELECT DISTINCT person_id FROM person_opt_outs WHERE workspace = ? AND kind = ?', [
    workspace,
    kind,
  ]);
  return new Set(personRow.all(rows).map((row) => row.person_id));
}

/** `ts.people.optOut|optIn|optOuts`, and the config's declared opt-outs written at open. */
export function createOptOuts(deps: { store: Store; workspace: string; clock: () => Date }) {
  const { store, workspace, clock } = deps;
  return {
    /**
     * Records that a person does not want `kind` (`reminders`, `surveys`, `wellbeing`, `leaderboard`); idempotent. Wellbeing signals
     * about them are dropped at the next refresh.
     * @example await ts.people.optOut('ana', 'wellbeing')
     */
    async optOut(person: string, kind: OptOutKind): Promise<OptOut> {
      const checked = optOutKind(kind);
      await checkKnown(store.execute, workspace, 'person', person);
      await store.execute(
        `INSERT INTO person_opt_outs (workspace, person_id, kind, source, created_at) VALUES (?, ?, ?, 'person', ?)
         ON CONFLICT (workspace, person_id, kind, source) DO NOTHING`,
        [workspace, person, checked, clock().getTime()],
      );
      return (await this.optOuts({ person })).find((o) => o.kind === checked && o.source === 'person')!;
    },
    /**
     * Takes back a person's opt-out of `kind`. One declared in the config stays until it is removed there, and is
     * refused with a message saying so.
     */
    async optIn(person: string, kind: OptOutKind): Promise<{ person: string; kind: OptOutKind; removed: boolean }> {
      const checked = optOutKind(kind);
      await checkKnown(store.execute, workspace, 'person', person);
      const declared = await store.execute(
        "SELECT 1 FROM person_opt_outs WHERE workspace = ? AND person_id = ? AND kind = ? AND source = 'config'",
        [workspace, person, checked],
      );
      if (declared.rows.length > 0)
        throw new TeamStateError(
          'invalid_argument',
          `kind: ${person}'s opt-out of ${checked} is declared in the config (people[].optOut); remove it there to opt back in`,
        );
      const result = await store.execute(
        "DELETE FROM person_opt_outs WHERE workspace = ? AND person_id = ? AND kind = ? AND source = 'person'",
        [workspace, person, checked],
      );
      return { person, kind: checked, removed: result.rowsAffected > 0 };
    },
    /** Opt-outs, of one person or everyone, by person and kind. */
    async optOuts(query: { person?: string } = {}): Promise<OptOut[]> {
      await checkKnown(store.execute, workspace, 'person', query.person);
      const { rows } = await store.execute(
        `SELECT person_id, kind, source, created_at FROM person_opt_outs WHERE workspace = ?${query.person === undefined ? '' : ' AND person_id = ?'}
         ORDER BY person_id, kind, source`,
        query.person === undefined ? [workspace] : [workspace, query.person],
      );
      return optOutRow.all(rows).map((row) => ({
        person: row.person_id,
        kind: row.kind,
        source: row.source,
        since: formatTimestamp(row.created_at),
      }));
    },
  };
}

/** `ts.people`'s opt-out methods. */
export type OptOuts = ReturnType<typeof createOptOuts>;

/**
 * Makes the stored config opt-outs what the config declares (one transaction, only when they differ): added ones
 * are stored, ones no longer declared removed. Kinds are checked, naming the person. A person who was erased is left
 * out, with a warning naming the config entry to remove: their id must not come back, not even in an opt-out.
 */
export async function storeDeclaredOptOuts(
  store: Store,
  workspace: string,
  declared: DeclaredOptOuts,
  now: number,
  log: Pick<Logger, 'warn'>,
): Promise<void> {
  const wanted = new Set<string>();
  const erased = await erasedKeys(
    { execute: (statement) => store.execute(statement.sql, statement.args) },
    workspace,
    Object.keys(declared).map(personKey),
  );
  for (const [person, kinds] of Object.entries(declared)) {
    kinds.forEach((kind, i) => {
      if (!(OPT_OUT_KINDS as readonly string[]).includes(kind))
        throw new TeamStateError(
          'invalid_config',
          `people[${JSON.stringify(person)}].optOut[${i}]: expected one of ${OPT_OUT_KINDS.join('|')}, got ${JSON.stringify(kind)}`,
        );
    });
    if (erased.has(personKey(person))) {
      log.warn(
        `people[${JSON.stringify(person)}].optOut: ${person} was erased, so their opt-outs are not stored; remove them from the config`,
      );
      continue;
    }
    for (const kind of kinds) wanted.add(JSON.stringify([person, kind]));
  }
  const read = async () => {
    const { rows } = await store.execute("SELECT person_id, kind FROM person_opt_outs WHERE workspace = ? AND source = 'config'", [
      workspace,
    ]);
    return new Set(declaredRow.all(rows).map((row) => JSON.stringify([row.person_id, row.kind])));
  };
  const stored = await read();
  if (stored.size === wanted.size && [...wanted].every((key) => stored.has(key))) return;
  await store.write(async (tx) => {
    await tx.execute({ sql: "DELETE FROM person_opt_outs WHERE workspace = ? AND source = 'config'", args: [workspace] });
    for (const key of wanted) {
      const [person, kind] = JSON.parse(key) as [string, string];
      await tx.execute({
        sql: "INSERT INTO person_opt_outs (workspace, person_id, kind, source, created_at) VALUES (?, ?, ?, 'config', ?)",
        args: [workspace, person, kind, now],
      });
    }
  });
}
