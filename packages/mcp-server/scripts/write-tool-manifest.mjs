// Run by the build (tsup onSuccess): writes dist/tool-manifest.json, the tools the stdio front lists before core loads.
import { writeFileSync } from 'node:fs';

const { toolManifest } = await import('../dist/tool-manifest.js');
writeFileSync(new URL('../dist/tool-manifest.json', import.meta.url), JSON.stringify(toolManifest()));
