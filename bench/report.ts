// The result rows: printed as one table and written as a JSON list. Fields that do not apply to
// a row are left out. Latency percentiles are always milliseconds.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { round } from './stats';

export interface ResultRow {
  name: string;
  unit: string;
  /** Through the HTTP API. */
  api?: number;
  /** Through the raw Temporal client, same server, same run. */
  raw?: number;
  /** api ÷ raw for throughputs, raw ÷ api for latencies: the API's share of raw performance. */
  ratio?: number;
  /** A single measurement with no API/raw split (memory, CPU, burst time). */
  value?: number;
  p50?: number;
  p95?: number;
  p99?: number;
  openCases?: number;
  notes?: string;
}

const COLUMNS: (keyof ResultRow)[] = ['name', 'unit', 'api', 'raw', 'ratio', 'value', 'p50', 'p95', 'p99', 'openCases', 'notes'];
const HEADERS: Partial<Record<keyof ResultRow, string>> = { p50: 'p50 ms', p95: 'p95 ms', p99: 'p99 ms', openCases: 'open cases' };

function cell(row: ResultRow, column: keyof ResultRow): string {
  const value = row[column];
  if (value === undefined) return '';
  return typeof value === 'number' ? String(round(value)) : value;
}

/** A plain-text table; the notes column is last and left unpadded. */
export function formatTable(rows: readonly ResultRow[]): string {
  const header = COLUMNS.map((c) => HEADERS[c] ?? c);
  const body = rows.map((row) => COLUMNS.map((c) => cell(row, c)));
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** The same table in Markdown, for bench/README.md. */
export function formatMarkdown(rows: readonly ResultRow[]): string {
  const header = COLUMNS.map((c) => HEADERS[c] ?? c);
  const escape = (text: string) => text.replace(/\|/g, '\\|');
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${COLUMNS.map((c) => escape(cell(row, c))).join(' | ')} |`),
  ].join('\n');
}

export function writeJson(file: string, rows: readonly ResultRow[]): void {
  mkdirSync(dirname(file), { recursive: true });
  const rounded = rows.map((row) => Object.fromEntries(Object.entries(row)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => [k, typeof v === 'number' ? round(v) : v])));
  writeFileSync(file, `${JSON.stringify(rounded, null, 2)}\n`);
}
