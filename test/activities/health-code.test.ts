// Health-code re-check: the development simulator, and a real endpoint whose answers are checked.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHealthCodeChecker } from '../../activities/health-code';
import { startLocalServer, type LocalServer } from './local-server';

const request = { caseId: 'sf-abc', idCardNumber: '11010519491231002X' };

describe('health-code simulator', () => {
  it('answers green for everyone by default', async () => {
    const recheck = createHealthCodeChecker();
    expect(await recheck(request)).toMatchObject({ colour: 'green', source: 'simulator' });
  });

  it('answers the scripted colour for listed ID-card numbers', async () => {
    const recheck = createHealthCodeChecker({ simulatorOverrides: new Map([[request.idCardNumber, 'red']]) });
    const result = await recheck(request);
    expect(result.colour).toBe('red');
    expect(Date.parse(result.checkedAt)).not.toBeNaN();
    expect((await recheck({ caseId: 'sf-other', idCardNumber: '110105194912310037' })).colour).toBe('green');
  });
});

describe('health-code service over HTTP', () => {
  let server: LocalServer;
  beforeEach(async () => {
    server = await startLocalServer('/recheck');
  });
  afterEach(() => server.close());

  it('posts the case and ID-card number and returns the colour', async () => {
    server.answerWith({ status: 200, body: '{"colour":"yellow","extra":"ignored"}' });
    const recheck = createHealthCodeChecker({ url: server.url });
    const result = await recheck(request);
    expect(result).toMatchObject({ colour: 'yellow', source: new URL(server.url).host });
    const [sent] = server.requests;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('/recheck');
    expect(JSON.parse(sent.body)).toEqual(request);
  });

  it.each([
    ['an unknown colour', 200, '{"colour":"blue"}'],
    ['no colour', 200, '{"status":"ok"}'],
    ['a body that is not JSON', 200, '<html>gateway</html>'],
    ['an HTTP error', 503, `{"colour":"green","echo":"${request.idCardNumber}"}`],
  ])('throws on %s, without the ID-card number in the message', async (_case, status, body) => {
    server.answerWith({ status, body });
    const recheck = createHealthCodeChecker({ url: server.url });
    const failure = await recheck(request).then(() => undefined, (error: Error) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(failure!.message).not.toContain(request.idCardNumber);
  });
});
