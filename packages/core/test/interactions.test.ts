import { afterEach, describe, expect, it } from 'vitest';
import {
  type Connector,
  createTeamState,
  hmacSha256Hex,
  type InteractionContext,
  type TeamState,
  TeamStateError,
  verifySha256Signature,
  WebhookPayloadError,
} from '../src/index.js';
import { createTestConnector, createTestWorld, teamBundle, testPolicy } from './fixtures/test-connector.js';

const SECRET = 'interaction-secret';
const T0 = Date.parse('2026-03-02T09:00:00Z');

interface Click {
  approval: string;
  account: string;
  decision: 'approve' | 'decline';
}

// A chat tool whose button clicks decide approvals: JSON bodies `{ approval, account, decision }`.
function chat(log: string[]): Connector {
  return {
    specificationVersion: 'v1',
    id: 'chat',
    sync: async () => {},
    interactions: {
      path: 'chat/interactivity',
      verify: (request) => verifySha256Signature(SECRET, request.rawBody, request.headers['x-signature']),
      deliveryId: (request) => hmacSha256Hex('replay', request.rawBody),
      async handle(request, ctx: InteractionContext) {
        const click = JSON.parse(request.rawBody.toString('utf8')) as Partial<Click>;
        if (typeof click.approval !== 'string') throw new WebhookPayloadError('approval: expected an approval id');
        log.push('answered');
        return {
          status: 200,
          answer: null,
          event: 'click',
          async after() {
            log.push('after started');
            const person = await ctx.personFor('slack', String(click.account));
            try {
              const decided = await ctx.approvals.decide(click.approval!, {
                decision: click.decision ?? 'approve',
                by: person ?? `chat:${click.account}`,
              });
              log.push(`decided ${decided.status}`);
            } catch (error) {
              log.push(`refused ${TeamStateError.isInstance(error) ? error.code : String(error)}`);
            }
          },
        };
      },
    },
  };
}

let open: TeamState[] = [];
afterEach(async () => {
  for (const ts of open) await ts.close();
  open = [];
});

async function setup() {
  const log: string[] = [];
  const world = createTestWorld();
  const ts = await createTeamState({
    database: ':memory:',
    connectors: [createTestConnector(world), chat(log)],
    policy: testPolicy,
    clock: () => new Date(T0),
  });
  open.push(ts);
  await ts.import(teamBundle);
  return { ts, log, world };
}

function request(body: unknown, secret = SECRET) {
  const rawBody = Buffer.from(JSON.stringify(body));
  return { headers: { 'x-signature': `sha256=${hmacSha256Hex(secret, rawBody)}` }, rawBody };
}

const note = { type: 'test.note.add', target: 'notes', params: { text: 'hello' }, reason: 'say hello', requestedBy: 'bot' };

describe('interactive requests (ts.webhooks.receive on an interactions path)', () => {
  it('answers first and decides after; done resolves once the work has finished', async () => {
    const { ts, log, world } = await setup();
    const pending = await ts.actions.propose(note);
    const response = await ts.webhooks.receive(
      'chat/interactivity',
      request({ approval: pending.id, account: 'U0ANA', decision: 'approve' }),
    );
    expect(response).toMatchObject({ status: 200, answer: null, body: { ok: true, message: 'click' } });
    expect(log).toEqual(['answered']); // the work has not started when the answer is returned
    await response.done;
    expect(log).toEqual(['answered', 'after started', 'decided executed']);
    expect(world.executions).toHaveLength(1);
  });

  it('drops a replay of the same request: answered, nothing decided, nothing audited', async () => {
    const { ts, log } = await setup();
    const pending = await ts.actions.propose(note);
    const click = request({ approval: pending.id, account: 'U0ANA', decision: 'approve' });
    await (await ts.webhooks.receive('chat/interactivity', click)).done;
    const head = await ts.audit.head();
    const replay = await ts.webhooks.receive('chat/interactivity', click);
    expect(replay).toMatchObject({ status: 200, answer: null, body: { duplicate: true } });
    expect(replay.done).toBeUndefined();
    expect(await ts.audit.head()).toEqual(head);
    expect(log.filter((entry) => entry.startsWith('decided'))).toEqual(['decided executed']);
  });

  it('refuses a bad signature with 401 and an unusable payload with 400, doing nothing', async () => {
    const { ts, log } = await setup();
    const pending = await ts.actions.propose(note);
    const forged = await ts.webhooks.receive('chat/interactivity', request({ approval: pending.id, account: 'U0ANA' }, 'wrong'));
    expect(forged).toMatchObject({ status: 401, body: { ok: false } });
    const unusable = await ts.webhooks.receive('chat/interactivity', request({ account: 'U0ANA' }));
    expect(unusable).toMatchObject({ status: 400, body: { message: 'approval: expected an approval id' } });
    expect(log).toEqual([]);
    expect((await ts.approvals.get(pending.id))!.status).toBe('pending');
  });

  it('applies the approver rules: an unlinked account is refused and the refusal is audited', async () => {
    const { ts, log } = await setup();
    const pending = await ts.actions.propose(note);
    await (await ts.webhooks.receive('chat/interactivity', request({ approval: pending.id, account: 'U0NOBODY' }))).done;
    expect(log).toContain('refused unknown_approver');
    const [refused] = await ts.audit.list({ approvalId: pending.id, type: 'approval.decision_refused' });
    expect(refused).toMatchObject({ actor: 'chat:U0NOBODY', data: { code: 'unknown_approver' } });
  });

  it('lets handlers check edited params without deciding anything', async () => {
    let context: InteractionContext | undefined;
    const probe: Connector = {
      specificationVersion: 'v1',
      id: 'probe',
      sync: async () => {},
      interactions: {
        path: 'probe',
        verify: () => true,
        async handle(_request, ctx) {
          context = ctx;
          return { status: 200, answer: { ok: 1 }, event: 'probe' };
        },
      },
    };
    const other = await createTeamState({ database: ':memory:', connectors: [createTestConnector(createTestWorld()), probe] });
    open.push(other);
    expect(await other.webhooks.receive('probe', { headers: {}, rawBody: Buffer.from('') })).toMatchObject({
      status: 200,
      answer: { ok: 1 },
    });
    expect(context!.checkParams('test.note.add', { text: 'edited' })).toEqual({ ok: true, params: { text: 'edited', outcome: 'ok' } });
    const bad = context!.checkParams('test.note.add', { text: '' });
    expect(bad).toMatchObject({ ok: false, issues: [{ path: 'params.text' }] });
    expect(context!.checkParams('jira.issue.transition', {})).toMatchObject({
      ok: false,
      message: expect.stringContaining('no configured connector declares'),
    });
  });

  it('close() waits for work started after an answer', async () => {
    const { ts, log } = await setup();
    const pending = await ts.actions.propose(note);
    await ts.webhooks.receive('chat/interactivity', request({ approval: pending.id, account: 'U0ANA' }));
    await ts.close();
    expect(log).toEqual(['answered', 'after started', 'decided executed']);
  });

  it('refuses two connectors on the same path', async () => {
    const twice = chat([]);
    await expect(createTeamState({ database: ':memory:', connectors: [twice, { ...twice, id: 'chat-2' }] })).rejects.toThrow(
      'connectors: two connectors use the same webhook path "chat/interactivity"',
    );
  });
});
