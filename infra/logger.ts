// pino, with every field that could carry a returnee's identity redacted before it is written.
import pino, { type Logger } from 'pino';

export const REDACTED_PATHS = [
  // (Top-level `name` is pino's logger name, so only nested `name` fields are redacted.)
  'person', '*.person', 'intake', '*.intake', '*.name', 'phone', '*.phone', 'idCardNumber', '*.idCardNumber',
  'landlord', '*.landlord', 'address', '*.address',
  'req.headers.authorization', 'req.headers.cookie',
];

/** To stdout, or to `destination` (the bench writes the same lines to /dev/null). */
export function createLogger(level: string, name = 'sanfan', destination?: pino.DestinationStream): Logger {
  return pino({ name, level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination);
}
