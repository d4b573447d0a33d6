import { z } from 'zod';
import type { AiAssessment, AiDetectionInput, AiEvidence, AiIdentity } from '../../kernel/model/ai.js';
import {
  BUILTIN_AI_ACCOUNTS,
  BUILTIN_AI_BOTS,
  BUILTIN_AI_LABELS,
  BUILTIN_ASSISTED_TRAILERS,
  BUILTIN_BODY_MARKERS,
  BUILTIN_CO_AUTHOR_EMAILS,
  BUILTIN_NAMED_CO_AUTHOR_EMAILS,
  BUILTIN_TOOL_NAMES,
} from '../../services/ai-evidence/index.js';

// AI detection: pure functions from what a pull request shows (author, commits, labels, body) to
// `ai { assisted, tools, evidence }`. No I/O. Precision first: only an agent's identity (email, bot account), an
// explicit declaration (`Assisted-by:`, an `ai-*` label) or an agent's own footer counts; names alone, non-AI bots and
// prose never do.

export type { AiCommit, AiDetectionInput, AiIdentity } from '../../kernel/model/ai.js';

const toolSchema = z
  .string()
  .min(1, { error: 'must not be empty (a tool id such as "claude" or "acme-agent")' })
  .max(100)
  .transform((tool) => tool.trim().toLowerCase());

/** Config `ai:` (and `createTeamState({ ai })`): entries added to the built-in lists of `builtin-ai-lists.ts`. */
export const aiConfigSchema = z.strictObject({
  /** Agents' commit identities by email (`Co-authored-by:`, commit authors): exact address, or `*@domain`. */
  coAuthors: z
    .array(
      z.strictObject({ email: z.string().regex(/^[^\s<>]*@[^\s<>@]+$/, { error: 'expected an email, or *@domain' }), tool: toolSchema }),
    )
    .default([]),
  /** Agents' GitHub bot accounts, by login (`acme-agent[bot]` or `acme-agent`). */
  bots: z.array(z.strictObject({ login: z.string().min(1), tool: toolSchema })).default([]),
  /** More label patterns (`*` matches anything), each optionally naming its tool. */
  labels: z.array(z.union([z.string().min(1), z.strictObject({ name: z.string().min(1), tool: toolSchema.optional() })])).default([]),
  /** More PR-body footers: a line that starts with `text` (case-insensitive). */
  bodyMarkers: z
    .array(z.strictObject({ text: z.string().min(3, { error: 'must be at least 3 characters' }), tool: toolSchema }))
    .default([]),
  /** More tool names (`{ acme-agent: ["acme", "acme agent"] }`) recognised in `Assisted-by:` values and labels. */
  tools: z.record(toolSchema, z.array(z.string().min(1))).default({}),
});
/** Config `ai:` as written. */
export type AiConfig = z.input<typeof aiConfigSchema>;

/** A compiled detector: the built-in lists plus config `ai:`. */
export interface AiDetector {
  /** The assessment of one pull request; `assisted` is `true` with evidence, else `null`. */
  detect(input: AiDetectionInput): AiAssessment;
}

/** At most this many evidence entries are kept per pull request (a 200-commit agent PR needs no 200 lines). */
const MAX_EVIDENCE = 20;
const MAX_VALUE = 300;
const NOREPLY = /^(?:\d+\+)?([^@]+)@users\.noreply\.github\.com$/i;

/**
 * Compiles the built-in lists and config `ai:` into a detector.
 * @throws ZodError when `config` does not match `aiConfigSchema` (the CLI validates the file first)
 * @example
 * const detector = createAiDetector({ bots: [{ login: 'acme-agent[bot]', tool: 'acme' }] });
 * detector.detect({ labels: ['ai-assisted'] }); // { assisted: true, tools: [], evidence: [{ kind: 'label', value: 'ai-assisted' }] }
 */
