import { ValidationError } from '../../kernel/errors.js';
import { describeZodIssues } from '../../kernel/model/zod-issues.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, text } from '../../kernel/store/row-decoder.js';
import { toRow } from '../../kernel/store/table-spec.js';
import { upsertRows } from '../../kernel/store/upsert.js';
import { type Absence, absenceSchema } from './absence-model.js';
import { absencesSpec } from './table-specs.js';

const personRow = columns({ id: text });

/**
 * Stores the absences declared in configuration (`absences[]`), replacing a stored one with the same person and first
 * day; refused whole, naming the element, when one is not an absence or names an unknown person.
 */
export async function storeDeclaredAbsences(store: Store, workspace: string, absences: readonly Absence[]): Promise<void> {
  const issues = absences.flatMap((absence, i) => {
    const parsed = absenceSchema.safeParse(absence);
    return parsed.success
      ? []
      : describeZodIssues(absenceSchema, parsed.error.issues).map((issue) => ({
          ...issue,
          path: `absences[${i}]${issue.path ? `.${issue.path}` : ''}`,
        }));
  });
  if (issues.length > 0) throw new ValidationError('invalid_config', 'absences', issues);
  const people = new Set(
    personRow.all((await store.execute('SELECT id FROM people WHERE workspace = ?', [workspace])).rows).map((row) => row.id),
  );
  const unknown = absences.flatMap((absence, i) =>
    people.has(absence.person) ? [] : [{ path: `absences[${i}].person`, message: `unknown person "${absence.person}"` }],
  );
  if (unknown.length > 0) throw new ValidationError('invalid_config', 'absences', unknown);
  await store.write(async (tx) => {
    await upsertRows(
      tx,
      absencesSpec,
      absences.map((a) => toRow(absencesSpec, { workspace, personId: a.person, fromDay: a.from, toDay: a.to })),
    );
  });
}
