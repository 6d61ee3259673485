// `npm run worker`: one case worker process. Run several against one cluster to scale out.
import { onStopSignals } from '../infra/stop-signals';
import { runWorker } from './run';

const worker = await runWorker();
onStopSignals({ stop: () => worker.stop().then(() => process.exit(0)) });
