// The Bitbucket Cloud REST 2.0 shapes teamstate reads (https://developer.atlassian.com/cloud/bitbucket/rest/), the
// fields used.

/** A user as Bitbucket embeds it (`account_id` is stable across workspaces; `uuid` is `{…}`). */
export interface BbUser {
  uuid: string;
  account_id?: string;
  display_name?: string;
  nickname?: string;
  type?: 'user' | 'team' | 'app_user';
}

/** A page of a list: `values`, and `next` (a full URL) while more follow. */
export interface BbPage<T> {
  values: T[];
  next?: string;
  pagelen?: number;
  size?: number;
}

/** `GET /repositories/{workspace}`. */
export interface BbRepository {
  uuid: string;
  slug: string;
  full_name: string;
  name?: string;
  updated_on?: string;
  mainbranch?: { name: string };
}

/** `GET /repositories/{workspace}/{repo}/pullrequests`. */
export interface BbPullRequest {
  id: number;
  title: string;
  description?: string;
  state: 'OPEN' | 'MERGED' | 'DECLINED' | 'SUPERSEDED';
  draft?: boolean;
  author: BbUser | null;
  created_on: string;
  updated_on: string;
  source: { branch: { name: string }; commit: { hash: string } | null };
  destination: { branch: { name: string }; commit?: { hash: string } | null };
  merge_commit: { hash: string } | null;
  closed_by?: BbUser | null;
  links: { html: { href: string } };
}

/** One entry of `GET …/pullrequests/{id}/activity`: an update, an approval, a request for changes or a comment. */
export interface BbActivity {
  update?: { state: BbPullRequest['state']; date: string; author: BbUser | null; draft?: boolean };
  approval?: { date: string; user: BbUser };
  changes_requested?: { date: string; user: BbUser };
  comment?: { id: number; created_on: string; user: BbUser; content?: { raw: string } };
  pull_request?: { id: number };
}

/** `GET …/pullrequests/{id}/commits` (newest first). */
export interface BbCommit {
  hash: string;
  date: string;
  message?: string;
}

/** `GET …/pipelines/`. */
export interface BbPipeline {
  uuid: string;
  build_number: number;
  created_on: string;
  completed_on?: string | null;
  duration_in_seconds?: number;
  run_number?: number;
  state: {
    name: 'PENDING' | 'IN_PROGRESS' | 'COMPLETED' | 'PAUSED' | 'HALTED';
    result?: { name: 'SUCCESSFUL' | 'FAILED' | 'ERROR' | 'STOPPED' | 'EXPIRED' };
    stage?: { name: string };
  };
  target: {
    type?: string;
    ref_name?: string;
    commit?: { hash: string };
    pullrequest?: { id: number };
    selector?: { type?: string; pattern?: string };
  };
}

/** `GET …/environments/`. */
export interface BbEnvironment {
  uuid: string;
  name: string;
  environment_type: { name: 'Test' | 'Staging' | 'Production' | string; rank?: number };
}

/** `GET …/deployments/`. */
export interface BbDeployment {
  uuid: string;
  number?: number;
  environment: { uuid: string };
  state: {
    name: 'UNDEPLOYED' | 'IN_PROGRESS' | 'COMPLETED';
    status?: { name: 'SUCCESSFUL' | 'FAILED' | 'STOPPED' };
    started_on?: string;
    completed_on?: string;
  };
  release: { commit: { hash: string }; created_on?: string };
  last_update_time?: string;
}
