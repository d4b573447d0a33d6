// Executes the connector's GraphQL queries against GitHub's published schema (@octokit/graphql-schema),
// with resolvers over an in-memory world. A query that GitHub would reject (unknown field, wrong argument
// type, unused variable) fails here too; data that does not fit the schema (a wrong enum value, a missing
// non-null field) fails as well. Connections are stored as arrays and paginated here like GitHub does.
import { readFileSync } from 'node:fs';
import {
  buildClientSchema,
  type DocumentNode,
  type FieldNode,
  GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  getNamedType,
  graphql,
  type IntrospectionQuery,
  Kind,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
  valueFromASTUntyped,
} from 'graphql';

let schemaCache: GraphQLSchema | undefined;

/** GitHub's schema (built once per process: the introspection JSON is 5 MB). */
export function githubGraphqlSchema(): GraphQLSchema {
  if (!schemaCache) {
    // The package's entry point also loads a validator that needs an undeclared dependency (tslib):
    // read the introspection JSON it ships instead.
    const path = new URL('../../node_modules/@octokit/graphql-schema/schema.json', import.meta.url);
    const json = JSON.parse(readFileSync(path, 'utf8')) as { data?: IntrospectionQuery } & IntrospectionQuery;
    schemaCache = buildClientSchema(json.data ?? json);
  }
  return schemaCache;
}

const encodeCursor = (index: number) => Buffer.from(`cursor:v2:${index}`).toString('base64');
const decodeCursor = (cursor: string) => Number(Buffer.from(cursor, 'base64').toString('utf8').split(':').at(-1));

/** Paginates an array like a GitHub connection (`first`/`after`, `last`/`before`). */
export function paginate<T>(items: readonly T[], args: { first?: number | null; after?: string | null; last?: number | null }) {
  if (args.first != null && args.first > 100)
    throw new GraphQLError(`Requesting ${args.first} records on the connection exceeds the \`first\` limit of 100 records.`, {
      extensions: { type: 'EXCESSIVE_PAGINATION' },
    });
  const start = args.after ? decodeCursor(args.after) + 1 : 0;
  let end = args.first != null ? start + args.first : items.length;
  let from = start;
  if (args.last != null && args.first == null) from = Math.max(start, items.length - args.last);
  end = Math.min(end, items.length);
  const nodes = items.slice(from, end);
  return {
    nodes,
    edges: nodes.map((node, i) => ({ node, cursor: encodeCursor(from + i) })),
    totalCount: items.length,
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: from > 0,
      startCursor: nodes.length ? encodeCursor(from) : null,
      endCursor: nodes.length ? encodeCursor(end - 1) : null,
    },
  };
}

/** Paginates `total` items produced on demand by `itemAt(index)` (a long commit history), like {@link paginate}. */
export function paginateRange<T>(total: number, args: { first?: number | null; after?: string | null }, itemAt: (index: number) => T) {
  const start = args.after ? decodeCursor(args.after) + 1 : 0;
  const end = Math.min(total, args.first != null ? start + args.first : total);
  const nodes = Array.from({ length: Math.max(0, end - start) }, (_, i) => itemAt(start + i));
  return {
    nodes,
    totalCount: total,
    pageInfo: {
      hasNextPage: end < total,
      hasPreviousPage: start > 0,
      startCursor: nodes.length ? encodeCursor(start) : null,
      endCursor: nodes.length ? encodeCursor(end - 1) : null,
    },
  };
}

/** GitHub's documented cost: every connection's `first`/`last` multiplies the requests its children need; sum / 100, at least 1. */
export function queryCost(document: DocumentNode, variables: Record<string, unknown>, operationName?: string): number {
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [])),
  );
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
  );
  if (!operation) return 1;
  let requests = 0;
  const walk = (selections: SelectionSetNode | undefined, multiplier: number) => {
    for (const selection of selections?.selections ?? []) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) walk(fragments.get(selection.name.value), multiplier);
      else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet, multiplier);
      else {
        const size = pageArgument(selection, variables);
        if (size === undefined) walk(selection.selectionSet, multiplier);
        else {
          requests += multiplier;
          walk(selection.selectionSet, multiplier * size);
        }
      }
    }
  };
  walk(operation.selectionSet, 1);
  return Math.max(1, Math.round(requests / 100));
}

function pageArgument(field: FieldNode, variables: Record<string, unknown>): number | undefined {
  for (const arg of field.arguments ?? []) {
    if (arg.name.value === 'first' || arg.name.value === 'last') {
      const value = valueFromASTUntyped(arg.value, variables);
      if (typeof value === 'number') return value;
    }
  }
  return undefined;
}

/** A GraphQL error GitHub reports with a `type` (NOT_FOUND, …). */
export function typedError(type: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { type } });
}

// Fields whose value in the world is a function get called with the arguments; arrays under a
// connection type are paginated; everything else is read as a property.
const fieldResolver: GraphQLFieldResolver<Record<string, unknown>, unknown> = (source, args, _context, info) => {
  const raw = source?.[info.fieldName];
  const value = typeof raw === 'function' ? (raw as (a: unknown) => unknown).call(source, args) : raw;
  const type = getNamedType(info.returnType);
  if (Array.isArray(value) && type.name.endsWith('Connection')) return paginate(value, args as { first?: number; after?: string });
  return value;
};

/** The answer to one GraphQL request: GitHub's body shape (`data`, `errors` with `type`) and the cost. */
export interface GraphqlAnswer {
  body: { data?: unknown; errors?: { type?: string; message: string; path?: readonly (string | number)[] }[] };
  cost: number;
  operationName?: string;
}

/** Runs a query against the schema with `root` as the Query object. */
export async function executeGraphql(
  root: Record<string, unknown>,
  request: { query: string; variables?: Record<string, unknown>; operationName?: string },
  rateLimit: (cost: number) => Record<string, unknown>,
): Promise<GraphqlAnswer> {
  const schema = githubGraphqlSchema();
  let document: DocumentNode;
  try {
    document = parse(request.query);
  } catch (error) {
    return { body: { errors: [{ message: (error as Error).message }] }, cost: 0 };
  }
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const variables = request.variables ?? {};
  const cost = queryCost(document, variables);
  const result = await graphql({
    schema,
    source: request.query,
    variableValues: variables,
    rootValue: { ...root, rateLimit: () => rateLimit(cost) },
    fieldResolver,
    typeResolver: (value) => (value as { __typename?: string }).__typename,
  });
  const body: GraphqlAnswer['body'] = {};
  if (result.data) body.data = result.data;
  if (result.errors?.length)
    body.errors = result.errors.map((e) => ({
      ...(e.extensions?.type ? { type: String(e.extensions.type) } : {}),
      message: e.message,
      ...(e.path ? { path: e.path } : {}),
    }));
  return { body, cost, operationName: operation?.name?.value };
}
