import { RISK_LIKELIHOODS, RISK_SEVERITIES, RISK_STATUSES } from '@teamstate/core';
import { z } from 'zod';
import { enumArgument, idArgument, limitArgument } from './arguments.js';
import { jsonObject } from './json-value.js';
import { requireTeam } from './references.js';
import { defineTool, readOnly } from './tool-definition.js';

const risk = z.object({
  id: z.string(),
  team: z.string(),
  title: z.string(),
  severity: z.enum(RISK_SEVERITIES),
  likelihood: z.enum(RISK_LIKELIHOODS),
  owner: z.string().optional(),
  mitigation: z.string().optional(),
  status: z.enum(RISK_STATUSES),
  reviewBy: z.string().optional(),
  source: z.string(),
  evidence: z.array(
    z.object({ kind: z.string(), ref: z.string(), title: z.string().optional(), at: z.string().optional(), data: jsonObject.optional() }),
  ),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** `list_risks`: the teams' risk register. */
export const listRisksTool = defineTool({
  name: 'list_risks',
  title: 'Risks',
  toolset: 'plans',
  writes: false,
  description:
    "The teams' risk register, most severe first: what could go wrong, owner, mitigation, review day, evidence. To change it, propose risk.create, risk.update or risk.close.",
  input: z.strictObject({
    team: idArgument().optional(),
    status: enumArgument(z.enum(['open', 'all', ...RISK_STATUSES]), 'Default open: not closed.').optional(),
    limit: limitArgument(200, 50),
  }),
  output: z.object({ risks: z.array(risk) }),
  annotations: readOnly,
  async run(input, { teamState }) {
    if (input.team) await requireTeam(teamState, input.team);
    return { risks: await teamState.risks.list({ team: input.team, status: input.status, limit: input.limit }) };
  },
});
