// Replays recorded case histories through today's workflow code: a change that would break
// determinism for cases already running in production fails here, before it ships.
import { readdirSync } from 'node:fs';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { dataConverter } from '../../infra/temporal';
import { FIXTURE_ENCRYPTION_KEYS } from '../histories/fixture-key';
import { HISTORIES_DIR, HISTORY_SUFFIX, readHistory } from '../support/histories';
import { workflowBundle } from '../support/time-skipping';

// Subfolders keep the histories recorded by earlier workflow code: cases started then still replay.
const files = readdirSync(HISTORIES_DIR, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith(HISTORY_SUFFIX)).sort();

describe('replay of recorded histories', () => {
  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  it.each(files)('%s replays deterministically', async (file) => {
    await Worker.runReplayHistory(
      { workflowBundle: await workflowBundle(), dataConverter: dataConverter({ encryptionKeys: FIXTURE_ENCRYPTION_KEYS }) },
      readHistory(file),
      file.slice(0, -HISTORY_SUFFIX.length),
    );
  });
});
