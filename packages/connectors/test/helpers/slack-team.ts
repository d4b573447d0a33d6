/**
 * The team the approval tests use: `ana` and `dev` lead and have Slack accounts, `lee` leads without
 * one, `ben` is in no team but has a Slack account.
 */
export const leadsBundle = {
  format: 'teamstate.bundle/v1',
  teams: [{ id: 'leads', name: 'Leads' }],
  people: [
    { id: 'ana', name: 'Ana', teams: ['leads'], accounts: [{ provider: 'slack', id: 'U0ANA' }] },
    { id: 'dev', name: 'Dev', teams: ['leads'], accounts: [{ provider: 'slack', id: 'U0DEV' }] },
    { id: 'lee', name: 'Lee', teams: ['leads'] },
    { id: 'ben', name: 'Ben', teams: [], accounts: [{ provider: 'slack', id: 'U0BEN' }] },
  ],
};

/** Posting is high risk and needs a lead (4 hours to decide); DMs ask anyone but the requester. */
export const leadsPolicy = {
  actions: { 'slack.message.post': { risk: 'high', mode: 'require_approval' }, 'slack.dm.send': { mode: 'ask' } },
  approvers: { high: ['team:leads'] },
  ttl: { high: '4h' },
} as const;
