import { TeamStateError } from '@teamstate/core';
import { UsageError } from '../errors.js';

/**
 * The toolsets of `--toolsets`, else of `mcp.toolsets` in the config, else the default ones (undefined); a wrong name is one error
 * naming the flag or the config key and listing the known toolsets.
 */
export async function chosenToolsets(
  flag: string | undefined,
  configured: readonly string[] | undefined,
): Promise<readonly string[] | undefined> {
  const { parseToolsets } = await import('@teamstate/mcp-server');
  try {
    if (flag !== undefined) return parseToolsets(flag, '--toolsets');
    return configured === undefined ? undefined : parseToolsets(configured, 'mcp.toolsets');
  } catch (error) {
    throw flag !== undefined && TeamStateError.isInstance(error) ? new UsageError(error.message) : error;
  }
}
