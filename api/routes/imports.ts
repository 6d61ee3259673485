// POST /api/imports: the daily scan list (扫码名单) as CSV or XLSX, each valid row registered as a
// case. Registration is idempotent per person, so importing a file again creates nothing new: its
// rows answer "existing". With `Accept: application/x-ndjson` the results stream as rows finish.
import express, { Router, type Response } from 'express';
import type { Policy } from '../../domain';
import { actorOf, allow, seesVillage, type Principal } from '../auth';
import { RegisteredElsewhereError, type CaseClient } from '../case-client';
import { checkRow, readScanList, readTable, type DataRow, type RowError, type ScanList } from '../import-rows';
import { HttpProblem, toProblem } from '../problems';

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const UPLOAD_TYPES = ['text/csv', XLSX, 'multipart/form-data'];
const NDJSON = 'application/x-ndjson';
const MAX_UPLOAD = '20mb';
/** Registrations in flight at once: enough to keep Temporal busy without flooding it. */
const CONCURRENCY = 8;

type RowStatus = 'created' | 'existing' | 'rejected' | 'failed';

export interface RowResult {
  row: number;
  status: RowStatus;
  caseId?: string;
  errors?: RowError[];
}

export type ImportTotals = { rows: number } & Record<RowStatus, number>;

export function importsRouter(cases: CaseClient, policy: Policy): Router {
  const router = Router();

  // The role is checked before the body is read: a refused caller does not get to upload 20 MB.
  router.post('/', allow('caseworker', 'supervisor'), express.raw({ type: UPLOAD_TYPES, limit: MAX_UPLOAD }), async (req, res) => {
    const list = readScanList(await readTable(uploadedFile(req.body, req.get('Content-Type'))));
    const importRow = rowImporter(cases, policy, req.principal!, list, (row, error) =>
      req.log?.error({ err: { type: (error as Error)?.name, stack: (error as Error)?.stack }, row }, 'import row failed'));
    const report = req.accepts(['application/json', NDJSON]) === NDJSON ? streamed(res) : collected(res);

    let clientGone = false;
    res.once('close', () => { clientGone = !res.writableFinished; });
    const totals: ImportTotals = { rows: list.rows.length, created: 0, existing: 0, rejected: 0, failed: 0 };
    report.start(list);
    await forEachBounded(list.rows, CONCURRENCY, () => clientGone, async (row) => {
      const result = await importRow(row);
      totals[result.status] += 1;
      report.row(result);
    });
    report.finish(totals);
    // Counts only: rows carry names, phones and ID numbers.
    req.log?.info({ import: totals, clientGone }, 'scan list imported');
  });

  return router;
}

/** The uploaded file's bytes: the raw body, or the `file` field of a form. */
function uploadedFile(body: unknown, contentType = ''): Buffer {
  // express.raw leaves other types unread, and app-level parsers may have made them objects.
  if (!Buffer.isBuffer(body)) {
    throw new HttpProblem(415, 'Unsupported Media Type',
      `send the scan list as text/csv (UTF-8), as ${XLSX}, or as multipart/form-data with the file in a field named "file"`);
  }
  return /^multipart\/form-data/i.test(contentType) ? formFile(body, contentType) : body;
}

/**
 * The `file` field of a multipart/form-data body (RFC 7578). One buffered file is all an import
 * needs, so a few lines of parsing replace a multipart dependency.
 */
