// `npm run bench`: starts its own Temporal server, worker and API, measures the issue's five items,
// prints one table and writes it to bench/latest.json. See bench/README.md.
import { resolve } from 'node:path';
import { MissingToolError } from '../infra/binaries';
import { startEnvironment, type BenchEnvironment } from './environment';
import { footprint } from './footprint';
import { describeMachine, loadAverage, machineLine, temporalLine } from './machine';
import { OpenCases } from './open-cases';
import { parseOptions, USAGE, type BenchOptions } from './options';
import { holdPolicy } from './policies';
import { formatMarkdown, formatTable, writeJson, type ResultRow } from './report';
import { measureCheckInRush, measureCheckInsWhileSupervisorLooks, measureSteadyCheckIns } from './scenarios/check-in-rush';
import { measureDeadlineBurst } from './scenarios/deadline-burst';
import { holdOpenCases, type Held } from './scenarios/hold-open-cases';
import { measureRegistration } from './scenarios/registration';
import { listRequest, measureSupervisorRequest, statsRequest, SUPERVISOR_LISTS } from './scenarios/supervisor-lists';

const say = (line: string) => process.stdout.write(`[bench] ${line}\n`);
const ISSUE_LIST_SIZE = 10_000;

async function measureAll(env: BenchEnvironment, options: BenchOptions, rows: ResultRow[]): Promise<void> {
  const open = new OpenCases();
  const empty = footprint(env);
  const item = (n: number) => options.items.has(n);
  const lists = async () => {
    if (!item(5)) return;
    say('5. supervisor lists…');
    const requests = [...SUPERVISOR_LISTS.map((list) => listRequest(env, list)), statsRequest()];
    for (const request of requests) rows.push(await measureSupervisorRequest(env, request, options.querySamples, open.count));
  };
  const rush = async () => {
    if (!item(2) || open.count === 0) return;
    say(`2. check-in rush: ${options.clients} clients, ${options.checkIns} per path, at ${open.count.toLocaleString('en')} open cases…`);
    rows.push(await measureCheckInRush(env, open, options.checkIns, options.clients));
    say(`2. check-ins arriving at ${options.rate}/s (open loop), ${options.checkIns} per path…`);
    rows.push(await measureSteadyCheckIns(env, open, options.checkIns, options.rate));
    // Below the issue's list size every count is cheap and none is reused: nothing to compare.
    if (!item(5) || open.count < ISSUE_LIST_SIZE) return;
    say(`2. check-ins at ${options.rate}/s while a supervisor looks at pending isolations every second…`);
    // At most 3,000 a mode (a minute in all at 100/s): ~30 looks a mode, and the long run stays an hour.
    rows.push(await measureCheckInsWhileSupervisorLooks(env, open, Math.min(options.checkIns, 3_000), options.rate));
  };

  let rate = 80; // registrations per second on this kind of machine, until measured
  if (item(1)) {
    say(`1. registration: ${options.registrations} per path, API and raw client…`);
    const registration = await measureRegistration(env, open, options.registrations, options.clients);
    rows.push(registration);
    rate = registration.raw ?? rate;
    await rush();
  }

  let previous: Held = { footprint: empty, openCases: 0 };
  for (const size of item(3) ? options.openSizes : []) {
    say(`3. holding ${size.toLocaleString('en')} open cases…`);
    const hold = await holdOpenCases(env, open, size, { clients: options.clients, idleSeconds: options.idleSeconds, empty, previous, say });
    rows.push(...hold.rows);
    previous = hold.held;
    rate = hold.rows.find((row) => row.name === 'fill (raw client)')?.raw ?? rate;
    await rush();
    await lists();
  }

  for (const size of item(4) ? options.bursts : []) {
    say(`4. deadline burst of ${size.toLocaleString('en')} cases…`);
    rows.push(await measureDeadlineBurst(env, open, size, { clients: options.clients, expectedRate: rate, say }));
  }
  if (item(4) && options.bursts.length) await lists(); // again, now that `overdue` is not empty
}

/** What a reader must know to read the table: machine, mode, settings, where time was bent. */
function runNotes(options: BenchOptions, env: BenchEnvironment, seconds: number, loadBefore: number): string[] {
  const { tuning } = env.worker.settings;
  const notes = [
    `machine: ${machineLine(describeMachine())}; load average ${loadBefore} before the run, ${loadAverage()} at the end`,
    `mode: ${options.long ? '--long' : 'quick'} preset${process.argv.length > 2 ? ` with ${process.argv.slice(2).join(' ')}` : ''}; open sizes ${options.openSizes.join(', ')}; bursts ${options.bursts.join(', ')}; ${options.clients} clients; took ${Math.round(seconds)} s`,
    `Temporal: ${temporalLine(env.address, env.server)}`,
    `worker: separate process, maxCachedWorkflows ${tuning.maxCachedWorkflows}, workflow tasks ${tuning.maxConcurrentWorkflowTaskExecutions} (${tuning.maxConcurrentWorkflowTaskPolls} pollers, ${tuning.workflowThreadPoolSize} workflow thread${tuning.workflowThreadPoolSize === 1 ? '' : 's'}), activities ${tuning.maxConcurrentActivityTaskExecutions}, sticky queue timeout ${tuning.stickyQueueTimeoutSeconds} s; API in the bench process with the load generator`,
    'time: real time throughout, no time skipping; bench policies move the two daily deadlines (bench-hold: the next deadline at least 2 h away, its slot open; bench-burst-N: the next whole minute after registering)',
  ];
  if (Math.max(...options.openSizes) < ISSUE_LIST_SIZE) notes.push(`lists measured below the issue's 10k+ open cases: run with --long or --open ${ISSUE_LIST_SIZE}`);
  if (!options.bursts.includes(10_000)) notes.push('no 10,000-case burst in this run: use --long or --burst 1000,10000');
  return notes;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options === 'help') {
    console.log(USAGE);
    return;
  }
  const format = options.markdown ? formatMarkdown : formatTable;
  const rows: ResultRow[] = [];
  // Ctrl-C abandons the run, also while it is starting: the rows measured so far are printed but
  // not written, and the server, the worker and the temporary files go with this process (exit
  // hooks in the environment). A graceful stop gained nothing and raced the load's in-flight
  // retries against the closing connection.
  const abandon = (signal: NodeJS.Signals) => {
    if (rows.length) console.log(`\nmeasured before ${signal} (incomplete run):\n\n${format(rows)}\n`);
    say(`${signal}: run abandoned, nothing written`);
    process.exit(130);
  };
  process.on('SIGINT', abandon);
  process.on('SIGTERM', abandon);
  const started = Date.now();
  const loadBefore = loadAverage();
  say(`machine: ${machineLine(describeMachine())}`);
  say('starting Temporal, the worker (bundling the workflow code) and the API…');
  const env = await startEnvironment({ policy: holdPolicy(started), clients: options.clients, cache: options.cache });
  let complete = false;
  try {
    await measureAll(env, options, rows);
    complete = true;
  } finally {
    const notes = runNotes(options, env, (Date.now() - started) / 1000, loadBefore);
    await env.stop();
    if (rows.length) console.log(`\n${notes.join('\n')}\n\n${format(rows)}\n`);
    // Only a complete run replaces the previous results.
    if (complete) {
      const output = resolve(options.output);
      writeJson(output, [{ name: 'run', unit: '', notes: notes.join('; ') }, ...rows]);
      console.log(`written to ${output}`);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof MissingToolError ? `[bench] ${error.message}` : error);
  process.exit(1);
});
