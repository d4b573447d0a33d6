// Loaded into tsup (NODE_OPTIONS --require, by build-package.mjs): in a worker thread, console output goes straight to
// the process's stdout and stderr. tsup bundles the type declarations in a worker whose console.warn (the bundler's
// warnings) reaches the process through a message port, and it ends that worker as soon as the bundle is written, which
// drops what is still queued: the build would then pass a declaration its users cannot compile
// (test/worker-console.test.ts).
const { isMainThread } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const { format } = require('node:util');

if (!isMainThread) {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  /** Writes all of `text` to `fd`, waiting while a pipe whose reader lags is full (a non-blocking pipe says EAGAIN). */
  const write = (fd, text) => {
    let rest = Buffer.from(text);
    while (rest.length > 0) {
      try {
        rest = rest.subarray(writeSync(fd, rest));
      } catch (error) {
        if (error.code !== 'EAGAIN') throw error;
        Atomics.wait(pause, 0, 0, 1);
      }
    }
  };
  const to =
    (fd) =>
    (...args) =>
      write(fd, `${format(...args)}\n`);
  console.log = console.info = to(1);
  console.warn = console.error = to(2);
}
