import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTeamState, type TeamState, ValidationError } from '@teamstate/core';
import { RECORD_TABLES } from '@teamstate/core/store';
import { afterAll, describe, expect, it } from 'vitest';
import { BundleScanner } from '../src/records/bundle/bundle-scanner.js';

const dir = mkdtempSync(join(tmpdir(), 'teamstate-import-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

const open = () => createTeamState({ database: ':memory:', clock: () => new Date('2026-03-10T00:00:00Z') });

async function snapshot(ts: TeamState): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of RECORD_TABLES) {
    // Report ids and doc ids are generated when a bundle gives none; the rest must match.
    const rows = (await ts.store.execute(`SELECT * FROM ${table}`)).rows.map((r) => ({ ...r }));
    const comparable = table === 'reports' ? rows.map(({ id: _, doc_id: __, ...rest }) => rest) : rows;
    out[table] = comparable.map((row) => JSON.stringify(row)).sort();
  }
  return out;
}

// A bundle larger than several import chunks (1,000 elements), with multi-byte text, every list referencing others.
function bigBundle(items = 2_600) {
  const people = Array.from({ length: 30 }, (_, i) => ({
    id: `p${i}`,
    name: `Zoë Łukasz ${i} 🚀`,
    teams: ['core'],
    timeZone: 'Europe/Paris',
  }));
  const workItems = Array.from({ length: items }, (_, i) => ({
    id: `wi-${i}`,
    source: 'jira',
    kind: 'story',
    key: `CORE-${i}`,
    title: `Fix "quoted" \\ back\\slash and ünïcode ${i}`,
    state: 'Done',
    statusCategory: 'done',
    team: 'core',
    author: `p${i % 30}`,
    assignees: [`p${(i + 1) % 30}`],
    createdAt: '2026-02-01T09:00:00Z',
    sprint: 's1',
    transitions: [{ at: '2026-02-02T09:00:00+02:00', from: 'To Do', to: 'Done', fromCategory: 'todo', toCategory: 'done' }],
  }));
  return {
    format: 'teamstate.bundle/v1',
    teams: [{ id: 'core', name: 'Core' }],
    people,
    repositories: [{ id: 'acme/core', team: 'core' }],
    workItems,
    sprints: [
      {
        id: 's1',
        name: 'Sprint 1',
        team: 'core',
        state: 'closed',
        startAt: '2026-02-01T00:00:00Z',
        endAt: '2026-02-14T00:00:00Z',
        committedItems: ['wi-0', `wi-${items - 1}`],
      },
    ],
    reports: Array.from({ length: 1_500 }, (_, i) => ({
      person: `p${i % 30}`,
      day: `2026-0${1 + Math.floor(i / 30 / 28)}-${String(1 + (Math.floor(i / 30) % 28)).padStart(2, '0')}`,
      text: `Day ${i}: shipped *things* — naïve café`,
      createdAt: '2026-02-01T18:00:00Z',
    })),
  };
}

function write(bundle: unknown, text = JSON.stringify(bundle, null, 2)): string {
  const file = join(dir, `bundle-${++files}.json`);
  writeFileSync(file, text);
  return file;
}

// The bytes in small pieces, so values, keys, escapes and multi-byte characters straddle chunk boundaries.
async function* pieces(text: string, size: number): AsyncIterable<Uint8Array> {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).issues;
};