function formFile(body: Buffer, contentType: string): Buffer {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!boundary) throw new HttpProblem(400, 'Bad Request', 'the multipart/form-data body has no boundary');
  const delimiter = `--${boundary[1] ?? boundary[2]}`;
  let cursor = body.indexOf(delimiter);
  while (cursor !== -1) {
    const partStart = cursor + delimiter.length;
    if (body.toString('latin1', partStart, partStart + 2) === '--') break; // the closing delimiter
    const headersEnd = body.indexOf('\r\n\r\n', partStart);
    const partEnd = headersEnd === -1 ? -1 : body.indexOf(`\r\n${delimiter}`, headersEnd);
    if (partEnd === -1) break;
    const headers = body.toString('utf8', partStart, headersEnd);
    if (/^content-disposition:.*;\s*name="?file"?(;|\s|$)/im.test(headers)) return body.subarray(headersEnd + 4, partEnd);
    cursor = partEnd + 2;
  }
  throw new HttpProblem(400, 'Bad Request', 'send the scan list in a form field named "file"',
    [{ path: 'file', message: 'missing' }]);
}

const NOT_ATTEMPTED = 'not attempted: Temporal is unreachable. Import the file again later; rows already registered answer "existing"';
const UNEXPECTED = 'could not be registered (an unexpected error; it has been logged). Import the file again to retry this row';

/**
 * Checks a row and registers it when valid. It never throws: once the results stream, an error
 * can no longer become a problem response. Once Temporal is unreachable, the remaining rows are
 * answered at once instead of each waiting for its own timeout.
 */
function rowImporter(cases: CaseClient, policy: Policy, principal: Principal, list: ScanList, logError: (row: number, error: unknown) => void) {
  const actor = actorOf(principal);
  const mayRegisterIn = (village: string) => seesVillage(principal, village);
  let unreachable = false;
  const failed = (row: number, message: string): RowResult => ({ row, status: 'failed', errors: [{ path: '(row)', message }] });
  return async (dataRow: DataRow): Promise<RowResult> => {
    const { row } = dataRow;
    try {
      const check = checkRow(dataRow, list.header, mayRegisterIn);
      if ('errors' in check) return { row, status: 'rejected', errors: check.errors };
      if (unreachable) return failed(row, NOT_ATTEMPTED);
      const answer = await cases.register(check.intake, policy, actor);
      return { row, status: answer.created ? 'created' : 'existing', caseId: answer.case.caseId };
    } catch (error) {
      if (error instanceof RegisteredElsewhereError) return { row, status: 'rejected', errors: [{ path: 'person.idCardNumber', message: error.message }] };
      const problem = toProblem(error);
      if (problem?.status === 503) unreachable = true;
      if (!problem) logError(row, error);
      return failed(row, problem?.detail ?? UNEXPECTED);
    }
  };
}

/** Runs `work` over the items with at most `limit` in flight, in order, until `stop()` says so. */
async function forEachBounded<T>(items: readonly T[], limit: number, stop: () => boolean, work: (item: T) => Promise<void>) {
  let next = 0;
  const lane = async () => {
    while (next < items.length && !stop()) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

interface ImportReport {
  start(list: ScanList): void;
  row(result: RowResult): void;
  finish(totals: ImportTotals): void;
}

/** NDJSON, a line per event as it happens: `start` (the row count, for a progress bar), `row`…, `summary`. */
function streamed(res: Response): ImportReport {
  const line = (event: object) => {
    if (!res.destroyed) res.write(`${JSON.stringify(event)}\n`);
  };
  return {
    start(list) {
      // No proxy buffering: the point is to show progress while the rows are registered.
      res.status(200).type(NDJSON).set({ 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
      res.flushHeaders();
      line({ type: 'start', rows: list.rows.length, ignoredColumns: list.header.ignored });
    },
    row: (result) => line({ type: 'row', ...result }),
    finish(totals) {
      line({ type: 'summary', totals });
      res.end();
    },
  };
}

/** One JSON document at the end, rows in file order. */
function collected(res: Response): ImportReport {
  const rows: RowResult[] = [];
  let ignoredColumns: string[] = [];
  return {
    start: (list) => { ignoredColumns = list.header.ignored; },
    row: (result) => { rows.push(result); },
    finish: (totals) => {
      if (!res.destroyed) res.json({ totals, ignoredColumns, rows: rows.sort((a, b) => a.row - b.row) });
    },
  };
}
