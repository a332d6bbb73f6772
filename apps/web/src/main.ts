import 'reflect-metadata';
import { ConfigError } from '@ocb/config';
import { createWebApp } from './web-app';
import { loadWebConfig } from './config/web.config';

async function main(): Promise<void> {
  const config = loadWebConfig();
  const app = await createWebApp(config);
  await app.listen(config.WEB_PORT, config.HOST);
  console.log(`web listening on ${config.WEB_PUBLIC_URL}`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`web: ${error.message}`);
  else console.error('web failed to start', error);
  process.exit(1);
});
