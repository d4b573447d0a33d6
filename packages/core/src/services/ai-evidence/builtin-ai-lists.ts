// The built-in evidence lists of AI detection (docs/ai-impact.md#detection). Kept apart from the matching logic so the
// lists read as data; config `ai:` extends them (see `aiConfigSchema`). Sources: the agents' own defaults (Claude Code,
// Cursor, aider, Devin, Jules, Codex and Copilot footers and trailers as they appear in public repositories) and the
// numeric ids GitHub gives the agents' bot accounts (`<id>+<login>@users.noreply.github.com`).

/**
 * Tool ids and the names that mean them in `Assisted-by:` values, labels (`ai-<name>`) and `Generated with <name>`
 * lines. Matched as whole words, case-insensitively; the first name a value mentions wins.
 */
export const BUILTIN_TOOL_NAMES: Readonly<Record<string, readonly string[]>> = {
  claude: ['claude', 'claude code', 'anthropic'],
  copilot: ['copilot', 'github copilot', 'copilot swe agent'],
  cursor: ['cursor', 'cursor agent', 'cursoragent'],
  codex: ['codex', 'openai codex', 'chatgpt codex'],
  aider: ['aider'],
  devin: ['devin'],
  gemini: ['gemini', 'gemini cli', 'gemini code assist'],
  'amazon-q': ['amazon q', 'amazon q developer', 'q developer'],
  jules: ['jules', 'google jules'],
  windsurf: ['windsurf', 'codeium'],
  cline: ['cline'],
  amp: ['amp', 'ampcode'],
  replit: ['replit', 'replit agent'],
  opencode: ['opencode'],
  openhands: ['openhands'],
  junie: ['junie', 'jetbrains ai'],
  cody: ['sourcegraph cody'],
  coderabbit: ['coderabbit', 'coderabbitai'],
};

/**
 * Commit identities of agents, by EMAIL (the reliable part of a trailer: a human may be called Claude). Exact,
 * case-insensitive addresses. GitHub noreply addresses of bot accounts are matched through `BUILTIN_AI_BOTS` instead.
 */
export const BUILTIN_CO_AUTHOR_EMAILS: Readonly<Record<string, string>> = {
  'noreply@anthropic.com': 'claude',
  'cursoragent@cursor.com': 'cursor',
  'noreply@openai.com': 'codex',
  'codex@openai.com': 'codex',
  'noreply@aider.chat': 'aider',
  'aider@aider.chat': 'aider',
  'copilot@github.com': 'copilot',
  'devin@cognition.ai': 'devin',
  'devin@cognition-labs.com': 'devin',
  'gemini-cli@google.com': 'gemini',
  'amp@ampcode.com': 'amp',
  'noreply@windsurf.com': 'windsurf',
  'noreply@windsurf.ai': 'windsurf',
  'cascade@windsurf.ai': 'windsurf',
  'windsurf@codeium.com': 'windsurf',
  'noreply@codeium.com': 'windsurf',
  'noreply@cursor.sh': 'cursor',
  'gemini@google.com': 'gemini',
  'cline@cline.bot': 'cline',
  'openhands@all-hands.dev': 'openhands',
  'noreply@opencode.ai': 'opencode',
  'junie@jetbrains.com': 'junie',
};

/**
 * Shared addresses that are an agent's only with the agent's name next to them (`Co-Authored-By: Gemini
 * <noreply@google.com>`): Google and AWS automation also writes from them.
 */
export const BUILTIN_NAMED_CO_AUTHOR_EMAILS: readonly { email: string; name: RegExp; tool: string }[] = [
  { email: 'noreply@google.com', name: /\bgemini\b/i, tool: 'gemini' },
  { email: 'noreply@aws.amazon.com', name: /\bamazon q\b|\bq developer\b/i, tool: 'amazon-q' },
];

/**
 * AI agents' GitHub accounts, by login without the `[bot]` suffix (lower case). A PR author or commit author counts
 * when it is one of these AND a bot: the REST form `claude[bot]`, the GraphQL form `claude` with `__typename: Bot`,
 * or the noreply address `<id>+claude[bot]@users.noreply.github.com`. A GitHub *user* named `claude` is a person.
 */
