// `npm run api`: the HTTP API alone (run several behind a load balancer if needed).
import { onStopSignals } from '../infra/stop-signals';
import { runApi } from './run';

const api = await runApi();
onStopSignals({ stop: () => api.stop().then(() => process.exit(0)) });
