import type { Oncall, SyncContext } from '@teamstate/core';
import type { PagerDutyApi, PdOncall, PdService } from '../client/pagerduty-api.js';
import type { ResolvedPagerDutyOptions } from '../options.js';

export const ONCALLS_CURSOR = 'oncalls';
const DAY = 24 * 3_600_000;
/** The longest range `/oncalls` answers, and so how far back the first sync reads. */
const ONCALL_DAYS = 90;

/** The name a service goes by in teamstate (as its incidents are mapped). */
export const serviceName = (service: { id: string; summary?: string; name?: string }) => service.summary ?? service.name ?? service.id;

/**
 * Stores who is on call: the shifts overlapping the time since the last sync (the first: 90 days back, the most
 * `/oncalls` answers), of the escalation policies of the synced services, one row per shift and service using the
 * policy, each person linked by their PagerDuty email. An incremental sync costs one page of `/services` per 100
 * services and one page of `/oncalls` per 100 shifts that overlap the time since the last sync.
 */
export async function syncOncalls(ctx: SyncContext, options: ResolvedPagerDutyOptions, api: PagerDutyApi): Promise<void> {
  const until = ctx.now();
  const stored = await ctx.getCursor(ONCALLS_CURSOR);
  const floor = until.getTime() - ONCALL_DAYS * DAY;
  const since = new Date(Math.max(stored ? Date.parse(stored) : floor, floor));
  if (since.getTime() >= until.getTime()) return;

  const services: PdService[] = [];
  for (let offset = 0; ; ) {
    const page = await api.services(offset);
    services.push(...page.services.filter((s) => options.services.length === 0 || options.services.includes(s.id)));
    offset += page.services.length;
    if (!page.more || page.services.length === 0) break;
  }
  const byPolicy = new Map<string, PdService[]>();
  for (const service of services) {
    const policy = service.escalation_policy?.id;
    if (policy) byPolicy.set(policy, [...(byPolicy.get(policy) ?? []), service]);
  }
  const cursors = { [ONCALLS_CURSOR]: until.toISOString() };
  if (byPolicy.size === 0) {
    await ctx.emit({}, { cursors });
    return;
  }
  // Every policy when every service is synced (no long list in the URL); else only the synced services' policies.
  const policies = options.services.length === 0 ? [] : [...byPolicy.keys()].sort();
  const shifts: PdOncall[] = [];
  for (let offset = 0; ; ) {
    const page = await api.oncalls({ since: since.toISOString(), until: until.toISOString(), offset, escalationPolicyIds: policies });
    shifts.push(...page.oncalls);
    offset += page.oncalls.length;
    ctx.progress({ phase: 'on-calls', items: offset });
    if (!page.more || page.oncalls.length === 0) break;
  }
  const users = [...new Map(shifts.map((s) => [s.user.id, s.user])).values()];
  const people = await ctx.resolvePeople(
    users.map((user) => ({
      provider: 'pagerduty',
      id: user.id,
      ...(user.email ? { login: user.email.toLowerCase(), email: user.email } : {}),
      name: user.name ?? user.summary ?? user.id,
    })),
  );
  const personOf = new Map(users.map((user, i) => [user.id, people[i]]));
  const oncalls: Oncall[] = [];
  for (const shift of shifts) {
    const person = personOf.get(shift.user.id);
    if (person === undefined) continue;
    for (const service of byPolicy.get(shift.escalation_policy.id) ?? []) {
      const team = options.serviceTeams[service.id];
      const optional = {
        escalationPolicyName: shift.escalation_policy.summary,
        schedule: shift.schedule?.id,
        scheduleName: shift.schedule?.summary,
        team,
        start: shift.start ? new Date(shift.start).toISOString() : undefined,
        end: shift.end ? new Date(shift.end).toISOString() : undefined,
      };
      oncalls.push(
        Object.assign(
          {
            source: 'pagerduty',
            escalationPolicy: shift.escalation_policy.id,
            level: shift.escalation_level,
            service: serviceName(service),
            person,
          },
          Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
        ) as Oncall,
      );
    }
  }
  await ctx.emit({ oncalls }, { cursors });
}
