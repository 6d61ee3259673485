// Runs before every npm script, with nothing installed yet: plain Node, no dependencies.
// Installs the npm dependencies when node_modules is missing or older than package-lock.json,
// so that `npm start` and `npm test` work on a fresh clone. The Temporal binaries are fetched
// later, by infra/binaries.ts, only by the commands that need them.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`sanfan needs Node.js 20.19 or newer; this is ${process.version}. Install a newer Node.js and retry.`);
  process.exit(1);
}

const lockFile = join(root, 'package-lock.json');
const stampFile = join(root, 'node_modules', '.sanfan-installed');
// The SDK patches (patches/, infra/patch-core-bridge.mjs) are applied by npm ci (postinstall):
// a changed patch reinstalls too.
const patchesDir = join(root, 'patches');
const hash = createHash('sha256').update(readFileSync(lockFile)).update(readFileSync(join(root, 'infra', 'patch-core-bridge.mjs')));
for (const patch of existsSync(patchesDir) ? readdirSync(patchesDir).sort() : []) hash.update(patch).update(readFileSync(join(patchesDir, patch)));
const installHash = hash.digest('hex');
const installed = existsSync(stampFile) && readFileSync(stampFile, 'utf8') === installHash;

if (!installed) {
  console.log('[sanfan] installing npm dependencies (npm ci)…');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('[sanfan] npm ci failed: see the output above. Check that the npm registry is reachable.');
    process.exit(result.status ?? 1);
  }
  writeFileSync(stampFile, installHash);
}
