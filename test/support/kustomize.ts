// `kubectl kustomize DIR`, parsed into documents. kubectl (with kustomize) is on this project's
// machine image; without it the test fails, naming what is missing, and never skips.
/* eslint-disable @typescript-eslint/no-explicit-any -- untyped Kubernetes documents */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export type Doc = Record<string, any>;

export const KIT = fileURLToPath(new URL('../../deploy/kubernetes/', import.meta.url));

export function kustomize(dir: string): Doc[] {
  const r = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  if (r.error)
    throw new Error(`kubectl is needed to render the kit (kubectl kustomize): ${r.error.message}`);
  assert.equal(r.status, 0, `kubectl kustomize ${dir}: ${r.stderr}`);
  return parseAllDocuments(r.stdout).map((d) => {
    assert.deepEqual(d.errors, [], `${dir}: YAML errors`);
    return d.toJS() as Doc;
  });
}
