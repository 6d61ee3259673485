// Starts and stops the embedded Temporal dev server (`temporal server start-dev`) on a SQLite
// file, with sanfan's search attributes declared and the WAL pragmas that make SQLite ~3× faster.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { totalmem } from 'node:os';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';
import { temporalCliPath } from './binaries';
import { devServerSearchAttributeFlags } from './temporal';
import { serverSlotAliases, trimVisibilityIndexes, type TrimOutcome } from './visibility-indexes';

export interface DevServerOptions {
  /** SQLite file; omitted means in-memory (tests). */
  dbFile?: string;
  ip?: string;
  port?: number;
  uiPort?: number;
  /** false starts the server without its Web UI. */
  ui?: boolean;
  namespace?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** A codec endpoint for the Web UI to decode payloads with. */
  uiCodecEndpoint?: string;
  /** 'inherit' shows the server's own output; by default it is not shown (its last lines say why it died while starting). */
  output?: 'inherit';
  /** Serve the server's Prometheus metrics on this port (the bench reads its database calls). */
  metricsPort?: number;
}

export interface DevServer {
  address: string;
  uiUrl?: string;
  process: ChildProcess;
  /** What became of the visibility table's index upkeep: trimmed, or kept and why (SQLite file only). */
  visibilityIndexes?: TrimOutcome;
  stop(): Promise<void>;
}

/** A TCP port that was free a moment ago (for tests: two runs never collide). */
export function freePort(ip = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, ip, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The server process ended before it answered: worth a second try with other ports. */
class ExitedWhileStarting extends Error {}

/** Keeps the last few KiB a process writes, to say why it died while starting. */
function keepOutputTail(child: ChildProcess, limit = 4096): () => Promise<string> {
  let tail = '';
  const keep = (chunk: Buffer) => { tail = (tail + chunk.toString('utf8')).slice(-limit); };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // A process that has exited may still have output in its pipes: read them to the end first.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return async () => {
    await Promise.race([closed, new Promise((r) => setTimeout(r, 1000))]);
    return tail.trim();
  };
}

