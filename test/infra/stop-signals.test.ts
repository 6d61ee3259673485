import { afterEach, describe, expect, it } from 'vitest';
import { FORCE_AFTER_MS, onStopSignals } from '../../infra/stop-signals';

describe('onStopSignals', () => {
  let remove: (() => void) | undefined;
  afterEach(() => remove?.());

  function listen() {
    const stops: string[] = [];
    const exits: number[] = [];
    let clock = 1_000;
    remove = onStopSignals({ stop: (signal) => { stops.push(signal); }, forceExit: (code) => exits.push(code), now: () => clock });
    return { stops, exits, advance: (ms: number) => { clock += ms; } };
  }

  it('stops once for a Ctrl-C that arrives twice (the terminal and tsx relaying it), and keeps listening', () => {
    const { stops, exits, advance } = listen();
    process.emit('SIGINT', 'SIGINT');
    advance(30);
    process.emit('SIGINT', 'SIGINT');
    expect(stops).toEqual(['SIGINT']);
    expect(exits).toEqual([]);
    // Still a listener: with none left, tsx's own handler would exit the process mid-stop.
    expect(process.listenerCount('SIGINT')).toBeGreaterThan(0);
  });

  it('forces the exit for a signal after the stop has had its time', () => {
    const { stops, exits, advance } = listen();
    process.emit('SIGTERM', 'SIGTERM');
    advance(FORCE_AFTER_MS - 1);
    process.emit('SIGINT', 'SIGINT');
    expect(exits).toEqual([]);
    advance(1);
    process.emit('SIGINT', 'SIGINT');
    expect(stops).toEqual(['SIGTERM']);
    expect(exits).toEqual([130]);
  });

  it('removes its listeners when asked', () => {
    const before = process.listenerCount('SIGINT');
    listen();
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    remove!();
    remove = undefined;
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});
