import { type StatusCategories, statusCategories } from '../map/status-categories.js';
import type { JiraApi } from './jira-api.js';
import { findSiteFields, type SiteFields } from './site-fields.js';

/** What the connector needs to know about the site before reading issues. */
export interface SiteMetadata {
  fields: SiteFields;
  categories: StatusCategories;
}

/** Reads the fields (story points by name, Sprint, Flagged) and the statuses with their categories: two requests. */
export async function loadSiteMetadata(api: JiraApi, storyPointsField: string | undefined): Promise<SiteMetadata> {
  const fields = findSiteFields(await api.getFields(), storyPointsField);
  const categories = statusCategories(await api.getStatuses());
  return { fields, categories };
}

/** The fields whose history the connector reads: status, and the Sprint field when the site has one. */
export function historyFields(fields: SiteFields): string[] {
  return ['status', ...(fields.sprint ? [fields.sprint] : [])];
}
