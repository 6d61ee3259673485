// Errors as application/problem+json (RFC 9457), with field-level detail for bad input.
// Temporal's errors are mapped here, once: unknown case → 404, refused by the case's state → 409,
// Temporal unreachable → 503. (One exception: an update to a case whose run has completed fails as
// "not found" too, and only a query tells it from an unknown case: routes/cases.ts makes that a 409.)
import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, Response } from 'express';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Logger } from 'pino';
import { ZodError } from 'zod';

export interface FieldError { path: string; message: string }

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
  ) {
    super(detail ?? title);
  }
}

/** RFC 9110's reason phrases, where Node's table still has the older ones. */
const REASON_PHRASES: Record<number, string> = { 413: 'Content Too Large', 422: 'Unprocessable Content' };

/** A problem's title: the status's reason phrase, never an error's class name. */
export const reasonPhrase = (status: number): string => REASON_PHRASES[status] ?? STATUS_CODES[status] ?? 'Error';

export const notFound = (what = 'case') => new HttpProblem(404, 'Not Found', `no such ${what}`);
export const forbidden = (detail: string) => new HttpProblem(403, 'Forbidden', detail);

export function sendProblem(res: Response, problem: HttpProblem): void {
  res.status(problem.status).type('application/problem+json').json({
    type: 'about:blank',
    title: problem.title,
    status: problem.status,
    ...(problem.detail ? { detail: problem.detail } : {}),
    ...(problem.errors ? { errors: problem.errors } : {}),
  });
}

export function fieldErrors(error: ZodError): FieldError[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message }));
}

/** gRPC status codes that mean "Temporal is not there right now". */
const UNAVAILABLE = new Set([14 /* UNAVAILABLE */, 4 /* DEADLINE_EXCEEDED */]);

function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown; cause?: { code?: unknown } })?.code ?? (error as { cause?: { code?: unknown } })?.cause?.code;
  return typeof code === 'number' && UNAVAILABLE.has(code)
    || (error instanceof Error && /ECONNREFUSED|UNAVAILABLE|Failed to connect|connect ETIMEDOUT/i.test(`${error.message} ${String(error.cause ?? '')}`));
}

export function toProblem(error: unknown): HttpProblem | undefined {
  if (error instanceof HttpProblem) return error;
  if (error instanceof ZodError) return new HttpProblem(400, 'Bad Request', 'the request has invalid fields', fieldErrors(error));
  if (error instanceof WorkflowNotFoundError) return notFound();
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    if (error.cause.type === 'CaseStateConflict') return new HttpProblem(409, 'Conflict', error.cause.message);
    if (error.cause.type === 'CaseNotVisible') return notFound();
  }
  if (isUnavailable(error)) return new HttpProblem(503, 'Service Unavailable', 'Temporal is unreachable; nothing was changed. Retry shortly.');
  const type = (error as { type?: unknown })?.type;
  if (typeof type === 'string' && /SyntaxError|entity.parse.failed/.test(type)) return new HttpProblem(400, 'Bad Request', 'the body is not valid JSON');
  const status = (error as { status?: unknown })?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Errors of the body parsers (413, 415, 400) carry their class name (PayloadTooLargeError…): titled by the status.
    return new HttpProblem(status, reasonPhrase(status), (error as Error).message);
  }
  return undefined;
}

export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const problem = toProblem(error);
    if (problem) return sendProblem(res, problem);
    // Messages can carry anything: log the error's class and stack, not its payloads.
    logger.error({ err: { type: (error as Error)?.name, stack: (error as Error)?.stack }, reqId: req.id }, 'unhandled error');
    sendProblem(res, new HttpProblem(500, 'Internal Server Error', 'an unexpected error; it has been logged'));
  };
}
