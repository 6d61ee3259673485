// The one way activities call out over HTTP: a JSON POST that gives up before Temporal's
// start-to-close timeout (30 s), so a hung endpoint fails the attempt and Temporal retries it.

export const HTTP_TIMEOUT_MS = 10_000;

export type FetchImpl = typeof fetch;

export function postJson(
  fetchImpl: FetchImpl, url: string, body: unknown, headers: Record<string, string> = {},
): Promise<Response> {
  return fetchImpl(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  });
}
