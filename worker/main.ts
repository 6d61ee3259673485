// `npm run worker`: one case worker process. Run several against one cluster to scale out.
import { runWorker } from './run';

const worker = await runWorker();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void worker.stop().then(() => process.exit(0)));
}
