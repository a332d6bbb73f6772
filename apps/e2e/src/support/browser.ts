// The browser of the web-page suites: Debian's Chromium through playwright-core (no browser
// download), axe-core for accessibility, screenshots under dist/screenshots/.
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { stackInfo } from './stack';

export const SHOTS = join(__dirname, '../../../../dist/screenshots');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The stack's Chromium (CHROMIUM_PATH, default /usr/bin/chromium: Debian's package); the screenshot folder exists. */
export function launchBrowser(): Promise<Browser> {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({ executablePath: stackInfo().chromiumPath, args: ARGS });
}

/** The serious and critical axe-core violations of the page, one line each. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Fails with the page's name and its violations unless axe finds none serious; writes `<name>.png`. */
export async function noSeriousAxe(page: Page, name: string): Promise<void> {
  expect({ page: name, violations: await seriousViolations(page) }).toEqual({ page: name, violations: [] });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}
