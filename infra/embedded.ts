// Where the embedded dev server lives when no cluster is configured.
import type { Config } from './config';

/** TEMPORAL_ADDRESS, or the embedded dev server's address that `npm start` uses. */
export function temporalAddress(config: Config): string {
  return config.temporal.address ?? `${config.devServer.ip}:${config.devServer.port}`;
}
