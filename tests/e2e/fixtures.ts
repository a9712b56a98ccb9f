import {
	test as base,
	expect,
	type APIRequestContext,
	type BrowserContext
} from '@playwright/test';
import type { ApiProviderList, ApiProviderProfile, ApiStates } from './domain';

/** A transparent 1×1 PNG: stands in for any outside image (map tiles, avatars, …). */
const BLANK_PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
	'base64'
);

/**
 * Keeps a browser context off the network: every request whose origin is not the app's own is
 * answered locally — images with a blank PNG, anything else aborted — and every outside WebSocket
 * is closed. The URLs are recorded in `log`. Use it on any context a test creates by hand.
 */
export async function keepOffline(
	context: BrowserContext,
	appOrigin: string,
	log: string[] = []
): Promise<string[]> {
	const outside = (url: URL) => url.origin !== appOrigin;
	await context.route(outside, async (route) => {
		const request = route.request();
		log.push(request.url());
		if (request.resourceType() === 'image') {
			await route.fulfill({ status: 200, contentType: 'image/png', body: BLANK_PNG });
		} else {
			await route.abort('blockedbyclient');
		}
	});
	await context.routeWebSocket(outside, (ws) => {
		log.push(ws.url());
		return ws.close({ code: 1008, reason: 'Blocked by the test suite' });
	});
	return log;
}

/** Typed reads of the app's JSON API (same server, outside the browser). */
export class Api {
	constructor(private readonly request: APIRequestContext) {}

	private async json<T>(path: string): Promise<T> {
		const response = await this.request.get(path);
		expect(response.status(), `GET ${path}`).toBe(200);
		return (await response.json()) as T;
	}

	providers(params: Record<string, string | number> = {}): Promise<ApiProviderList> {
		const query = new URLSearchParams(
			Object.entries(params).map(([key, value]) => [key, String(value)])
		).toString();
		return this.json<ApiProviderList>(`/api/providers${query ? `?${query}` : ''}`);
	}

	/** Every provider matching the filters, across all pages. */
	async allProviders(params: Record<string, string | number> = {}) {
		const first = await this.providers({ ...params, pageSize: 100 });
		const results = [...first.results];
		for (let page = 2; results.length < first.total; page++) {
			const next = await this.providers({ ...params, pageSize: 100, page });
			expect(next.results.length, `page ${page} of /api/providers`).toBeGreaterThan(0);
			results.push(...next.results);
		}
		return results;
	}

	provider(slug: string): Promise<ApiProviderProfile> {
		return this.json<ApiProviderProfile>(`/api/providers/${encodeURIComponent(slug)}`);
	}

	states(): Promise<ApiStates> {
		return this.json<ApiStates>('/api/states');
	}
}

interface Fixtures {
	/** Outside URLs the pages tried to reach during the test (all of them were blocked). */
	externalRequests: string[];
	api: Api;
}

export const test = base.extend<Fixtures>({
	// eslint-disable-next-line no-empty-pattern -- Playwright needs the destructuring pattern.
	externalRequests: async ({}, use) => {
		await use([]);
	},
	context: async ({ context, baseURL, externalRequests }, use) => {
		if (!baseURL) throw new Error('playwright.config.ts must set use.baseURL');
		await keepOffline(context, new URL(baseURL).origin, externalRequests);
		await use(context);
	},
	page: async ({ page }, use) => {
		// An uncaught exception in the browser (a failed hydration, say) fails the test.
		const errors: string[] = [];
		page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
		await use(page);
		expect(errors, 'uncaught errors in the page').toEqual([]);
	},
	api: async ({ request }, use) => {
		await use(new Api(request));
	}
});

export { expect };
