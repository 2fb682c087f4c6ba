import { existsSync } from 'node:fs';

/** Debian's Chromium; `.ci/run` installs the `chromium` package when it is missing. */
export const CHROMIUM = '/usr/bin/chromium';

// As root, on a machine without network: no sandbox, no GPU, and none of Chromium's own calls home.
export const BROWSER_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const skipWithoutChromium: false | string = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} not found: install Debian's chromium package (.ci/run does) to run the browser tests`;
