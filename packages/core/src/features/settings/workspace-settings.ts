import type { Store } from '../../kernel/store/open-store.js';
import { columns, text } from '../../kernel/store/row-decoder.js';
import { appendAuditEvent } from '../../services/audit/index.js';

/** The settings a workspace keeps with its data, and their types. */
export interface WorkspaceSettingValues {
  /**
   * Local trust: `teamstate approvals approve|decline --as <person>` works without a credential, so anyone
   * with a shell here can approve as anyone. Off unless set (the demo workspace sets it).
   */
  'approvals.localTrust': boolean;
  /** The scheduled time (ISO) of the last weekly leaderboard `serve` posted, so a restart does not post it twice. */
  'leaderboard.lastPosted': string;
  /** Per team, the start (ISO) of the last period whose risk digest `serve` posted, so a restart does not post it twice. */
  'risks.digestPosted': Record<string, string>;
  /** Per team, the start (ISO) of the last period whose risk digest `serve` emailed to the members without Slack. */
  'risks.digestEmailed': Record<string, string>;
}

/** `ts.settings`: workspace settings stored with the data; every change is audited. */
export interface WorkspaceSettings {
  get<K extends keyof WorkspaceSettingValues>(key: K): Promise<WorkspaceSettingValues[K] | undefined>;
  /** Sets a setting and appends a `setting.changed` audit entry (`by`: who changed it). */
  set<K extends keyof WorkspaceSettingValues>(key: K, value: WorkspaceSettingValues[K], by: string): Promise<void>;
}

/** A setting's stored value: JSON text. */
const settingRow = columns({ value: text });

/** Builds `ts.settings`; `clock` is the write path's (real) clock. */
export function createWorkspaceSettings(deps: { store: Store; workspace: string; clock: () => Date }): WorkspaceSettings {
  const { store, workspace, clock } = deps;
  return {
    async get(key) {
      const { rows } = await store.execute('SELECT value FROM workspace_settings WHERE workspace = ? AND key = ?', [workspace, key]);
      const row = settingRow.first(rows);
      return row === undefined ? undefined : JSON.parse(row.value);
    },
    async set(key, value, by) {
      await store.write(async (tx) => {
        const now = clock().getTime();
        await tx.execute({
          sql: `INSERT INTO workspace_settings (workspace, key, value, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (workspace, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
          args: [workspace, key, JSON.stringify(value), now],
        });
        await appendAuditEvent(tx, workspace, now, { type: 'setting.changed', actor: by, data: { key, value } });
      });
    },
  };
}
