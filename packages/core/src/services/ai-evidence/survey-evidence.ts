import type { AiAssessment, AiEvidence } from '../../kernel/model/ai.js';
import type { SurveyAssisted } from '../../kernel/model/survey.js';
import { BUILTIN_TOOL_NAMES } from './builtin-ai-lists.js';

/** Tool ids of the names an author ticked in a survey (`Claude Code` → `claude`); names no tool has are left out. */
export function surveyToolIds(names: readonly string[]): string[] {
  const ids = new Set<string>();
  for (const name of names) {
    const wanted = name.trim().toLowerCase();
    const id = Object.entries(BUILTIN_TOOL_NAMES).find(([tool, aliases]) => tool === wanted || aliases.includes(wanted))?.[0];
    if (id) ids.add(id);
  }
  return [...ids];
}

/**
 * A pull request's `ai` with its author's survey answer as evidence (`{ kind: 'survey', value: 'author: mostly' }`):
 * `assisted` is true with any other evidence or an answer other than "none", false when "none" is all there is.
 */
export function withSurveyAnswer(stored: AiAssessment | undefined, assisted: SurveyAssisted, tools: readonly string[]): AiAssessment {
  const evidence = [
    ...(stored?.evidence ?? []).filter((item) => item.kind !== 'survey'),
    { kind: 'survey' as const, value: `author: ${assisted}` },
  ];
  const helped = evidence.some((item) => !isNoneAnswer(item));
  const toolIds = assisted === 'none' ? [] : surveyToolIds(tools);
  return { assisted: helped, tools: helped ? [...new Set([...(stored?.tools ?? []), ...toolIds])] : [], evidence };
}

/** A survey answer "none" (`{ kind: 'survey', value: 'none' }`, or `author: none`) is evidence of no AI help. */
export function isNoneAnswer(item: AiEvidence): boolean {
  return item.kind === 'survey' && /(?:^|[\s:])none$/i.test(item.value.trim());
}
