import { ProtocolError, ProtocolErrorCode, type ReadResourceResult } from '@modelcontextprotocol/server';
import { TeamStateError } from '@teamstate/core';

/** A resource read answered with one JSON document. */
export function jsonContents(uri: URL, value: unknown): ReadResourceResult {
  return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(value, null, 2) }] };
}

/** Runs a read; a teamstate error (unknown id, bad argument) becomes an `InvalidParams` protocol error with its message. */
export async function readOrExplain(read: () => Promise<ReadResourceResult>): Promise<ReadResourceResult> {
  try {
    return await read();
  } catch (error) {
    if (TeamStateError.isInstance(error)) throw new ProtocolError(ProtocolErrorCode.InvalidParams, error.message);
    throw error;
  }
}

/** The single value of a URI template variable (the SDK gives `string | string[]`). */
export function variable(value: string | string[] | undefined): string {
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}
