// Fresh secrets for a test run: nothing read from or written to data/.
import { generateSecrets, toSecrets } from '../../infra/secrets';

export const testSecrets = toSecrets(generateSecrets());
