import type { Incident } from '../../kernel/model/delivery.js';
import type { BriefPerson, BriefRunbook, BriefTimelineEntry } from './brief-types.js';
import type { Suspect } from './suspects.js';

/** The drafts of a brief, markdown in which every non-empty line ends with the citation of its source row. */
export interface BriefDrafts {
  statusUpdate: string;
  postmortem: string;
}

interface DraftInput {
  incident: Incident & { status: string; source: string; team?: string };
  timeline: BriefTimelineEntry[];
  suspects: Suspect[];
  oncall: BriefPerson[];
  responders: BriefPerson[];
  runbooks: BriefRunbook[];
}

/** Text from people as inline markdown data: one line, brackets and markup escaped, so it can neither forge a citation nor format. */
export function inline(text: string, max = 200): string {
  const one = text
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const cut = one.length > max ? `${one.slice(0, max - 1)}…` : one;
  return cut.replace(/[\\`*_[\]<>#|]/g, (c) => `\\${c}`);
}

/** A line with its citation; the one way a draft line is written. */
const cite = (line: string, ...refs: string[]) => `${line} ${refs.map((r) => `[${r.replace(/[\]\n\r]/g, '')}]`).join(' ')}`;

const hhmm = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

export function draftStatusUpdate(input: DraftInput): string {
  const { incident } = input;
  const ref = `incident:${incident.id}`;
  const lines = [
    cite(`**${incident.status === 'resolved' ? 'Resolved' : 'Investigating'}**: ${inline(incident.title)}`, ref),
    cite(`Started ${hhmm(incident.createdAt)}${incident.service ? ` on service ${inline(incident.service)}` : ''}.`, ref),
  ];
  if (incident.acknowledgedAt) lines.push(cite(`Acknowledged ${hhmm(incident.acknowledgedAt)}; the team is working on it.`, ref));
  const top = input.suspects[0];
  if (top && incident.status !== 'resolved')
    lines.push(
      cite(
        `We are looking at a recent change to ${inline(top.repository)} deployed ${hhmm(top.finishedAt)}.`,
        `deployment:${top.deployment}`,
      ),
    );
  const lastUpdate = [...input.timeline].reverse().find((e) => e.kind === 'status_update');
  if (lastUpdate) lines.push(cite(`Last update: ${inline(lastUpdate.text)}`, lastUpdate.ref));
  if (incident.resolvedAt) lines.push(cite(`Resolved ${hhmm(incident.resolvedAt)}.`, ref));
  else lines.push(cite('Next update within 30 minutes.', ref));
  return `${lines.join('\n')}\n`;
}

export function draftPostmortem(input: DraftInput): string {
  const { incident } = input;
  const ref = `incident:${incident.id}`;
  const out: string[] = [];
  out.push(cite(`# Postmortem: ${inline(incident.title)}`, ref), '');
  out.push(cite('## Summary', ref));
  out.push(
    cite(
      `- ${incident.severity ? `Severity ${inline(incident.severity)}, ` : ''}${incident.urgency ? `${incident.urgency} urgency, ` : ''}source ${inline(incident.source)}${incident.service ? `, service ${inline(incident.service)}` : ''}${incident.team ? `, team ${inline(incident.team)}` : ''}.`,
      ref,
    ),
  );
  out.push(cite(`- Began ${hhmm(incident.createdAt)}.`, ref));
  if (incident.acknowledgedAt) {
    const minutes = Math.round((Date.parse(incident.acknowledgedAt) - Date.parse(incident.createdAt)) / 60_000);
    out.push(cite(`- Acknowledged ${hhmm(incident.acknowledgedAt)} (${minutes} min to acknowledge).`, ref));
  }
  if (incident.resolvedAt) {
    const minutes = Math.round((Date.parse(incident.resolvedAt) - Date.parse(incident.createdAt)) / 60_000);
    out.push(cite(`- Resolved ${hhmm(incident.resolvedAt)} (${minutes} min to resolve).`, ref));
  } else out.push(cite(`- Still ${incident.status}.`, ref));
  out.push('');
  out.push(cite('## Likely cause', ref));
  if (input.suspects.length === 0) out.push(cite('- No deployment of the service or its team in the 24 hours before it began.', ref));
  for (const s of input.suspects.slice(0, 3)) {
    out.push(
      cite(
        `- Deployment ${inline(s.deployment)} of ${inline(s.repository)} (${s.status}), score ${s.score}:`,
        `deployment:${s.deployment}`,
      ),
    );
    for (const r of s.reasons) out.push(cite(`  - ${inline(r.text)}`, ...r.rows));
  }
  out.push('');
  out.push(cite('## Timeline', ref));
  for (const e of input.timeline)
    out.push(cite(`- ${hhmm(e.at)} ${e.kind}${e.actor ? ` (${inline(e.actor, 80)})` : ''}: ${inline(e.text)}`, e.ref));
  out.push('');
  out.push(cite('## People', ref));
  for (const p of input.oncall)
    out.push(cite(`- On call: ${inline(p.name, 80)} (${inline(p.role, 80)})`, p.person ? `person:${p.person}` : ref));
  for (const p of input.responders) out.push(cite(`- Responder: ${inline(p.name, 80)}`, p.person ? `person:${p.person}` : ref));
  if (input.oncall.length + input.responders.length === 0) out.push(cite('- No on-call or responders recorded.', ref));
  out.push('');
  out.push(cite('## Runbooks', ref));
  for (const r of input.runbooks)
    out.push(cite(`- ${inline(r.title, 120)}${r.headingPath.length > 0 ? ` › ${inline(r.headingPath.join(' › '), 120)}` : ''}`, r.ref));
  if (input.runbooks.length === 0) out.push(cite('- No runbook passage matched this incident.', ref));
  out.push('');
  out.push(cite('## Follow-ups', ref));
  out.push(cite('- Confirm or rule out the top suspect, and record the actual cause.', ref));
  return `${out.join('\n')}\n`;
}
