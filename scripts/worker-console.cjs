// Loaded into tsup (NODE_OPTIONS --require, by build-package.mjs): in a worker thread, console output goes straight to
// the process's stdout and stderr. tsup bundles the type declarations in a worker whose console.warn (the bundler's
// warnings) reaches the process through a message port, and it ends that worker as soon as the bundle is written, which
// can drop a warning still on its way: the build would then pass a declaration its users cannot compile.
const { isMainThread } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const { format } = require('node:util');

if (!isMainThread) {
  const to =
    (fd) =>
    (...args) => {
      writeSync(fd, `${format(...args)}\n`);
    };
  console.log = console.info = to(1);
  console.warn = console.error = to(2);
}
