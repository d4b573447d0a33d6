import type { KnownKnowledgeSourceKind } from '../kernel/model/common.js';

/**
 * Where a knowledge document comes from: a built-in kind or any well-formed one a source declares (lowercase
 * letters, digits, `-`, `_`; checked by `knowledgeSourceKindSchema`).
 */
export type KnowledgeSourceKind = KnownKnowledgeSourceKind | (string & {});

/** One markdown document as a source reads it. */
export interface KnowledgeDocumentInput {
  /** A URL, or for local files their path; unique within the source. */
  uri: string;
  /** The markdown. */
  markdown: string;
  /** The title; default: the front matter's `title`, else the first H1, else the last part of `uri`. */
  title?: string;
  /** What the source calls this version (blob sha, page version); default: the sha256 of `markdown`. */
  version?: string;
  /** When the document last changed (epoch milliseconds or ISO 8601). */
  updatedAt: number | string;
  /** Who wrote it (a person id, or a login or email the workspace knows). */
  author?: string;
  repository?: string;
  space?: string;
  path?: string;
}

/**
 * A repository's CODEOWNERS file as a source reads it: evidence for `who_knows` (owners of the paths of matching
 * documents), never searched.
 */
export interface KnowledgeOwnersInput {
  /** The file's URL; unique within the source, like a document's. */
  uri: string;
  /** `owner/name`. */
  repository: string;
  /** Where the file is in the repository (`.github/CODEOWNERS`). */
  path: string;
  /** The file's text. */
  content: string;
  /** The blob sha; default: the sha256 of `content`. */
  version?: string;
  updatedAt: number | string;
}

/** What a source is told about a document (or CODEOWNERS file) it indexed before. */
export interface KnownKnowledgeDocument {
  uri: string;
  version: string;
  /** sha256 (hex) of the markdown indexed. */
  contentHash: string;
  /** The Confluence space it was put with, if any (a source that cannot read a space keeps that space's documents). */
  space?: string;
  /** The repository it was put with, if any. */
  repository?: string;
}

/** What {@link KnowledgeSource.sync} works with: the index as it stands, and the calls that change it. */
export interface KnowledgeSourceContext {
  /** The documents (and CODEOWNERS files) this source indexed before, by uri (to fetch only what changed). */
  known(): Promise<ReadonlyMap<string, KnownKnowledgeDocument>>;
  /** Indexes a document (new or changed); an identical one is left as it is, without a write. */
  put(document: KnowledgeDocumentInput): Promise<void>;
  /** Marks a document (or CODEOWNERS file) as still there and unchanged without reading it again (e.g. the same blob sha). */
  keep(uri: string): void;
  /**
   * Records a repository's CODEOWNERS file for `who_knows`; like `put`, an identical one costs no write, and one
   * neither put nor kept in a sync is removed when the sync succeeds.
   */
  putOwners(file: KnowledgeOwnersInput): Promise<void>;
  /** A value this source stored with `setCursor` in an earlier successful sync (an ETag, a cached branch name). */
  getCursor(key: string): Promise<string | undefined>;
  /** Stores a value for the next sync; saved only when this sync succeeds, so a failed sync never skips work later. */
  setCursor(key: string, value: string): void;
  /** A file or page that was skipped, and why (a warning naming it). */
  warn(message: string): void;
  progress(update: { phase?: string; done?: number; total?: number }): void;
  now(): Date;
  signal?: AbortSignal;
}

/**
 * A source of knowledge documents (local folders, GitHub repositories, Confluence spaces): a plain object. `sync(ctx)`
 * puts every document it has (or `keep`s one it knows to be unchanged); when it returns, the documents it neither put
 * nor kept are removed from the index. A sync that throws removes nothing.
 *
 * @example
 * const handbook: KnowledgeSource = {
 *   specificationVersion: 'v1', id: 'handbook', source: 'local',
 *   async sync(ctx) { await ctx.put({ uri: 'handbook/deploys.md', markdown: '# Deploys\n…', updatedAt: '2026-03-01T00:00:00Z' }) },
 * }
 */
export interface KnowledgeSource {
  readonly specificationVersion: 'v1';
  /** Unique among the configured sources; a document belongs to the source that indexed it. */
  readonly id: string;
  readonly source: KnowledgeSourceKind;
  /** Team ids allowed to see this source's documents; absent: everyone in the workspace. */
  readonly visibility?: readonly string[];
  sync(ctx: KnowledgeSourceContext): Promise<void>;
}
