// A workflow that only sleeps until a given instant: started in numbers, it makes timers that
// fall due in the same second, as every overdue case's do at a check-in deadline.
import { sleep } from '@temporalio/workflow';

export async function wakeAt(at: number): Promise<void> {
  await sleep(Math.max(1, at - Date.now()));
}