async function waitUntilServing(address: string, child: ChildProcess, timeoutMs: number, output: () => Promise<string>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const said = await output();
      const how = child.exitCode !== null ? `with code ${child.exitCode}` : `on ${child.signalCode}`;
      throw new ExitedWhileStarting(`Temporal dev server exited ${how} while starting${said ? `: ${said}` : ''}`);
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        // A server that accepts the connection while still starting must not hold the probe forever.
        await connection.withDeadline(Date.now() + 5_000, () => connection.workflowService.getSystemInfo({}));
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`Temporal dev server did not answer on ${address} within ${timeoutMs} ms: ${error}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

const MiB = 1024 * 1024;

/**
 * The history service's caches, sized for the zone. The dev server's own limits are 8,096 cases'
 * mutable state (host level) and 512 KiB of events per shard: in a profile of a 10,000-case
 * deadline burst, timers, task starts and task timeouts read their cases back from SQLite (8.6 % of
 * the server's CPU; gone with these). Counts and bytes are both set: which limit applies depends on
 * defaults that change between server versions. The count covers the whole zone (190,000 cases):
 * at 50,000 open cases a limit of 50,000 still sent half the check-ins to SQLite for their case's
 * state (bench/history.md, session 10). The bytes do not bound the process: at 190,000 open cases
 * the server's RSS was 6.9 GiB with 1 GiB and 7.1 GiB with 3 GiB, and it read a case's state from
 * SQLite for the same share of check-ins (session 11). The count is what costs memory: with
 * 50,000 the RSS there was 2.6 GiB, for nearly twice the reads of a case's state.
 */
const SERVER_CACHES = {
  'history.cacheMaxSize': 200_000, 'history.hostLevelCacheMaxSize': 200_000,
  'history.cacheMaxSizeBytes': 1024 * MiB, 'history.hostLevelCacheMaxSizeBytes': 1024 * MiB,
  'history.eventsCacheMaxSizeBytes': 256 * MiB, 'history.eventsHostLevelCacheMaxSizeBytes': 256 * MiB,
};

/**
 * The CLI's dev server reads the search-attribute definitions from its database again on every
 * read of them, so that attributes added at run time show at once. A workflow task that upserts
 * search attributes reads them many times: a first-level escalation cost 17.5 database calls
 * instead of 5.4 (12 more reads of cluster metadata and the namespace; the bench's `server DB per …`
 * notes), all on SQLite's one connection. sanfan declares its attributes when the server starts,
 * so the server's usual 60 s cache is safe.
 */
const SEARCH_ATTRIBUTES_CACHED = { 'system.forceSearchAttributesCacheRefreshOnRead': false };

/**
 * Every case that has not checked in has a timer at the same deadline (10:00, 20:00), so thousands
 * fall due in the same second. The history service loads due timers 100 at a time and, after 3
 * loads within one second, calls its timer reader stuck and moves that second to a second,
 * lower-priority reader. In a 10,000-case deadline burst 9,500 timers went that way and took
 * ~100 s to fire instead of ~8 s (the server's `task_latency_queue` by `queue_reader_id`). With 1,000
 * loads allowed, a second may hold 100,000 timers before the server splits it.
 */
const SAME_SECOND_TIMERS = { 'history.queueReaderStuckCriticalAttempts': 1000 };

/**
 * SQLite copies the WAL back into the database file (and syncs both) each time the WAL reaches
 * this many pages; the default is 1,000 (4 MB). A deadline burst rewrites the same index pages
 * (status, escalation level) thousands of times: a larger WAL copies each page once per ~80 MB of
 * writes instead of once per 4 MB, and syncs a twentieth as often. The WAL file grows to ~80 MB.
 */
const WAL_PAGES_BEFORE_CHECKPOINT = 20_000;

/**
 * Go's garbage collector, for the server process. By default Go collects each time its heap has
 * doubled since the last collection; the server's live heap is mostly the history caches above
 * (~0.5 GB at 10,000 open cases), and each collection walks it again. GOGC=400 lets the heap grow
 * to five times what is live first. With GODEBUG=gctrace=1 over 16,000 check-ins at 10,000 open
 * cases (bench/history.md, session 13): 11 collections and 11.7–13.7 s of the server's CPU by
 * default, 2–3 and 2.2–3.6 s with 400, ~0.6 ms less per check-in; the server's RSS 1.3 → 2.7–2.9 GiB.
 * GOMEMLIMIT, half the machine's memory, bounds what that costs: nearer the limit, Go collects as
 * often as it must to stay under it. Not less: with a quarter (5.9 GiB here) the server sat at the
 * limit from ~90,000 open cases on, where Go's default alone grows it to ~6.2 GiB at 190,000 (the
 * session 12 long run), so the limit made it collect more often than the default would. Either
 * variable set in the environment wins.
 */
export function serverGoEnvironment(env: NodeJS.ProcessEnv = process.env, machineMemory = totalmem()): NodeJS.ProcessEnv {
  return {
    ...env,
    GOGC: env.GOGC || '400',
    GOMEMLIMIT: env.GOMEMLIMIT || `${Math.floor(machineMemory / 2 / MiB)}MiB`,
  };
}

const SERVER_DYNAMIC_CONFIG = { ...SERVER_CACHES, ...SEARCH_ATTRIBUTES_CACHED, ...SAME_SECOND_TIMERS };

/**
 * Ports chosen here were free a moment before the server binds them, and the server picks more of
 * its own (its internal services). With test files starting servers in parallel, one server once
 * exited with code 2 while starting (in session 21's CI run, before its output was kept): a port
 * taken in between is the likely cause. So a start that ends that way is tried again, with new ports.
 */
const START_ATTEMPTS = 3;

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const ip = options.ip ?? '127.0.0.1';
  const ui = options.ui ?? true;
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort(ip));
    const uiPort = ui ? (options.uiPort ?? (await freePort(ip))) : undefined;
    try {
      return await launchDevServer(options, ip, port, uiPort);
    } catch (error) {
      if (!(error instanceof ExitedWhileStarting) || attempt === START_ATTEMPTS) throw error;
    }
  }
}

async function launchDevServer(options: DevServerOptions, ip: string, port: number, uiPort: number | undefined): Promise<DevServer> {
  const ui = uiPort !== undefined;
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(port),
    '--namespace', options.namespace ?? 'default',
    '--log-level', options.logLevel ?? 'warn',
    ...devServerSearchAttributeFlags()];
  if (ui) args.push('--ui-port', String(uiPort));
  if (ui && options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  else args.push('--headless');
  if (options.metricsPort) args.push('--metrics-port', String(options.metricsPort));
  if (options.dbFile) {
    mkdirSync(dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile,
      '--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=NORMAL',
      '--sqlite-pragma', `wal_autocheckpoint=${WAL_PAGES_BEFORE_CHECKPOINT}`);
  }
  for (const [key, value] of Object.entries(SERVER_DYNAMIC_CONFIG)) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  const output = options.output ?? 'pipe';
  const child = spawn(temporalCliPath(), args, { env: serverGoEnvironment(), stdio: ['ignore', output, output] });
  const outputTail = keepOutputTail(child);
  const address = `${ip}:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // If this process exits first (Ctrl-C while starting, a crash), the server goes with it.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killed = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killed);
  };
  let visibilityIndexes: TrimOutcome | undefined;
  try {
    await waitUntilServing(address, child, 60_000, outputTail);
    // The server created the file's tables when it started (and put the attributes of its
    // `--search-attribute` flags in their slots); every later start finds them trimmed.
    if (options.dbFile) visibilityIndexes = await trimVisibilityIndexes(options.dbFile, await serverSlotAliases(address));
  } catch (error) {
    await stop();
    throw error;
  }
  return { address, uiUrl: ui ? `http://${ip}:${uiPort}` : undefined, process: child, visibilityIndexes, stop };
}
