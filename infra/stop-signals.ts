// Ctrl-C and SIGTERM for the long-running entry points (`npm start`, `npm run api`, `npm run worker`).
// A terminal's Ctrl-C reaches the process twice: from the terminal (the whole process group) and
// again from tsx, which relays it to its child and then checks that the child handled it. With a
// one-shot listener the relayed copy found no listener left and tsx's handler exited the process
// halfway through a graceful stop. So the listener stays, and repeats are ignored until the stop
// has had time to work; a Ctrl-C after that forces the exit.
export const FORCE_AFTER_MS = 2_000;

export interface StopSignalOptions {
  /** The graceful stop; called once, for the first signal. */
  stop: (signal: NodeJS.Signals) => void | Promise<void>;
  /** How a forced stop ends the process (injectable for tests). */
  forceExit?: (code: number) => void;
  now?: () => number;
  say?: (line: string) => void;
}

/** Listens for SIGINT and SIGTERM until the process exits; returns the listener's removal. */
export function onStopSignals(options: StopSignalOptions): () => void {
  const { stop, forceExit = (code) => process.exit(code), now = Date.now, say } = options;
  let firstAt: number | undefined;
  const listener = (signal: NodeJS.Signals) => {
    if (firstAt === undefined) {
      firstAt = now();
      void stop(signal);
    } else if (now() - firstAt >= FORCE_AFTER_MS) {
      say?.(`${signal} again: exiting without waiting for the stop to finish`);
      forceExit(130);
    }
  };
  const signals = ['SIGINT', 'SIGTERM'] as const;
  for (const signal of signals) process.on(signal, listener);
  return () => { for (const signal of signals) process.off(signal, listener); };
}
