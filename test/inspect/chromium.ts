/**
 * Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it) driven by puppeteer-core:
 * no browser download. Missing, it is a failure that says how to install it, never a skip.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** As root Chromium needs --no-sandbox; the rest keeps it from calling home on a closed network. */
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run', '--no-default-browser-check'];

export async function launchChromium(): Promise<{ browser: Browser; close(): Promise<void> }> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: install it (apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH to its binary`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'live-page-chromium-'));
  try {
    const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, userDataDir: profile, args: ARGS });
    return {
      browser,
      async close() {
        await browser.close();
        // Only after close: Chromium writes into its profile until it has exited.
        rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
      },
    };
  } catch (err) {
    rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
    throw err;
  }
}
