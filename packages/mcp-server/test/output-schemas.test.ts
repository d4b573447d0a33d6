import { createTeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from './fixtures/connect.js';

let server: Awaited<ReturnType<typeof connect>>;
let close: () => Promise<void>;

beforeAll(async () => {
  const ts = await createTeamState({ database: ':memory:' });
  server = await connect(ts);
  close = async () => {
    await server.close();
    await ts.close();
  };
});
afterAll(() => close());

type Schema = Record<string, unknown>;

/** JSON paths of sub-schemas that say nothing about their values (`{}`, or an object whose extra properties are `{}`). */
function untyped(schema: unknown, path: string): string[] {
  if (schema === true || (typeof schema === 'object' && schema !== null && Object.keys(schema).length === 0)) return [path];
  if (typeof schema !== 'object' || schema === null) return [];
  const s = schema as Schema;
  const found: string[] = [];
  const typedBy = ['type', 'anyOf', 'oneOf', 'allOf', 'enum', 'const', '$ref', 'not'];
  if (!typedBy.some((key) => key in s)) found.push(path);
  for (const [key, value] of Object.entries((s.properties ?? {}) as Record<string, unknown>))
    found.push(...untyped(value, `${path}.${key}`));
  if (s.additionalProperties !== undefined && s.additionalProperties !== false)
    found.push(...untyped(s.additionalProperties, `${path}[*]`));
  if (s.items !== undefined) found.push(...untyped(s.items, `${path}[]`));
  for (const key of ['anyOf', 'oneOf', 'allOf'])
    for (const [i, branch] of ((s[key] ?? []) as unknown[]).entries()) found.push(...untyped(branch, `${path}|${key}${i}`));
  return found;
}

describe('tool schemas (issue 17)', () => {
  it('every output schema is typed all the way down: no untyped {} sub-schema for a strict MCP client to warn about', async () => {
    const { tools } = await server.client.listTools();
    const problems = tools.flatMap((tool) =>
      tool.outputSchema ? untyped(tool.outputSchema, tool.name) : [`${tool.name}: no outputSchema`],
    );
    expect(problems).toEqual([]);
  });

  it('every input schema is typed all the way down too', async () => {
    const { tools } = await server.client.listTools();
    expect(tools.flatMap((tool) => untyped(tool.inputSchema, tool.name))).toEqual([]);
  });
});
