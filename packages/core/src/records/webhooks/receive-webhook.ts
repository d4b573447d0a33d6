/** The HTTP answer to a webhook delivery. */
export interface WebhookResponse {
  status: 200 | 202 | 400 | 401 | 404 | 413;
  /**
   * `stale`: ids of work items left as they were because the stored copy is newer (`updatedAt`).
   * `queued`: stored, but not (completely) processed yet; it is retried from the queue (`ts.webhooks.list()`).
   */
  body: { ok: boolean; message: string; duplicate?: boolean; ignored?: boolean; queued?: boolean; stale?: string[] };
  /**
   * Interactions only: what to send instead of `body`, exactly as the provider expects it: `null` for an
   * empty body (how Slack wants a button click acknowledged), an object as JSON.
   */
  answer?: Record<string, unknown> | null;
  /**
   * Interactions only: the work started after the answer (deciding, executing, updating messages).
   * Resolves when it has finished and never rejects (failures are logged); `ts.close()` waits for it.
   */
  done?: Promise<void>;
}
