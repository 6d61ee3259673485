// The bench's command line: a quick default that stays well under five minutes on a small
// machine, and `--long` for the whole zone. Every size can be overridden.
import { parseArgs } from 'node:util';

export interface BenchOptions {
  long: boolean;
  /** Open-case sizes to hold, in increasing order; the rush and the lists are measured at each. */
  openSizes: number[];
  /** Concurrent clients of the registration and check-in loads. */
  clients: number;
  /** Check-ins per path (API and raw) in each rush, and again at the steady rate. */
  checkIns: number;
  /** Check-ins per second of the open-loop (steady-rate) measurement after each rush. */
  rate: number;
  /** Registrations per path in the throughput comparison. */
  registrations: number;
  /** Cases whose deadline passes in the same minute, one burst each. */
  bursts: number[];
  /** Worker workflow cache (maxCachedWorkflows); undefined keeps the configured default. */
  cache?: number;
  /** Seconds of idle sampling while holding open cases. */
  idleSeconds: number;
  /** Samples of each supervisor list per path. */
  querySamples: number;
  output: string;
  /** Print the table as Markdown (for bench/README.md). */
  markdown: boolean;
  /** The items to measure (1–5); all by default. Item 2 without 1 runs at the held sizes only. */
  items: Set<number>;
}

const QUICK = { openSizes: [2_000], checkIns: 1_000, registrations: 500, bursts: [1_000], idleSeconds: 10, querySamples: 20 };
// The long run's rushes are 12,000 check-ins a path (3,000 until session 24): legs of ~2 s at 10k
// put one of the server's heavy seconds (a WAL checkpoint) on one side, and single runs' ratios
// spread 0.73–1.05; with legs four times as long two runs at 10k gave 0.921 and 0.883.
const LONG = { openSizes: [10_000, 50_000, 190_000], checkIns: 12_000, registrations: 2_000, bursts: [1_000, 10_000], idleSeconds: 30, querySamples: 50 };

export const USAGE = `npm run bench [-- options]
  --long               the whole zone: hold 10k, 50k and 190k open cases; bursts of 1,000 and 10,000
  --open <n[,n…]>      open-case sizes to hold (quick default 2000)
  --clients <n>        concurrent clients (default 32)
  --checkins <n>       check-ins per path in each rush and at the steady rate (quick 1000, long 12000)
  --rate <n>           check-ins per second arriving in the steady-rate (open-loop) measurement (default 100, the issue's target)
  --registrations <n>  registrations per path (quick 500, long 2000)
  --burst <n[,n…]>     cases whose deadline passes in the same minute (quick 1000, long 1000,10000)
  --cache <n>          worker maxCachedWorkflows (default: WORKER_MAX_CACHED_WORKFLOWS or 10000)
  --idle <s>           seconds of idle sampling at each size (quick 10, long 30)
  --samples <n>        samples per supervisor list and path (quick 20, long 50)
  --out <file>         JSON output (default bench/latest.json)
  --markdown           print the table as Markdown
  --only <items>       measure only these of the issue's items, e.g. --only 4 (bursts) or --only 3,5`;

function positiveInts(flag: string, raw: string): number[] {
  const values = raw.split(',').map((part) => Number(part.trim()));
  if (values.some((v) => !Number.isInteger(v) || v <= 0)) throw new Error(`--${flag} takes positive integers, got "${raw}"`);
  return values;
}

const ALL_ITEMS = [1, 2, 3, 4, 5];

function itemNumbers(raw: string): number[] {
  const items = positiveInts('only', raw);
  if (items.some((item) => !ALL_ITEMS.includes(item))) throw new Error(`--only takes the issue's item numbers 1–5, got "${raw}"`);
  return items;
}

export function parseOptions(argv: string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      long: { type: 'boolean', default: false },
      open: { type: 'string' },
      clients: { type: 'string' },
      checkins: { type: 'string' },
      rate: { type: 'string' },
      registrations: { type: 'string' },
      burst: { type: 'string' },
      cache: { type: 'string' },
      idle: { type: 'string' },
      samples: { type: 'string' },
      out: { type: 'string' },
      markdown: { type: 'boolean', default: false },
      only: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const preset = values.long ? LONG : QUICK;
  const one = (flag: string, raw: string | undefined, fallback: number) => (raw === undefined ? fallback : positiveInts(flag, raw)[0]);
  return {
    long: Boolean(values.long),
    openSizes: values.open ? positiveInts('open', values.open).sort((a, b) => a - b) : preset.openSizes,
    clients: one('clients', values.clients, 32),
    checkIns: one('checkins', values.checkins, preset.checkIns),
    rate: one('rate', values.rate, 100),
    registrations: one('registrations', values.registrations, preset.registrations),
    bursts: values.burst ? positiveInts('burst', values.burst) : preset.bursts,
    cache: values.cache === undefined ? undefined : one('cache', values.cache, 0),
    idleSeconds: one('idle', values.idle, preset.idleSeconds),
    querySamples: one('samples', values.samples, preset.querySamples),
    output: values.out ?? 'bench/latest.json',
    markdown: Boolean(values.markdown),
    items: new Set(values.only ? itemNumbers(values.only) : ALL_ITEMS),
  };
}
