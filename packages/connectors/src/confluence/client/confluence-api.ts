/** A Confluence space as the source needs it. */
export interface ConfluenceSpace {
  id: string;
  key: string;
  name: string;
}

/** A page as listed (without its body): enough to tell whether it changed. */
export interface ConfluencePageSummary {
  id: string;
  title: string;
  /** The page's version number. */
  version: number;
  /** When that version was made (ISO 8601). */
  updatedAt: string;
  /** Who made that version: the Atlassian account id (Cloud) or the username (Data Center). */
  author?: string;
  /** The page's web path, relative to the site's web base (`_links.webui`). */
  webui: string;
}

/** A page with its body in storage format (XHTML with `ac:` and `ri:` elements). */
export interface ConfluencePageBody extends ConfluencePageSummary {
  /** `undefined` when Confluence sent no storage body. */
  storage: string | undefined;
}

/**
 * The Confluence operations the source uses, so the sync does not depend on which REST flavour answers them (Cloud
 * v2 with cursor paging, or Data Center v1 with offset paging); both follow `_links.next`.
 */
export interface ConfluenceApi {
  /** The space, or `undefined` when it does not exist or the account may not see it. */
  findSpace(key: string): Promise<ConfluenceSpace | undefined>;
  /** One page of the space's current pages, without bodies; `next` is the path of the next one. */
  listPages(space: ConfluenceSpace, next: string | undefined): Promise<{ pages: ConfluencePageSummary[]; next?: string }>;
  /** How many ids {@link getBodies} takes at once. */
  readonly bodiesPerRequest: number;
  /** The bodies of some pages (a page deleted meanwhile is left out). */
  getBodies(ids: readonly string[]): Promise<ConfluencePageBody[]>;
}
