import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildConfig, type Config, type Env, parseEnv, type Secrets } from './config.js';

/** What happened to the secrets, so the caller can warn in its own log. */
export type SecretsSource = 'environment' | 'data-dir' | 'generated';

/**
 * Secrets come from the environment; outside production a missing one is generated once and kept in
 * DATA_DIR/secrets.json (mode 0600) so tokens and encrypted records survive restarts.
 */
export async function resolveSecrets(env: Env): Promise<{ secrets: Secrets; source: SecretsSource }> {
  if (env.JWT_SECRET && env.ENCRYPTION_KEY) {
    return {
      secrets: { jwtSecret: env.JWT_SECRET, encryptionKey: env.ENCRYPTION_KEY },
      source: 'environment',
    };
  }
  // parseEnv refuses production without both secrets, so this path only runs in development and test.
  const file = join(env.DATA_DIR, 'secrets.json');
  const stored = await readStored(file);
  if (stored) {
    return {
      secrets: {
        jwtSecret: env.JWT_SECRET ?? stored.jwtSecret,
        encryptionKey: env.ENCRYPTION_KEY ?? stored.encryptionKey,
      },
      source: 'data-dir',
    };
  }
  const generated: Secrets = {
    jwtSecret: randomBytes(48).toString('base64url'),
    encryptionKey: randomBytes(32).toString('base64'),
  };
  await mkdir(env.DATA_DIR, { recursive: true });
  await writeFile(file, `${JSON.stringify(generated, null, 2)}\n`, { mode: 0o600 });
  return {
    secrets: {
      jwtSecret: env.JWT_SECRET ?? generated.jwtSecret,
      encryptionKey: env.ENCRYPTION_KEY ?? generated.encryptionKey,
    },
    source: 'generated',
  };
}

async function readStored(file: string): Promise<Secrets | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (
      parsed &&
      typeof parsed === 'object' &&
      'jwtSecret' in parsed &&
      'encryptionKey' in parsed &&
      typeof parsed.jwtSecret === 'string' &&
      typeof parsed.encryptionKey === 'string'
    ) {
      return { jwtSecret: parsed.jwtSecret, encryptionKey: parsed.encryptionKey };
    }
    throw new Error(`${file} is not a secrets file; move it away to generate new secrets`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Environment → Config, generating development secrets in DATA_DIR when they are missing. */
export async function loadConfig(
  env: Record<string, string | undefined>,
): Promise<{ config: Config; secretsSource: SecretsSource }> {
  const parsed = parseEnv(env);
  const { secrets, source } = await resolveSecrets(parsed);
  return { config: buildConfig(parsed, secrets), secretsSource: source };
}
