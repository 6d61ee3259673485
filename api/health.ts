// Is Temporal reachable? Asked with a short deadline so /healthz answers quickly either way.
import type { Connection } from '@temporalio/client';

export interface Health {
  ok: boolean;
  temporal: { reachable: boolean; address: string; namespace: string; error?: string; serverVersion?: string };
}

export function temporalHealth(connection: Connection, address: string, namespace: string): () => Promise<Health> {
  return async () => {
    try {
      const info = await connection.withDeadline(Date.now() + 2_000, () => connection.workflowService.getSystemInfo({}));
      return { ok: true, temporal: { reachable: true, address, namespace, serverVersion: info.serverVersion ?? undefined } };
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      return { ok: false, temporal: { reachable: false, address, namespace, error: `Temporal is unreachable: ${reason}` } };
    }
  };
}