export const BUILTIN_AI_BOTS: Readonly<Record<string, string>> = {
  claude: 'claude',
  'anthropic-claude': 'claude',
  'claude-code-action': 'claude',
  'copilot-swe-agent': 'copilot',
  copilot: 'copilot',
  cursor: 'cursor',
  cursoragent: 'cursor',
  'devin-ai-integration': 'devin',
  'chatgpt-codex-connector': 'codex',
  'openai-codex': 'codex',
  'google-labs-jules': 'jules',
  'gemini-code-assist': 'gemini',
  'google-gemini': 'gemini',
  'gemini-cli': 'gemini',
  'amazon-q-developer': 'amazon-q',
  'windsurf-bot': 'windsurf',
  cline: 'cline',
  'sourcegraph-cody': 'cody',
  'jetbrains-ai': 'junie',
  'opencode-agent': 'opencode',
  'openhands-agent': 'openhands',
  coderabbitai: 'coderabbit',
};

/**
 * GitHub accounts that are AI agents whatever GitHub calls their type: `Copilot` is the coding agent's own account
 * (REST shows it as `Copilot`, type `Bot`; its commits use `<id>+Copilot@users.noreply.github.com`). Logins are unique
 * on GitHub, so no person can hold these.
 */
export const BUILTIN_AI_ACCOUNTS: Readonly<Record<string, string>> = { copilot: 'copilot' };

/** Default label patterns (`*` matches anything); a label names a tool only through its suffix (`ai-copilot`). */
export const BUILTIN_AI_LABELS: readonly string[] = ['ai-assisted', 'ai-*'];

/**
 * Footers and markers agents write into PR bodies. `line` markers must START a line (after emoji and emphasis), so
 * prose that quotes them mid-sentence does not count; `contains` markers are links or HTML comments only an agent's
 * run produces. Lines inside code blocks and block quotes never count.
 */
export const BUILTIN_BODY_MARKERS: readonly { pattern: RegExp; tool: string }[] = [
  { pattern: /^generated (?:with|by) \[?claude code\b/i, tool: 'claude' },
  { pattern: /claude\.ai\/code\/session/i, tool: 'claude' },
  { pattern: /^<!-- start copilot (?:coding agent|original prompt)/i, tool: 'copilot' },
  { pattern: /^generated (?:with|by) \[?cursor\b/i, tool: 'cursor' },
  { pattern: /cursor\.com\/(?:background-agent\?bcid=|agents\?id=|agents\/)bc-/i, tool: 'cursor' },
  { pattern: /^<!-- cursor_agent_pr_body_begin/i, tool: 'cursor' },
  { pattern: /chatgpt\.com\/codex\/tasks\/task_/i, tool: 'codex' },
  { pattern: /^generated (?:with|by) \[?(?:openai )?codex\b/i, tool: 'codex' },
  { pattern: /app\.devin\.ai\/sessions\//i, tool: 'devin' },
  { pattern: /^generated (?:with|by) \[?devin\b/i, tool: 'devin' },
  { pattern: /^pr created automatically by jules\b/i, tool: 'jules' },
  { pattern: /jules\.google\.com\/task\//i, tool: 'jules' },
  { pattern: /^generated (?:with|by) \[?(?:github )?copilot\b/i, tool: 'copilot' },
  { pattern: /^generated (?:with|by) \[?aider\b/i, tool: 'aider' },
  { pattern: /^generated (?:with|by) \[?gemini\b/i, tool: 'gemini' },
  { pattern: /^generated (?:with|by) \[?amazon q\b/i, tool: 'amazon-q' },
  { pattern: /^generated (?:with|by) \[?windsurf\b/i, tool: 'windsurf' },
  { pattern: /^generated (?:with|by) \[?cline\b/i, tool: 'cline' },
];

/**
 * Trailer keys that declare AI help directly (their value names the tool, `Assisted-by: Claude Code`), besides
 * `Co-authored-by:`, which counts only for an agent's email. `Replit-Commit-Author: Agent` is Replit's.
 */
export const BUILTIN_ASSISTED_TRAILERS: readonly string[] = ['assisted-by', 'generated-by', 'ai-assisted-by', 'made-with'];
