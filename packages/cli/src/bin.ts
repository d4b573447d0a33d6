#!/usr/bin/env node
import { main } from './main.js';

// `teamstate … | head` closes the pipe early: stop quietly, as other command-line tools do, not with an EPIPE stack.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
process.exitCode = await main(process.argv.slice(2));
