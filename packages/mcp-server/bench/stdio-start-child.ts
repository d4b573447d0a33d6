// `pnpm bench mcp-http`'s start-up figure, one sample: this process is the client; it spawns the server given on its
// command line over stdio, initializes, lists the tools and exits. The bench times the whole process, client and
// server together, as a user of a desktop assistant waits for it. Run with Node's own type stripping (no loader).
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

const [command, ...args] = process.argv.slice(2) as [string, ...string[]];
const client = new Client({ name: 'bench', version: '1' });
await client.connect(new StdioClientTransport({ command, args, stderr: 'ignore' }));
const { tools } = await client.listTools();
if (tools.length === 0) throw new Error('no tools listed');
await client.close();
