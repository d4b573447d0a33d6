import type { AiAssessment, AiEvidence } from '../../kernel/model/ai.js';
import { isNoneAnswer } from '../../services/ai-evidence/index.js';
import type { AiCommit, AiDetectionInput, AiDetector } from './detect-ai.js';

// How a pull request's `ai` is settled on every write (import, sync batch, webhook), in one place:
// - labels and body are in the record itself, so their evidence is always detected again (a removed `ai-assisted`
//   label stops counting);
// - what the record gives (`ai`, from a connector that read the commits and the author, or from a bundle) is kept as
//   given and merged with that;
// - a record without `ai` (a webhook payload that carries no commits) keeps what an earlier write found in commits,
//   authors and surveys, which labels and body cannot show; the author's survey answer stays in any case.

const FROM_RECORD: ReadonlySet<AiEvidence['kind']> = new Set(['label', 'body']);

/** What to merge for one pull request. */
export interface AiMergeInput {
  /** The record's own `ai`, if it has one. */
  given?: AiAssessment;
  /** The stored `ai` of this pull request before this write. */
  stored?: AiAssessment;
  /** What the detector found in the record's labels and body. */
  detected: AiAssessment;
}

/**
 * The `ai` to store: evidence deduplicated (given or kept first, then detected), tools those of the evidence plus any
 * given, `assisted` true with any evidence, else `false` or `true` only where given (a survey's "none"), else null.
 */
export function mergeAi(detector: AiDetector, { given, stored, detected }: AiMergeInput): AiAssessment {
  const kept = given ?? keptFromStore(stored);
  // A survey answer is only ever in the store (no connector reads it again): it stays whatever the record gives.
  const answered = given ? (stored?.evidence ?? []).filter((item) => item.kind === 'survey') : [];
  const evidence: AiEvidence[] = [];
  const seen = new Set<string>();
  for (const item of [...(kept?.evidence ?? []), ...answered, ...detected.evidence]) {
    const key = `${item.kind}\u0000${item.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    evidence.push(item);
  }
  const tools = new Set<string>([...(given?.tools ?? []), ...(answered.length > 0 ? (stored?.tools ?? []) : [])]);
  for (const tool of toolsOfEvidence(detector, kept?.evidence ?? [])) tools.add(tool);
  for (const tool of detected.tools) tools.add(tool);
  const saidNone = evidence.filter(isNoneAnswer);
  const assisted =
    evidence.length > saidNone.length ? true : saidNone.length > 0 ? false : kept?.assisted === undefined ? null : kept.assisted;
  return { assisted, tools: assisted === null ? [] : [...tools], evidence };
}

// A stored assessment minus what the record shows again (labels, body).
function keptFromStore(stored: AiAssessment | undefined): AiAssessment | undefined {
  if (!stored) return undefined;
  const evidence = stored.evidence.filter((item) => !FROM_RECORD.has(item.kind));
  // `assisted` stands without evidence only when it was given so (a survey's "none", an import's claim).
  const assisted = stored.evidence.length === 0 ? stored.assisted : evidence.length > 0 ? stored.assisted : null;
  return { assisted, tools: [], evidence };
}

/** The tools that trailer and author evidence name, read again through the detector (so tools follow the evidence). */
export function toolsOfEvidence(detector: AiDetector, evidence: readonly AiEvidence[]): string[] {
  const commits: AiCommit[] = [];
  const input: AiDetectionInput = { commits };
  for (const item of evidence) {
    if (item.kind === 'trailer') commits.push({ message: `-\n\n${item.value}` });
    else if (item.kind === 'author') {
      const identity = /^(.*)<([^<>]+)>$/.exec(item.value);
      if (identity) commits.push({ author: { name: identity[1]!.trim(), email: identity[2]! } });
    }
  }
  const tools = detector.detect(input).tools;
  // A bare login (`claude[bot]`, `copilot-swe-agent`) is read as a PR author too.
  for (const item of evidence) {
    if (item.kind === 'author' && !item.value.includes('<'))
      tools.push(...detector.detect({ author: { login: item.value, type: 'Bot' } }).tools);
  }
  return [...new Set(tools)];
}
