import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { BUNDLE_FORMAT, type RecordsBundle } from '../../kernel/model/bundle.js';
import type { InValue } from '../../kernel/store/driver.js';
import type { Store } from '../../kernel/store/open-store.js';
import { checkKnown } from '../../records/arguments.js';
import { type BundleDocument, bundleSections, type FeatureDefinition, type ListsOf, withLists } from '../../records/feature.js';
import {
  accountFromRow,
  groupBy,
  personFromRow,
  repositoryFromRow,
  reviewFromRow,
  teamFromRow,
  transitionFromRow,
  workItemFromRow,
} from '../../records/store/records.js';
import { type TypedTableSpec, tableSpecs as t } from '../../records/store/table-specs.js';

/**
 * Everything the workspace holds about one person, as a `teamstate.bundle/v1` document: the person (name, email,
 * time zone, accounts, teams), their teams, the work items they wrote, are assigned to or reviewed (with their own
 * part of each: `author` when they wrote it, themselves as assignee, their reviews; issue moves of items assigned
 * to them), the repositories of those items and of their feedback, their daily reports, AI tool usage, survey answers and
 * feedback about AI assistants. Other people's names and ids are left out,
 * so the bundle imports on its own into an empty workspace.
 */
export async function exportPerson<F extends FeatureDefinition>(
  store: Store,
  workspace: string,
  person: string,
  features: readonly F[],
): Promise<BundleDocument<ListsOf<F>>> {
  await checkKnown(store.execute, workspace, 'person', person);
  const rows = async <T extends SQLiteTable>(spec: TypedTableSpec<T>, where: string, args: InValue[]): Promise<T['$inferSelect'][]> =>
    spec.rows.all(
      (await store.execute(`SELECT ${spec.select()} FROM ${spec.name} WHERE workspace = ?1 AND ${where}`, [workspace, ...args])).rows,
    );
  // ?1 the workspace, ?2 the person.
  const theirs = `(author_id = ?2 OR id IN (SELECT work_item_id FROM work_item_assignees WHERE workspace = ?1 AND person_id = ?2)
                   OR id IN (SELECT work_item_id FROM reviews WHERE workspace = ?1 AND reviewer_id = ?2))`;
  const sections = bundleSections(features);
  const [[row], accounts, memberships, items, assigned, reviews, ...lists] = await Promise.all([
    rows(t.people, 'id = ?2', [person]),
    rows(t.accounts, 'person_id = ?2 ORDER BY provider, external_id', [person]),
    rows(t.memberships, 'person_id = ?2 ORDER BY team_id', [person]),
    rows(t.workItems, `${theirs} ORDER BY id`, [person]),
    rows(t.workItemAssignees, 'person_id = ?2 ORDER BY work_item_id', [person]),
    rows(t.reviews, 'reviewer_id = ?2 ORDER BY work_item_id, seq', [person]),
    ...sections.map((section) => section.read(store.execute, workspace, person)),
  ]);
  // Their records in the features' lists; an element naming a work item outside this bundle (an answer about someone
  // else's pull request) would dangle, so it stays out.
  const itemIds = new Set(items.map((item) => item.id));
  const theirLists = new Map(
    sections.map((section, i) => [
      section.list,
      (lists[i] as unknown[]).filter((item) =>
        section.references(item).every((ref) => ref.kind !== 'work item' || ref.id === undefined || itemIds.has(ref.id)),
      ),
    ]),
  );
  const referenced = (kind: string) =>
    [...theirLists.entries()].flatMap(([list, elements]) => {
      const section = sections.find((s) => s.list === list)!;
      return elements.flatMap((item) =>
        section
          .references(item)
          .filter((ref) => ref.kind === kind && ref.id !== undefined)
          .map((ref) => ref.id!),
      );
    });
  const assignedIds = assigned.map((a) => a.workItemId);
  const transitions = await rows(t.transitions, 'work_item_id IN (SELECT value FROM json_each(?2)) ORDER BY work_item_id, seq', [
    JSON.stringify(assignedIds),
  ]);
  const repositoryIds = [
    ...new Set([...items.flatMap((item) => (item.repositoryId ? [item.repositoryId] : [])), ...referenced('repository')]),
  ].sort();
  const repositories = await rows(t.repositories, 'id IN (SELECT value FROM json_each(?2)) ORDER BY id', [JSON.stringify(repositoryIds)]);
  const teamIds = [
    ...new Set([
      ...memberships.map((m) => m.teamId),
      ...items.flatMap((item) => (item.teamId ? [item.teamId] : [])),
      ...repositories.flatMap((r) => (r.teamId ? [r.teamId] : [])),
    ]),
  ];
  const teams = await rows(t.teams, 'id IN (SELECT value FROM json_each(?2)) ORDER BY id', [JSON.stringify(teamIds)]);
  const reviewsOf = groupBy(reviews, (r) => r.workItemId, reviewFromRow);
  const transitionsOf = groupBy(transitions, (r) => r.workItemId, transitionFromRow);
  const records: RecordsBundle = {
    format: BUNDLE_FORMAT,
    teams: teams.map(teamFromRow),
    people: [
      personFromRow(
        row!,
        memberships.map((m) => m.teamId),
        accounts.map(accountFromRow),
      ),
    ],
    repositories: repositories.map(repositoryFromRow),
    workItems: items.map((item) => {
      const {
        author,
        sprint: _sprint,
        ...rest
      } = workItemFromRow(item, {
        ...(assignedIds.includes(item.id) ? { assignees: [person], transitions: transitionsOf.get(item.id) ?? [] } : {}),
        ...(reviewsOf.has(item.id) ? { reviews: reviewsOf.get(item.id) } : {}),
      });
      return author === person ? { ...rest, author } : rest;
    }),
    sprints: [],
    deployments: [],
    incidents: [],
  };
  return withLists(records, sections, [...theirLists.values()]);
}
