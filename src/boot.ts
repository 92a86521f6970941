import { buildConfig, type Config, parseEnv } from './config.js';
import { resolveSecrets, type SecretsSource } from './secrets.js';

/** Environment → Config, generating development secrets in DATA_DIR when they are missing. */
export async function loadConfig(
  env: Record<string, string | undefined>,
): Promise<{ config: Config; secretsSource: SecretsSource }> {
  const parsed = parseEnv(env);
  const { secrets, source } = await resolveSecrets(parsed);
  return { config: buildConfig(parsed, secrets), secretsSource: source };
}
