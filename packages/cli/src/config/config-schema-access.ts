import { z } from 'zod';

// `mcp`, `auth`, `server` and a replica `database` of teamstate.config.yaml: who reaches teamstate, where, and how.

/**
 * `mcp`: the bearer token of `teamstate mcp --http` and `teamstate serve`'s `/mcp` (default: generated into a file next to the
 * database), the person using it, and the toolsets it offers.
 */
export const mcpConfigSchema = z.strictObject({
  /**
   * The toolsets offered (`delivery`, `actions`, `reports`, `knowledge`, `ai`, …; default all but `insights`). The names are checked when the
   * server starts, by the MCP server's own list, so the CLI does not load the MCP SDK to read its config.
   */
  toolsets: z.array(z.string().min(1)).min(1).optional(),
  /** The person using the MCP server (stdio, or the shared token over HTTP): `onBehalfOf` of proposals. */
  person: z.string().min(1).optional(),
  token: z
    .string()
    .min(32, { error: 'must be at least 32 characters (e.g. `openssl rand -base64 32`, or ${TEAMSTATE_MCP_TOKEN})' })
    .optional(),
});

const providerUrl = (example: string) => z.string().regex(/^https?:\/\/[^/]/i, { error: `expected the provider's URL, e.g. ${example}` });

/**
 * `auth`: how people sign in to the remote MCP endpoint (OAuth 2.1, docs/remote-mcp.md): a GitHub OAuth app (`baseUrl`
 * for GitHub Enterprise Server) or a Slack app (Sign in with Slack, OpenID Connect), and any OpenID Connect provider
 * beside either (`oidc`).
 */
export const authConfigSchema = z
  .strictObject({
    github: z
      .strictObject({
        clientId: z.string().min(1),
        clientSecret: z.string().min(1),
        /** GitHub Enterprise Server: `https://github.acme.example` (or its API URL, `…/api/v3`); default github.com. */
        baseUrl: providerUrl('https://github.acme.example').optional(),
      })
      .optional(),
    slack: z
      .strictObject({
        clientId: z.string().min(1),
        clientSecret: z.string().min(1),
        /** Another Slack host, e.g. `https://slack-gov.com` (GovSlack); default `https://slack.com`. */
        baseUrl: providerUrl('https://slack-gov.com').optional(),
      })
      .optional(),
    /** Any OpenID Connect provider (Okta, Entra ID, Google Workspace, Keycloak): people are matched by their verified email. */
    oidc: z
      .strictObject({
        /** Exactly the issuer of the provider's discovery document; https (http only on localhost). */
        issuer: z.string().regex(/^(https:\/\/[^/\s]+|http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?)(\/\S*)?$/i, {
          error: 'expected the issuer URL, e.g. https://acme.okta.com (https; http only on localhost)',
        }),
        clientId: z.string().min(1),
        clientSecret: z.string().min(1),
        /** Scopes asked for besides openid (default email, profile). */
        scopes: z.array(z.string().min(1)).optional(),
        /** The id_token claim holding the email (default email). */
        emailClaim: z.string().min(1).optional(),
      })
      .optional(),
  })
  .refine((auth) => (auth.github ? 1 : 0) + (auth.slack ? 1 : 0) <= 1 && (auth.github || auth.slack || auth.oidc), {
    error:
      'configure exactly one provider of GitHub and Slack, and OpenID Connect beside it if you like (or alone): auth: { github: { clientId, clientSecret } }, auth: { slack: { clientId, clientSecret } } or auth: { oidc: { issuer, clientId, clientSecret } }',
  });

/** `server`: the address people and providers reach `teamstate serve` at (OAuth redirects, the webhooks it installs). */
export const serverConfigSchema = z.strictObject({
  /** The public origin, e.g. `https://teamstate.acme.example` (HTTPS, or http://localhost for a trial). */
  publicUrl: z
    .string()
    .regex(/^(https:\/\/[^/\s]+|http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?)\/?$/i, {
      error: 'expected the public origin, e.g. https://teamstate.acme.example (https, no path; http only for localhost)',
    })
    .optional(),
  /**
   * The bearer token `serve --metrics` requires at `/metrics` (env `TEAMSTATE_METRICS_TOKEN` wins); without one,
   * `/metrics` is served only on a loopback `--host` (docs/observability.md).
   */
  metricsToken: z.string().min(1).optional(),
  /** The web page for approvers and leads at `/` of `serve` (default on; docs/web.md). */
  web: z.boolean().optional(),
});

/**
 * `database` as an embedded replica of a libSQL server: `url` is this machine's local file (relative to the config
 * file), `syncUrl` the primary, `syncInterval` in seconds (docs/running-for-a-company.md).
 */
export const replicaConfigSchema = z.strictObject({
  url: z.string().min(1),
  syncUrl: z
    .string()
    .regex(/^(libsql|https?|wss?):\/\/[^/]/i, { error: "expected the libSQL server's URL (libsql://…, https://… or http://…)" }),
  authToken: z.string().min(1).optional(),
  syncInterval: z.number().positive().optional(),
});
