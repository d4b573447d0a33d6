import type { Store } from '../../kernel/store/open-store.js';
import { columns, nullable, text } from '../../kernel/store/row-decoder.js';
import { invalid, unknownId } from '../arguments.js';

const personZone = columns({ time_zone: nullable(text) });
const personId = columns({ id: text });

/** The person's time zone, or an `unknown person` error that suggests known ids. */
export async function personTimeZone(store: Store, workspace: string, person: unknown): Promise<string> {
  if (typeof person !== 'string' || person === '') throw invalid('person: expected a person id');
  const { rows } = await store.execute('SELECT time_zone FROM people WHERE workspace = ? AND id = ?', [workspace, person]);
  const found = personZone.first(rows);
  if (found) return found.time_zone ?? 'UTC';
  const known = await store.execute('SELECT id FROM people WHERE workspace = ? ORDER BY id', [workspace]);
  throw unknownId(
    'person',
    person,
    personId.all(known.rows).map((row) => row.id),
  );
}
