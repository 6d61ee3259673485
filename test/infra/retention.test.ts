// Closed cases stay readable: npm start raises the dev server's one-day retention.
import { Connection } from '@temporalio/client';
import { expect, inject, it } from 'vitest';
import { setRetention } from '../../infra/temporal';

it('sets how long closed cases are kept on the namespace', async () => {
  const connection = await Connection.connect({ address: inject('devServerAddress') });
  try {
    await setRetention(connection, 'default', 365);
    const { config } = await connection.workflowService.describeNamespace({ namespace: 'default' });
    expect(Number(config!.workflowExecutionRetentionTtl!.seconds)).toBe(365 * 24 * 60 * 60);
  } finally {
    await connection.close();
  }
});
