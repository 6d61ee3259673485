// `npm run api`: the HTTP API alone (run several behind a load balancer if needed).
import { runApi } from './run';

const api = await runApi();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void api.stop().then(() => process.exit(0)));
}
