// Recorded histories for the replay test: `npm run record-histories` re-runs the lifecycle tests
// with RECORD_HISTORIES=1, which saves the history of each named scenario under test/histories/
// as the protobuf `History` message (the JSON converter trips over payload bytes in vitest).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { WorkflowHandle } from '@temporalio/client';
import proto from '@temporalio/proto';

const { History } = proto.temporal.api.history.v1;

export const HISTORIES_DIR = fileURLToPath(new URL('../histories/', import.meta.url));
export const HISTORY_SUFFIX = '.history.pb';

export async function recordHistory(name: string, handle: WorkflowHandle): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await handle.fetchHistory();
  writeFileSync(`${HISTORIES_DIR}${name}${HISTORY_SUFFIX}`, History.encode(history).finish());
}

export function readHistory(file: string): proto.temporal.api.history.v1.IHistory {
  return History.decode(readFileSync(`${HISTORIES_DIR}${file}`));
}