describe('ts.importFile (streamed import)', () => {
  it('writes the same rows as ts.import of the same bundle, from a file or a stream cut in small pieces', async () => {
    const bundle = bigBundle();
    const fromObject = await open();
    const objectResult = await fromObject.import(bundle);
    const fromFile = await open();
    const fileResult = await fromFile.importFile(write(bundle));
    expect(fileResult).toEqual(objectResult);
    expect(fileResult.records.workItems).toBe(2_600);
    expect(await snapshot(fromFile)).toEqual(await snapshot(fromObject));
    const fromStream = await open();
    await fromStream.importFile(pieces(JSON.stringify(bundle), 7));
    expect(await snapshot(fromStream)).toEqual(await snapshot(fromObject));
    await Promise.all([fromObject.close(), fromFile.close(), fromStream.close()]);
  });

  it('lets the event loop turn while it writes, even from a source that never waits', async () => {
    // The local driver frees statements only when the event loop turns: a bundle arriving in one piece (no I/O
    // between chunks) must still let it turn, or every statement of the import stays in memory until the commit.
    const ts = await open();
    let turns = 0;
    let spinning = true;
    const spin = () => {
      turns++;
      if (spinning) setImmediate(spin);
    };
    setImmediate(spin);
    await ts.importFile(pieces(JSON.stringify(bigBundle()), Number.MAX_SAFE_INTEGER));
    spinning = false;
    // 2,600 work items, 1,500 reports: over a hundred statements, so several turns (one, at the end, if none yield).
    expect(turns).toBeGreaterThan(4);
    await ts.close();
  });

  it('is idempotent: importing the file again changes nothing', async () => {
    const ts = await open();
    const file = write(bigBundle());
    expect((await ts.importFile(file)).changes).toBeGreaterThan(0);
    const before = await snapshot(ts);
    expect((await ts.importFile(file)).changes).toBe(0);
    expect(await snapshot(ts)).toEqual(before);
    await ts.close();
  });

  it('names a bad record deep in the file by its JSON path and leaves the store untouched', async () => {
    const ts = await open();
    await ts.import({ format: 'teamstate.bundle/v1', teams: [{ id: 'other', name: 'Other' }] });
    const before = await snapshot(ts);
    const bundle = bigBundle();
    (bundle.workItems[2_345] as Record<string, unknown>).createdAt = 'last Tuesday';
    const issues = await refusal(ts.importFile(write(bundle)));
    expect(issues).toEqual([{ path: 'workItems[2345].createdAt', message: expect.stringMatching(/ISO timestamp/) }]);
    expect(await snapshot(ts)).toEqual(before);
    await ts.close();
  });

  it('refuses a dangling reference, naming it, including one a later list was expected to define', async () => {
    const ts = await open();
    const bundle = bigBundle();
    bundle.workItems[1_800]!.author = 'nobody';
    bundle.sprints[0]!.committedItems.push('wi-missing');
    // Named at its first place, with how many more name it (a waiting reference is remembered once per record).
    for (const i of [1_900, 2_000, 2_100]) bundle.workItems[i]!.sprint = 's-missing';
    const issues = await refusal(ts.importFile(write(bundle)));
    expect(issues).toEqual([
      {
        path: 'workItems[1800].author',
        message: 'person "nobody" is not defined in the bundle or the store (add it to the bundle\'s people)',
      },
      {
        path: 'workItems[1900].sprint',
        message:
          'sprint "s-missing" is not defined in the bundle or the store (add it to the bundle\'s sprints); 2 more references name it',
      },
      {
        path: 'sprints[0].committedItems[2]',
        message: 'work item "wi-missing" is not defined in the bundle or the store (add it to the bundle\'s workItems)',
      },
    ]);
    expect(await snapshot(ts)).toEqual(await snapshot(await open()));
    await ts.close();
  });

  it('accepts references to records defined later in the file (sprints before work items)', async () => {
    const ts = await open();
    const { sprints, workItems, ...rest } = bigBundle(1_200);
    const text = JSON.stringify({ ...rest, sprints: sprints.map((s) => ({ ...s, committedItems: ['wi-0', 'wi-1100'] })), workItems });
    const result = await ts.importFile(write(undefined, text));
    expect(result.records).toMatchObject({ sprints: 1, workItems: 1_200 });
    await ts.close();
  });

  it('names a duplicate id in another chunk with its first use, and a second report of a day', async () => {
    const ts = await open();
    const bundle = bigBundle();
    bundle.workItems[2_200]!.id = 'wi-5';
    bundle.reports[1_400] = { ...bundle.reports[1_400]!, person: bundle.reports[3]!.person, day: bundle.reports[3]!.day };
    const issues = await refusal(ts.importFile(write(bundle)));
    expect(issues).toContainEqual({ path: 'workItems[2200].id', message: 'duplicate id "wi-5" (first used at workItems[5])' });
    expect(issues).toContainEqual({
      path: 'reports[1400]',
      message: expect.stringMatching(/^second report of p3 for 2026-01-01 \(first at reports\[3\]\)/),
    });
    await ts.close();
  });

  it('refuses an unknown top-level array, malformed JSON deep in a list, and a file cut short', async () => {
    const ts = await open();
    const unknown = await refusal(ts.importFile(write({ ...bigBundle(10), wikis: [{ id: 'w' }] })));
    expect(unknown).toEqual([{ path: 'wikis', message: expect.stringMatching(/^unknown key/) }]);
    const text = JSON.stringify(bigBundle(1_500));
    const broken = text.replace('"key":"CORE-1234",', '"key":"CORE-1234",,');
    expect(await refusal(ts.importFile(write(undefined, broken)))).toEqual([
      { path: 'workItems[1234]', message: expect.stringMatching(/^not valid JSON in workItems\[1234\]/) },
    ]);
    expect(await refusal(ts.importFile(write(undefined, text.slice(0, text.length / 2))))).toEqual([
      { path: expect.stringMatching(/^workItems\[\d+\]$/), message: expect.stringMatching(/ends too early/) },
    ]);
    expect(await snapshot(ts)).toEqual(await snapshot(await open()));
    await ts.close();
  });
});

describe('BundleScanner', () => {
  it('yields top-level fields and list elements in file order, whatever the chunking', async () => {
    const text =
      ' { "format" : "teamstate.bundle/v1", "teams": [ {"id":"a\\"]}","name":"é"} , {"id":"b","name":"x"} ], "people": [], "n": -1.5e3 } ';
    for (const size of [1, 2, 3, 5, 1000]) {
      const scanner = new BundleScanner();
      const events = [];
      for await (const chunk of pieces(text, size)) events.push(...scanner.push(chunk));
      events.push(...scanner.end());
      expect(events).toEqual([
        { type: 'field', key: 'format', value: 'teamstate.bundle/v1' },
        { type: 'list', key: 'teams' },
        { type: 'element', key: 'teams', index: 0, value: { id: 'a"]}', name: 'é' } },
        { type: 'element', key: 'teams', index: 1, value: { id: 'b', name: 'x' } },
        { type: 'list', key: 'people' },
        { type: 'field', key: 'n', value: -1500 },
      ]);
    }
  });

  it.each([
    ['[]', '', /expected a JSON object/],
    ['{"teams": [1,,2]}', 'teams[1]', /expected an element of "teams"/],
    ['{"teams": [1] "people": []}', 'teams', /expected "," or "}"/],
    ['{"teams": []} x', 'teams', /unexpected data after the bundle/],
  ])('refuses %s with its place', (text, path, message) => {
    const scanner = new BundleScanner();
    let error: unknown;
    try {
      scanner.push(Buffer.from(text));
      scanner.end();
    } catch (e) {
      error = e;
    }
    expect((error as ValidationError).issues).toEqual([{ path, message: expect.stringMatching(message) }]);
  });
});