export function createAiDetector(config: AiConfig = {}): AiDetector {
  const extra = aiConfigSchema.parse(config);
  const emails = new Map(Object.entries(BUILTIN_CO_AUTHOR_EMAILS));
  const domains = new Map<string, string>();
  for (const { email, tool } of extra.coAuthors) {
    if (email.startsWith('*@')) domains.set(email.slice(2).toLowerCase(), tool);
    else emails.set(email.toLowerCase(), tool);
  }
  const bots = new Map(Object.entries(BUILTIN_AI_BOTS));
  for (const { login, tool } of extra.bots) bots.set(botBase(login), tool);
  const toolNames: [string, string][] = [];
  for (const [tool, names] of [...Object.entries(BUILTIN_TOOL_NAMES), ...Object.entries(extra.tools)]) {
    for (const name of [tool, ...names]) toolNames.push([words(name), tool]);
  }
  const labels = [
    ...BUILTIN_AI_LABELS.map((name) => ({ pattern: globToRegExp(name), tool: undefined as string | undefined })),
    ...extra.labels.map((label) =>
      typeof label === 'string'
        ? { pattern: globToRegExp(label), tool: undefined }
        : { pattern: globToRegExp(label.name), tool: label.tool },
    ),
  ];
  const markers = [
    ...BUILTIN_BODY_MARKERS,
    ...extra.bodyMarkers.map(({ text, tool }) => ({ pattern: new RegExp(`^${escapeRegExp(text)}`, 'i'), tool })),
  ];

  /** The tool first named in free text (`Claude Code (claude-opus-4)` → claude), if any. */
  const toolNamed = (text: string): string | undefined => {
    const hay = ` ${words(text)} `;
    let best: { at: number; length: number; tool: string } | undefined;
    for (const [name, tool] of toolNames) {
      const at = hay.indexOf(` ${name} `);
      if (at >= 0 && (!best || at < best.at || (at === best.at && name.length > best.length))) best = { at, length: name.length, tool };
    }
    return best?.tool;
  };

  const toolOfEmail = (raw: string | null | undefined, name?: string | null): string | undefined => {
    const email = raw?.trim().toLowerCase();
    if (!email) return undefined;
    const exact = emails.get(email);
    if (exact) return exact;
    const named = BUILTIN_NAMED_CO_AUTHOR_EMAILS.find((entry) => entry.email === email && entry.name.test(name ?? ''));
    if (named) return named.tool;
    const noreply = NOREPLY.exec(email)?.[1];
    if (noreply) {
      // Only a bot's noreply address (`…+name[bot]@`) or an agent account's: a person's `…+claude@` is a person.
      if (noreply.endsWith('[bot]')) return bots.get(botBase(noreply));
      return BUILTIN_AI_ACCOUNTS[noreply];
    }
    const domain = email.slice(email.lastIndexOf('@') + 1);
    return domains.get(domain);
  };

  /** The tool of a GitHub account (PR author), or undefined for people and non-AI bots. */
  const toolOfAccount = (identity: AiIdentity): { tool: string; value: string } | undefined => {
    const login = identity.login?.trim();
    if (!login) return undefined;
    const lower = login.toLowerCase();
    const account = BUILTIN_AI_ACCOUNTS[lower];
    if (account) return { tool: account, value: login };
    const isBot = lower.endsWith('[bot]') || identity.type?.toLowerCase() === 'bot';
    const tool = isBot ? bots.get(botBase(lower)) : undefined;
    return tool ? { tool, value: `${botBase(lower)}[bot]` } : undefined;
  };

  /** The tool of a commit's author or committer: their email, a `[bot]` name, aider's `(aider)` suffix. */
  const toolOfCommitIdentity = (identity: AiIdentity): string | undefined => {
    const byEmail = toolOfEmail(identity.email, identity.name);
    if (byEmail) return byEmail;
    const name = identity.name?.trim().toLowerCase() ?? '';
    if (name.endsWith('[bot]')) return bots.get(botBase(name));
    if (name.endsWith('(aider)')) return 'aider';
    return identity.login ? toolOfAccount({ login: identity.login, type: identity.type })?.tool : undefined;
  };

  return {
    detect(input) {
      const found = new Evidence();
      if (input.author) {
        const account = toolOfAccount(input.author);
        if (account) found.add('author', account.value, account.tool);
      }
      for (const commit of input.commits ?? []) {
        for (const identity of [commit.author, commit.committer]) {
          if (!identity) continue;
          const tool = toolOfCommitIdentity(identity);
          if (tool) found.add('author', describeIdentity(identity), tool);
        }
        for (const trailer of trailersOf(commit.message ?? '')) {
          const tool = trailerTool(trailer, toolOfEmail, toolNamed);
          if (tool !== undefined) found.add('trailer', `${trailer.key}: ${trailer.value}`, tool || undefined);
        }
      }
      for (const label of input.labels ?? []) {
        const name = label.trim().toLowerCase();
        const match = labels.find(({ pattern }) => pattern.test(name));
        if (!match) continue;
        const suffix = /^ai[-_ ](.+)$/.exec(name)?.[1];
        found.add('label', label, match.tool ?? (suffix ? toolNamed(suffix) : undefined));
      }
      for (const line of proseLines(input.body ?? '')) {
        const marker = markers.find(({ pattern }) => pattern.test(line));
        if (marker) found.add('body', line, marker.tool);
      }
      return found.assessment();
    },
  };
}

