// Values that test/support/global-setup.ts hands to every test file via inject().
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalCliPath: string;
    testServerPath: string;
    devServerAddress: string;
    /** The dev server's Prometheus metrics. */
    devServerMetricsUrl: string;
    /** The dev server's process (to read what it was started with). */
    devServerPid: number;
  }
}
