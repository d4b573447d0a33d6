#!/usr/bin/env node
// Refuses a Node.js older than 22.12 with one line saying what to do, before anything else fails on it less clearly:
// the root package's `preinstall` and `pnpm demo` run it. Plain syntax, so an old Node.js can parse it.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The oldest Node.js that teamstate runs on (the packages' `engines.node`: `>=22.12`): major and minor version. */
export const MINIMUM_NODE_MAJOR = 22;
export const MINIMUM_NODE_MINOR = 12;

/**
 * What to tell someone whose Node.js is `version` (as in `process.version`: "v20.11.1"), or undefined when it is new enough.
 * @param {string} version
 * @returns {string | undefined}
 */
export function checkNode(version) {
  const match = /^v?(\d+)\.(\d+)\./.exec(version);
  const [major, minor] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  if (major > MINIMUM_NODE_MAJOR || (major === MINIMUM_NODE_MAJOR && minor >= MINIMUM_NODE_MINOR)) return undefined;
  return `teamstate needs Node.js ${MINIMUM_NODE_MAJOR}.${MINIMUM_NODE_MINOR} or newer (this is ${version}): install it from https://nodejs.org or with nvm, then run pnpm install again`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const problem = checkNode(process.version);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
}
