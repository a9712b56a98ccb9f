import type { LaunchOptions } from '@playwright/test';

/**
 * Debian's Chromium, never a downloaded build (downloads are blocked here). The flags keep it from
 * calling home: on this network every such connection is refused (../shared/TOOLCHAIN.md).
 */
export const chromiumLaunchOptions: LaunchOptions = {
	executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
	args: [
		'--no-sandbox',
		'--disable-gpu',
		'--disable-background-networking',
		'--disable-component-update',
		'--disable-sync',
		'--no-first-run',
		'--disable-quic'
	]
};
