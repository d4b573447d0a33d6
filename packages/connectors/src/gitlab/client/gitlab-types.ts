// The GitLab REST API v4 shapes teamstate reads (https://docs.gitlab.com/api/rest/), the fields used.

/** A user as GitLab embeds it in other resources (`UserBasic`). */
export interface GlUser {
  id: number;
  username: string;
  name?: string;
  state?: string;
  /** Only for administrators or a user's public email. */
  email?: string | null;
  public_email?: string | null;
  /** Users API: project/group access tokens and service accounts are bots. */
  bot?: boolean;
  web_url?: string;
}

/** `GET /groups/:id/members/all` and `/projects/:id/members/all`. */
export interface GlMember extends GlUser {
  access_level: number;
}

/** `GET /groups/:id/projects`, `GET /projects/:id`. */
export interface GlProject {
  id: number;
  path_with_namespace: string;
  name?: string;
  default_branch?: string | null;
  archived?: boolean;
  last_activity_at: string;
  web_url?: string;
}

/** `GET /projects/:id/merge_requests` (list) and `/merge_requests/:iid` (single, with the merge status). */
export interface GlMergeRequest {
  id: number;
  iid: number;
  project_id: number;
  title: string;
  description: string | null;
  state: 'opened' | 'closed' | 'locked' | 'merged';
  created_at: string;
  updated_at: string;
  merged_at: string | null;
  closed_at: string | null;
  author: GlUser | null;
  assignees?: GlUser[];
  reviewers?: GlUser[];
  labels: string[];
  draft: boolean;
  sha: string | null;
  merge_commit_sha?: string | null;
  squash_commit_sha?: string | null;
  source_branch: string;
  target_branch: string;
  web_url: string;
  user_notes_count?: number;
  /** `mergeable`, `not_approved`, `ci_must_pass`, `draft_status`, `conflict`, `checking`, `unchecked`, … */
  detailed_merge_status?: string;
  has_conflicts?: boolean;
}

/** `GET /projects/:id/merge_requests/:iid/notes`: comments and system notes (`approved this merge request`). */
export interface GlNote {
  id: number;
  body: string;
  author: GlUser;
  created_at: string;
  updated_at?: string;
  system: boolean;
  noteable_type: string;
  noteable_iid?: number;
}

/** `GET /projects/:id/merge_requests/:iid/commits`: the merge request's commits, newest first. */
export interface GlCommit {
  id: string;
  title?: string;
  message?: string;
  author_name?: string;
  author_email?: string;
  authored_date: string;
  committed_date?: string;
}

/** `GET /projects/:id/events`: `approved` (target MergeRequest) and `commented on` (target Note, DiffNote, DiscussionNote). */
export interface GlEvent {
  id: number;
  project_id: number;
  action_name: string;
  target_iid: number | null;
  target_type: string | null;
  author: GlUser;
  created_at: string;
  note?: { id: number; body: string; system: boolean; noteable_type: string; noteable_iid: number; created_at: string; author: GlUser };
}

/** `GET /projects/:id/merge_requests/:iid/diffs`. */
export interface GlDiff {
  old_path: string;
  new_path: string;
  new_file: boolean;
  renamed_file: boolean;
  deleted_file: boolean;
}

export type GlJobStatus =
  | 'created'
  | 'pending'
  | 'running'
  | 'failed'
  | 'success'
  | 'canceled'
  | 'canceling'
  | 'skipped'
  | 'waiting_for_resource'
  | 'preparing'
  | 'manual'
  | 'scheduled';

/** `GET /projects/:id/jobs`, `GET /projects/:id/pipelines/:pipeline_id/jobs`: one job of a pipeline. */
export interface GlJob {
  id: number;
  name: string;
  stage: string;
  status: GlJobStatus;
  ref: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  failure_reason?: string;
  retried?: boolean;
  pipeline: { id: number; project_id: number; ref: string; sha: string; status: string; source?: string };
  commit?: { id: string };
}

/** `GET /projects/:id/deployments`. */
export interface GlDeployment {
  id: number;
  iid: number;
  ref: string;
  sha: string;
  created_at: string;
  updated_at: string;
  finished_at?: string | null;
  status: 'created' | 'running' | 'success' | 'failed' | 'canceled' | 'skipped' | 'blocked';
  environment: { id: number; name: string; tier?: string };
  deployable?: { id: number; status: string; started_at: string | null; finished_at: string | null } | null;
}

/** `GET /projects/:id/environments`. */
export interface GlEnvironment {
  id: number;
  name: string;
  /** `production`, `staging`, `testing`, `development` or `other`. */
  tier?: string;
  state?: string;
}
