import { TeamStateError } from '@teamstate/core';
import type { FieldDetails } from 'jira.js/cloud';

/** The custom fields the connector reads, as this site names them (ids differ from site to site). */
export interface SiteFields {
  /** Story points fields, most specific first; an issue's points are the first that has a value. */
  storyPoints: string[];
  /** The Sprint field (`com.pyxis.greenhopper.jira:gh-sprint`). */
  sprint?: string;
  /** The Flagged (impediment) field. */
  flagged?: string;
  /** The Epic Link field of company-managed projects and Data Center (Cloud also has `parent`). */
  epicLink?: string;
}

// Company-managed projects call it "Story Points", team-managed ones "Story point estimate"; a site can have both.
const STORY_POINT_NAMES = ['story points', 'story point estimate', 'story point', 'storypoints'];

const nameOf = (field: FieldDetails) => (field.name ?? '').trim().toLowerCase();

/**
 * Finds the fields by name and schema on this site. `storyPointsOverride` (an id such as
 * `customfield_10016`, or a field name) replaces the search for story points.
 * @throws TeamStateError `invalid_config` when the override names no field of the site
 */
export function findSiteFields(fields: readonly FieldDetails[], storyPointsOverride?: string): SiteFields {
  let storyPoints: string[];
  if (storyPointsOverride) {
    const wanted = storyPointsOverride.trim().toLowerCase();
    const match = fields.find((f) => f.id === storyPointsOverride) ?? fields.find((f) => nameOf(f) === wanted);
    if (!match?.id) {
      const numeric = fields.filter((f) => f.custom && f.schema?.type === 'number').map((f) => `${f.name} (${f.id})`);
      throw new TeamStateError(
        'invalid_config',
        `jira.storyPointsField: this site has no field "${storyPointsOverride}" (number fields: ${numeric.slice(0, 10).join(', ') || 'none'})`,
      );
    }
    storyPoints = [match.id];
  } else {
    storyPoints = STORY_POINT_NAMES.flatMap((name) =>
      fields.filter((f) => f.id && nameOf(f) === name && (f.schema?.type ?? 'number') === 'number').map((f) => f.id!),
    );
  }
  const sprint =
    fields.find((f) => f.schema?.custom === 'com.pyxis.greenhopper.jira:gh-sprint') ?? fields.find((f) => nameOf(f) === 'sprint');
  const flagged = fields.find((f) => f.custom && nameOf(f) === 'flagged');
  const epicLink = fields.find((f) => f.schema?.custom === 'com.pyxis.greenhopper.jira:gh-epic-link');
  return {
    storyPoints: [...new Set(storyPoints)],
    ...(sprint?.id ? { sprint: sprint.id } : {}),
    ...(flagged?.id ? { flagged: flagged.id } : {}),
    ...(epicLink?.id ? { epicLink: epicLink.id } : {}),
  };
}
