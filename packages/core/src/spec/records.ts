import type { RecordsBundleInput } from '../kernel/model/bundle.js';
import type { Provider } from '../kernel/model/common.js';

/** A kind of record that other records reference (what `ctx.existing()` looks up). */
export type RecordKind = 'team' | 'person' | 'repository' | 'work item' | 'sprint' | 'deployment';

/** An account as a connector sees it upstream, for `ctx.resolvePeople()`. */
export interface AccountRef {
  provider: Provider;
  /** The provider's stable id (GitHub user id, Jira accountId, Slack user id). */
  id: string;
  login?: string;
  email?: string;
  name?: string;
  /**
   * The IANA time zone of the account's profile (Slack's `tz`): fills the person's `timeZone`, and keeps it up to
   * date, unless one was declared in the config or a bundle. Names the runtime does not know are ignored.
   */
  timeZone?: string;
  /** Bots and integrations are not people. */
  bot?: boolean;
  /** Link to this (existing) person explicitly: an identity override. */
  person?: string;
}

/**
 * Normalized records a connector hands to core: any subset of a bundle's lists. The shared records' lists are typed
 * here; a feature's lists (`builds`, `oncalls` …) are checked against that feature's schema as the batch is written.
 */
export type SyncBatch = Partial<Omit<RecordsBundleInput, 'format'>> & { [list: string]: readonly unknown[] | undefined };

/**
 * Work items whose links a source re-read in full: the links of `kinds` from them (`sides: 'from'`, a source that
 * names each link on its blocking or parent side), to them (`'to'`, on its blocked or child side) or touching them
 * (`'both'`, a source that names it on both ends).
 */
export interface LinksReplaced {
  readonly items: readonly string[];
  readonly sides: 'from' | 'to' | 'both';
  readonly kinds: readonly ('blocks' | 'relates' | 'parent')[];
}
