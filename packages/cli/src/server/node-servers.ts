/**
 * Node's HTTP and net modules, taken when a server is made rather than imported by the modules that make one: an ES
 * module import of `node:http` also sets up the fetch-based classes it exports (about 30 ms), at the start of every
 * command, serving or not.
 */
export const nodeHttp = () => process.getBuiltinModule('node:http');
export const nodeNet = () => process.getBuiltinModule('node:net');
