import { TeamStateError } from '../../kernel/errors.js';
import { parseTimestamp } from '../../kernel/model/timestamp.js';
import type { Transaction } from '../../kernel/store/driver.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, text } from '../../kernel/store/row-decoder.js';
import type { KnowledgeOwnersInput, KnowledgeSource, KnownKnowledgeDocument } from '../../spec/knowledge-source.js';
import { parseCodeowners } from './codeowners.js';
import { contentHash, documentId } from './knowledge-index.js';

/** A stored CODEOWNERS file: what tells whether a new read of it changed. */
export interface StoredOwners {
  known: KnownKnowledgeDocument;
  fingerprint: string;
}

const fingerprint = (input: { repository: string; path: string; version: string; contentHash: string }) =>
  JSON.stringify([input.repository, input.path, input.version, input.contentHash]);

const storedFile = columns({ id: text, uri: text, repository: text, path: text, version: text, content_hash: text });

/** The CODEOWNERS files a source stored before, by id. */
export async function storedOwners(store: Store, workspace: string, origin: string): Promise<Map<string, StoredOwners>> {
  const { rows } = await store.execute(
    'SELECT id, uri, repository, path, version, content_hash FROM knowledge_codeowners WHERE workspace = ? AND origin = ?',
    [workspace, origin],
  );
  return new Map(
    storedFile.all(rows).map((row) => {
      const stored = { repository: row.repository, path: row.path, version: row.version, contentHash: row.content_hash };
      return [
        row.id,
        { known: { uri: row.uri, version: stored.version, contentHash: stored.contentHash }, fingerprint: fingerprint(stored) },
      ];
    }),
  );
}

/** A CODEOWNERS file checked and parsed, ready to be written (or recognised as unchanged by its fingerprint). */
export function prepareOwners(workspace: string, source: KnowledgeSource, input: KnowledgeOwnersInput, now: number) {
  const where = `knowledge source ${source.id}: CODEOWNERS`;
  if (typeof input !== 'object' || input === null || typeof input.uri !== 'string' || input.uri.trim() === '')
    throw new TeamStateError('invalid_argument', `${where}: uri: required (the file's URL)`);
  for (const field of ['repository', 'path', 'content'] as const)
    if (typeof input[field] !== 'string')
      throw new TeamStateError('invalid_argument', `${where} ${input.uri}: ${field}: expected a string`);
  const updatedAt = typeof input.updatedAt === 'number' ? input.updatedAt : parseTimestamp(String(input.updatedAt));
  if (updatedAt === undefined || !Number.isFinite(updatedAt))
    throw new TeamStateError('invalid_argument', `${where} ${input.uri}: updatedAt: expected an ISO 8601 timestamp or epoch milliseconds`);
  const hash = contentHash(input.content);
  const row = {
    workspace,
    id: documentId(source, input.uri),
    origin: source.id,
    uri: input.uri,
    repository: input.repository,
    path: input.path,
    version: input.version ?? hash,
    contentHash: hash,
    rules: JSON.stringify(parseCodeowners(input.content)),
    updatedAt,
    indexedAt: now,
  };
  return { row, fingerprint: fingerprint(row) };
}

/** Writes (or replaces) a CODEOWNERS file in the open transaction. */
export async function writeOwners(tx: Transaction, row: ReturnType<typeof prepareOwners>['row']): Promise<void> {
  await tx.execute({
    sql: `INSERT INTO knowledge_codeowners (workspace, id, origin, uri, repository, path, version, content_hash, rules, updated_at, indexed_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (workspace, id) DO UPDATE SET origin = excluded.origin, uri = excluded.uri, repository = excluded.repository,
            path = excluded.path, version = excluded.version, content_hash = excluded.content_hash, rules = excluded.rules,
            updated_at = excluded.updated_at, indexed_at = excluded.indexed_at`,
    args: [
      row.workspace,
      row.id,
      row.origin,
      row.uri,
      row.repository,
      row.path,
      row.version,
      row.contentHash,
      row.rules,
      row.updatedAt,
      row.indexedAt,
    ],
  });
}

/** Removes CODEOWNERS files by id, in the open transaction. */
export async function removeOwners(tx: Transaction, workspace: string, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 200) {
    const slice = ids.slice(i, i + 200);
    await tx.execute({
      sql: `DELETE FROM knowledge_codeowners WHERE workspace = ? AND id IN (${slice.map(() => '?').join(', ')})`,
      args: [workspace, ...slice],
    });
  }
}
