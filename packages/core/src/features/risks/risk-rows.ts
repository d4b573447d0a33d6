import { type BundleRisk, type RiskEvidence, type RiskSource, riskEvidenceSchema, type TeamRisk } from '../../kernel/model/team-risk.js';
import { formatTimestamp, parseTimestamp } from '../../kernel/model/timestamp.js';
import { compact } from '../../kernel/store/row-mapping.js';
import { opt } from '../../records/store/records.js';
import type { RiskInsert, RiskRow } from './schema.js';

/** Maps a risk (a bundle's, defaults applied) to its `risks` row; `now` stands in for a missing `updatedAt`. */
export const riskToRow = (workspace: string, risk: BundleRisk | TeamRisk): RiskInsert => {
  const createdAt = parseTimestamp(risk.createdAt)!;
  return {
    workspace,
    id: risk.id,
    teamId: risk.team,
    title: risk.title,
    severity: risk.severity,
    likelihood: risk.likelihood,
    ownerId: risk.owner ?? null,
    mitigation: risk.mitigation ?? null,
    status: risk.status,
    reviewBy: risk.reviewBy ?? null,
    source: risk.source,
    evidence: JSON.stringify(risk.evidence),
    createdAt,
    updatedAt: risk.updatedAt === undefined ? createdAt : parseTimestamp(risk.updatedAt)!,
  };
};

/** Evidence as stored; an element that no longer parses (edited behind teamstate) is left out rather than shown wrong. */
function evidenceOf(text: string): RiskEvidence[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((item) => {
    const checked = riskEvidenceSchema.safeParse(item);
    return checked.success ? [checked.data] : [];
  });
}

/** Maps a `risks` row. */
export const riskFromRow = (row: RiskRow): TeamRisk =>
  compact({
    id: row.id,
    team: row.teamId,
    title: row.title,
    severity: row.severity,
    likelihood: row.likelihood,
    owner: opt(row.ownerId),
    mitigation: opt(row.mitigation),
    status: row.status,
    reviewBy: opt(row.reviewBy),
    source: row.source as RiskSource,
    evidence: evidenceOf(row.evidence),
    createdAt: formatTimestamp(row.createdAt),
    updatedAt: formatTimestamp(row.updatedAt),
  }) as TeamRisk;