let defaultDetector: AiDetector | undefined;

/** The detector with the built-in lists only (compiled once). */
export function builtinAiDetector(): AiDetector {
  defaultDetector ??= createAiDetector();
  return defaultDetector;
}

/**
 * Detects AI assistance with the built-in lists only (use {@link createAiDetector} to add config `ai:`).
 * @example detectAi({ commits: [{ message: 'Fix\n\nCo-Authored-By: Claude <noreply@anthropic.com>' }] }).tools // ['claude']
 */
export function detectAi(input: AiDetectionInput): AiAssessment {
  return builtinAiDetector().detect(input);
}

// Evidence deduplicated by kind and value, tools in the order found.
class Evidence {
  readonly #items: AiEvidence[] = [];
  readonly #seen = new Set<string>();
  readonly #tools = new Set<string>();

  add(kind: AiEvidence['kind'], value: string, tool: string | undefined): void {
    if (tool) this.#tools.add(tool);
    const clipped = value.length > MAX_VALUE ? `${value.slice(0, MAX_VALUE - 1)}…` : value;
    const key = `${kind}\u0000${clipped}`;
    if (this.#seen.has(key) || this.#items.length >= MAX_EVIDENCE) return;
    this.#seen.add(key);
    this.#items.push({ kind, value: clipped });
  }

  assessment(): AiAssessment {
    return { assisted: this.#items.length > 0 ? true : null, tools: [...this.#tools], evidence: this.#items };
  }
}

interface Trailer {
  key: string;
  value: string;
}

const TRAILER_LINE = /^([A-Za-z0-9][A-Za-z0-9-]*)[ \t]*:[ \t]*(\S.*)$/;
// Trailers git itself writes; their presence lets a block hold a few other lines (git's 25% rule).
const GIT_TRAILERS = /^(signed-off-by|\(cherry picked from commit)/i;

/**
 * The trailers of a commit message: only those at its END. The last paragraph counts when it is a trailer block as
 * `git interpret-trailers` reads it (all trailers, or git's own `Signed-off-by` with a few other lines); otherwise the
 * run of trailer lines that ends the message does (`🤖 Generated with Amazon Q Developer` then `Co-Authored-By: …`,
 * as GitHub reads co-authors). A `Co-authored-by:` line in the middle of a message is prose, not a trailer.
 */
export function trailersOf(message: string): Trailer[] {
  const lines = message.replace(/\r\n?/g, '\n').trimEnd().split('\n');
  let start = lines.length;
  while (start > 0 && lines[start - 1]!.trim() !== '') start -= 1;
  // A message that is one paragraph is all subject: no trailers.
  if (start === 0) return [];
  const parsed: (Trailer | 'continuation' | undefined)[] = lines.slice(start).map((line) => {
    if (/^[ \t]/.test(line)) return 'continuation';
    const match = TRAILER_LINE.exec(line);
    return match && !/^https?$/i.test(match[1]!) ? { key: match[1]!, value: match[2]!.trim() } : undefined;
  });
  const others = parsed.filter((item) => item === undefined).length;
  const gitTrailer = parsed.some((item) => typeof item === 'object' && GIT_TRAILERS.test(`${item.key}:`));
  const count = parsed.filter((item) => typeof item === 'object').length;
  // The whole paragraph (git's rule), else only the trailer lines after its last other line.
  const from = others === 0 || (gitTrailer && count * 3 >= others) ? 0 : parsed.lastIndexOf(undefined) + 1;
  const trailers: Trailer[] = [];
  for (let i = from; i < parsed.length; i++) {
    const item = parsed[i];
    if (item === 'continuation') {
      if (trailers.length > 0) trailers[trailers.length - 1]!.value += ` ${lines[start + i]!.trim()}`;
    } else if (item) trailers.push({ ...item });
  }
  return trailers;
}

/** The tool a trailer names (`''` for an AI declaration that names none), or `undefined` when it is no evidence. */
function trailerTool(
  trailer: Trailer,
  toolOfEmail: (email: string | undefined, name?: string) => string | undefined,
  toolNamed: (text: string) => string | undefined,
): string | undefined {
  const key = trailer.key.toLowerCase();
  const email = /<([^<>\s]+@[^<>\s]+)>/.exec(trailer.value)?.[1];
  const name = trailer.value.replace(/<[^>]*>/g, ' ').trim();
  if (key === 'co-authored-by') return toolOfEmail(email, name);
  if (key === 'replit-commit-author') return /^(agent|assistant)\b/i.test(trailer.value) ? 'replit' : undefined;
  if (!BUILTIN_ASSISTED_TRAILERS.includes(key)) return undefined;
  // `Assisted-by: Claude <noreply@anthropic.com>`, `Assisted-by: aider:gpt-4o`, `Generated-by: GitHub Copilot`. A
  // person's address with no tool name (`Assisted-by: Bob <bob@example.com>`) is a person's help.
  const byEmail = toolOfEmail(email, name);
  if (byEmail) return byEmail;
  const named = toolNamed(name);
  if (named) return named;
  return email ? undefined : '';
}

/**
 * The lines of a PR body that are the author's own text: fenced code blocks, indented code and block quotes left
 * out, leading emoji and emphasis stripped (`🤖 Generated with …`, `*PR created automatically by Jules …*`).
 */
function proseLines(body: string): string[] {
  const lines: string[] = [];
  let fence: string | undefined;
  for (const raw of body.replace(/\r\n?/g, '\n').split('\n')) {
    const fenceMatch = /^ {0,3}(`{3,}|~{3,})/.exec(raw);
    if (fenceMatch) {
      const marker = fenceMatch[1]!;
      if (fence === undefined) fence = marker[0]!.repeat(marker.length);
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      continue;
    }
    if (fence !== undefined || /^( {4}|\t)/.test(raw) || /^ {0,3}>/.test(raw)) continue;
    const line = raw.replace(/^[\s*_~]*(?:(?:\p{Extended_Pictographic}|\p{Emoji_Modifier}|\uFE0F|\u200D)+[\s*_~]*)*/u, '').trim();
    if (line) lines.push(line.length > 2_000 ? line.slice(0, 2_000) : line);
  }
  return lines;
}

function describeIdentity(identity: AiIdentity): string {
  const name = identity.name?.trim() || identity.login?.trim() || '';
  const email = identity.email?.trim();
  return email ? `${name} <${email}>`.trim() : name;
}

/** `Claude[bot]` → `claude`. */
function botBase(login: string): string {
  return login
    .trim()
    .toLowerCase()
    .replace(/\[bot\]$/, '');
}

/** Lower-case words joined by single spaces: `Claude-Code (opus)` → `claude code opus`. */
function words(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.trim().toLowerCase().split('*').map(escapeRegExp).join('.*')}$`);
}
