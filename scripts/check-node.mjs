#!/usr/bin/env node
// Refuses a Node.js older than 22 with one line saying what to do, before anything else fails on it less clearly:
// the root package's `preinstall` and `pnpm demo` run it. Plain syntax, so an old Node.js can parse it.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The oldest major version of Node.js that teamstate runs on (the packages' `engines.node`). */
export const MINIMUM_NODE_MAJOR = 22;

/**
 * What to tell someone whose Node.js is `version` (as in `process.version`: "v20.11.1"), or undefined when it is new enough.
 * @param {string} version
 * @returns {string | undefined}
 */
export function checkNode(version) {
  const match = /^v?(\d+)\./.exec(version);
  if (match && Number(match[1]) >= MINIMUM_NODE_MAJOR) return undefined;
  return `teamstate needs Node.js ${MINIMUM_NODE_MAJOR} or newer (this is ${version}): install it from https://nodejs.org or with nvm, then run pnpm install again`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const problem = checkNode(process.version);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
}
