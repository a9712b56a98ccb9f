import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { ROUTE_LABELS, type ApiProviderProfile } from './domain';
import { leadingNumber } from './pages';
import { missing } from '../helpers/rows';

/** GET /api/map: clusters and single providers for a viewport. */
interface MapFeature {
	type: 'Feature';
	geometry: { type: 'Point'; coordinates: [number, number] };
	properties:
		| { cluster: true; count: number; expansionZoom: number }
		| { slug: string; name: string; kind: 'clinic' | 'kap' | 'spravato'; telehealth: boolean };
}
interface MapAnswer {
	url: URL;
	zoom: number;
	bbox: [number, number, number, number];
	features: MapFeature[];
}

const isCluster = (
	f: MapFeature
): f is MapFeature & { properties: { cluster: true; count: number; expansionZoom: number } } =>
	'cluster' in f.properties;

/** How many providers a set of features stands for. */
const providersIn = (features: MapFeature[]) =>
	features.reduce((n, f) => n + (isCluster(f) ? f.properties.count : 1), 0);

/** What the page itself received for each /api/map request (other tests change the data). */
const received = new WeakMap<URL, Promise<MapFeature[] | null>>();

/** Every /api/map request the page makes, in order. */
function watchMapRequests(page: Page): URL[] {
	const seen: URL[] = [];
	page.on('request', (request) => {
		const url = new URL(request.url());
		if (url.pathname !== '/api/map') return;
		seen.push(url);
		received.set(
			url,
			request
				.response()
				.then(async (response) =>
					response && response.ok()
						? ((await response.json()) as { features: MapFeature[] }).features
						: null
				)
				.catch(() => null)
		);
	});
	return seen;
}

/** The answer the page got for `url`, or (if unavailable) the same viewport asked again. */
async function answerFor(request: APIRequestContext, url: URL): Promise<MapAnswer> {
	const features = await received.get(url);
	if (!features) return askMap(request, url);
	const bbox = (url.searchParams.get('bbox') ?? '').split(',').map(Number);
	return {
		url,
		zoom: Number(url.searchParams.get('zoom')),
		bbox: bbox as MapAnswer['bbox'],
		features
	};
}

/** The same viewport asked of the API directly (outside the browser). */
async function askMap(request: APIRequestContext, url: URL): Promise<MapAnswer> {
	const response = await request.get(`${url.pathname}${url.search}`);
	expect(response.status(), `GET ${url.pathname}${url.search}`).toBe(200);
	const body = (await response.json()) as { type: string; features: MapFeature[] };
	expect(body.type).toBe('FeatureCollection');
	const bbox = (url.searchParams.get('bbox') ?? '').split(',').map(Number);
	expect(bbox).toHaveLength(4);
	return {
		url,
		zoom: Number(url.searchParams.get('zoom')),
		bbox: bbox as MapAnswer['bbox'],
		features: body.features
	};
}

function mapRegion(page: Page): Locator {
	return page.locator('div.map[role="region"]');
}

/** The provider count in "Showing N in-person providers on the map…" (0 for an empty area). */
async function statusCount(page: Page): Promise<number> {
	const text = (await page.locator('p.map-status').innerText()).trim();
	if (text.startsWith('No in-person provider')) return 0;
	if (text.startsWith('Telehealth services treat patients at home')) return 0;
	const match = /^Showing (\d+) in-person providers? on the map/.exec(text);
	if (!match) throw new Error(`Unexpected map status “${text}”`);
	return Number(match[1]);
}

/**
 * Waits until the map shows what the API returns for the last viewport it asked for: the status
 * count, one cluster per API cluster (same counts) and one marker per API point (same names).
 */
async function expectMapInStep(
	page: Page,
	request: APIRequestContext,
	seen: URL[]
): Promise<MapAnswer> {
	let answer: MapAnswer | undefined;
	await expect(async () => {
		const last = seen.at(-1);
		expect(last, 'a request to /api/map').toBeDefined();
		if (!last) return;
		answer = await answerFor(request, last);
		const clusters = answer.features.filter(isCluster);
		const points = answer.features.filter((f) => !isCluster(f));
		expect(await statusCount(page)).toBe(providersIn(answer.features));
		const region = mapRegion(page);
		const shownCounts = (await region.locator('.map-cluster').allInnerTexts()).map(Number);
		expect(shownCounts.sort((a, b) => a - b)).toEqual(
			clusters.map((c) => c.properties.count).sort((a, b) => a - b)
		);
		const shownPoints = await region
			.locator('.map-marker')
			.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''));
		expect(shownPoints).toHaveLength(points.length);
		const names = points.map((p) => ('name' in p.properties ? p.properties.name : ''));
		for (const label of shownPoints) {
			expect(names.some((name) => label.startsWith(`${name} (`))).toBe(true);
		}
	}).toPass({ timeout: 10_000 });
	if (!answer) throw new Error('no /api/map answer');
	return answer;
}

/** Where a marker sits in the map box: near its middle, or close to its top, left or right edge. */
type Placement = 'anywhere' | 'middle' | 'edge';

/**
 * The index of the first marker whose centre is not covered by another marker or control and
 * sits where asked. A popup (up to 260 px wide, ~150 px tall, opening above its marker) fits
 * around a marker in the middle; near an edge Leaflet pans the map to show it.
 */
async function pickMarker(markers: Locator, placement: Placement): Promise<number> {
	return markers.evaluateAll((els, where) => {
		const box = document.querySelector('div.map[role="region"]')?.getBoundingClientRect();
		if (!box) return -1;
		return els.findIndex((el) => {
			const r = el.getBoundingClientRect();
			const x = r.x + r.width / 2;
			const y = r.y + r.height / 2;
			const hit = document.elementFromPoint(x, y);
			if (hit === null || !el.contains(hit)) return false;
			const fromTop = y - box.top;
			const fromSide = Math.min(x - box.left, box.right - x);
			if (where === 'middle') return fromTop > 220 && fromSide > 180;
			if (where === 'edge')
				return fromSide > 20 && fromTop > 20 && (fromSide < 130 || fromTop < 170);
			return true;
		});
	}, placement);
}

/** The /api/map point behind a marker, found by its label "<name> (<kind>)". */
async function pointFor(request: APIRequestContext, seen: URL[], marker: Locator) {
	const label = (await marker.getAttribute('aria-label')) ?? '';
	const last = seen.at(-1);
	if (!last) throw new Error('no /api/map request');
	const { features } = await askMap(request, last);
	const feature = features.find(
		(f) => !isCluster(f) && 'name' in f.properties && label.startsWith(`${f.properties.name} (`)
	);
	if (!feature || isCluster(feature)) throw new Error(`no API point for the marker “${label}”`);
	return feature.properties as { slug: string; name: string; kind: string; telehealth: boolean };
}

async function openMap(page: Page, path = '/') {
	await page.goto(path);
	const region = mapRegion(page);
	await expect(region).toBeVisible();
	await expect(region).toHaveAttribute('data-first-render-ms', /^\d+$/);
	await region.scrollIntoViewIfNeeded();
}

test.describe('the provider map on a wide screen', () => {
	test.use({ viewport: { width: 1280, height: 900 } });

	test('mounts beside the list, shows what /api/map returns, and stays on the origin', async ({
		page,
		request,
		baseURL,
		externalRequests
	}) => {
		const seen = watchMapRequests(page);
		const outsideKinds: string[] = [];
		page.on('request', (r) => {
			if (new URL(r.url()).origin !== new URL(baseURL ?? '').origin) {
				outsideKinds.push(r.resourceType());
			}
		});
		await openMap(page);
		await expect(page.getByRole('button', { name: 'Show map' })).toHaveCount(0);

		const ms = Number(await mapRegion(page).getAttribute('data-first-render-ms'));
		expect(ms).toBeGreaterThan(0);
		expect(ms).toBeLessThan(30_000);

		const answer = await expectMapInStep(page, request, seen);
		expect(answer.features.filter(isCluster).length, 'clusters on the US view').toBeGreaterThan(0);
		expect(
			answer.features.filter((f) => !isCluster(f)).length,
			'single providers on the US view'
		).toBeGreaterThan(0);
		// The whole contiguous United States is in view.
		const [west, south, east, north] = answer.bbox;
		expect(west).toBeLessThanOrEqual(-124);
		expect(east).toBeGreaterThanOrEqual(-67);
		expect(south).toBeLessThanOrEqual(25);
		expect(north).toBeGreaterThanOrEqual(49);

		// Cluster markers say what they are.
		const cluster = mapRegion(page).locator('.map-cluster').first();
		const count = (await cluster.innerText()).trim();
		await expect(cluster).toHaveAttribute('aria-label', `${count} providers here; zoom in`);

		// The only requests that left the origin were map tiles, answered with a blank image.
		if (process.env.PUBLIC_TILE_URL !== '') {
			await expect
				.poll(() => externalRequests.length, { message: 'tile requests (stubbed)' })
				.toBeGreaterThan(0);
			await expect(page.locator('img.leaflet-tile').first()).toBeAttached();
		}
		for (const url of externalRequests) {
			expect(url, 'a request that left the origin').toMatch(
				/^https:\/\/[^/]+\/\d+\/\d+\/\d+\.png$/
			);
		}
		expect(outsideKinds.length).toBe(externalRequests.length);
		expect(outsideKinds.filter((kind) => kind !== 'image')).toEqual([]);
	});

	test('clicking a cluster zooms in and the markers split', async ({ page, request }) => {
		const seen = watchMapRequests(page);
		await openMap(page);
		const before = await expectMapInStep(page, request, seen);

		const clusters = mapRegion(page).locator('.map-cluster');
		const index = await pickMarker(clusters, 'anywhere');
		expect(index, 'a cluster not covered by another marker').toBeGreaterThanOrEqual(0);
		const target = clusters.nth(index);
		const count = Number((await target.innerText()).trim());
		const zooms = before.features
			.filter(isCluster)
			.filter((c) => c.properties.count === count)
			.map((c) => c.properties.expansionZoom);

		const zoomed = page.waitForRequest((r) => {
			const url = new URL(r.url());
			return url.pathname === '/api/map' && Number(url.searchParams.get('zoom')) > before.zoom;
		});
		await target.click();
		const next = new URL((await zoomed).url());
		expect(zooms).toContain(Number(next.searchParams.get('zoom')));

		const after = await expectMapInStep(page, request, seen);
		expect(after.zoom).toBeGreaterThan(before.zoom);
		// The same area at the earlier zoom groups the providers into fewer, bigger markers.
		const sameAreaBefore = await askMap(
			request,
			new URL(`/api/map?bbox=${after.bbox.join(',')}&zoom=${before.zoom}`, after.url)
		);
		expect(after.features.length).toBeGreaterThan(sameAreaBefore.features.length);
		expect(providersIn(after.features)).toBeLessThanOrEqual(providersIn(before.features));

		// The zoom control zooms in one more step, with a new request.
		const oneMore = page.waitForRequest((r) => {
			const url = new URL(r.url());
			return url.pathname === '/api/map' && Number(url.searchParams.get('zoom')) === after.zoom + 1;
		});
		await page.getByRole('button', { name: 'Zoom in', exact: true }).click();
		await oneMore;
		const last = await expectMapInStep(page, request, seen);
		expect(last.zoom).toBe(after.zoom + 1);
	});

	test('a provider’s popup shows its treatments and links to its profile', async ({
		page,
		request,
		api
	}) => {
		const seen = watchMapRequests(page);
		await openMap(page);
		await expectMapInStep(page, request, seen);

		const points = mapRegion(page).locator('.map-marker');
		const index = await pickMarker(points, 'middle');
		expect(index, 'an uncovered single-provider marker mid-map').toBeGreaterThanOrEqual(0);
		const marker = points.nth(index);
		const { slug, name, kind } = await pointFor(request, seen, marker);
		await expect(marker).toHaveClass(new RegExp(`(^|\\s)map-marker-${kind}(\\s|$)`));
		const profile = await api.provider(slug);

		await marker.click();
		const popup = page.locator('.leaflet-popup .map-popup');
		await expect(popup).toBeVisible();
		await expect(popup.locator('strong')).toHaveText(name);
		// The routes arrive from /api/providers/<slug>.
		await expect(popup).toContainText(profile.routes.map((r) => ROUTE_LABELS[r.code]).join(', '));

		await popup.getByRole('link', { name: 'View profile' }).click();
		await expect(page).toHaveURL(new RegExp(`/providers/${slug}$`));
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
	});

	test('a popup opened near the edge of the map stays open', async ({ page, request }) => {
		// The popup pans the map; the refetch that follows must not remove the marker it belongs to.
		const seen = watchMapRequests(page);
		await openMap(page);
		await expectMapInStep(page, request, seen);

		const points = mapRegion(page).locator('.map-marker');
		const index = await pickMarker(points, 'edge');
		expect(index, 'an uncovered single-provider marker near a side').toBeGreaterThanOrEqual(0);
		const marker = points.nth(index);
		const { name } = await pointFor(request, seen, marker);
		const requestsBefore = seen.length;

		await marker.click();
		const popup = page.locator('.leaflet-popup .map-popup');
		await expect(popup.locator('strong')).toHaveText(name);
		// Leaflet pans the map so the popup fits, and the map refetches for the new view…
		await expect
			.poll(() => seen.length, { message: 'the map panned' })
			.toBeGreaterThan(requestsBefore);
		await expectMapInStep(page, request, seen);
		// …and the popup is still open, with its treatments loaded.
		await expect(popup.locator('strong')).toHaveText(name, { timeout: 2_000 });
		await expect(popup).not.toContainText('Loading treatments');
		await expect(popup.getByRole('link', { name: 'View profile' })).toBeVisible();
	});

	test('with a place searched, the map shows exactly the providers the list counts', async ({
		page,
		request,
		api
	}) => {
		const zip = '78701';
		const radius = 50;
		const nearby = await api.allProviders({ near: zip, radius });
		expect(nearby.length, 'providers near the ZIP').toBeGreaterThan(0);
		const seen = watchMapRequests(page);
		await openMap(page, `/?near=${zip}&radius=${radius}`);

		const answer = await expectMapInStep(page, request, seen);
		// The map asks for the searched circle only.
		expect(answer.url.searchParams.get('radius')).toBe(String(radius));
		expect(answer.url.searchParams.get('lat')).not.toBeNull();
		// Zoomed to the circle: a few hundred miles across, not the whole country…
		const [west, south, east, north] = answer.bbox;
		expect(east - west).toBeLessThan(10);
		expect(north - south).toBeLessThan(10);
		expect(answer.zoom).toBeGreaterThanOrEqual(6);
		// …with every provider the list found inside the view…
		for (const p of nearby) {
			expect(p.lng, p.name).toBeGreaterThanOrEqual(west);
			expect(p.lng, p.name).toBeLessThanOrEqual(east);
			expect(p.lat, p.name).toBeGreaterThanOrEqual(south);
			expect(p.lat, p.name).toBeLessThanOrEqual(north);
		}
		// …and no other: the map and the heading give the same number.
		expect(await statusCount(page)).toBe(nearby.length);
		expect(leadingNumber(await page.locator('h2#results-heading').innerText())).toBe(nearby.length);
		await expect(page.locator('p.map-status')).toContainText(`within ${radius} miles`);
	});

	test('a popup gives the address, the distance, the price for the route and directions', async ({
		page,
		request,
		api,
		externalRequests
	}) => {
		const route = 'iv';
		const seen = watchMapRequests(page);
		await openMap(page, `/?near=78701&radius=100&route=${route}`);
		await expectMapInStep(page, request, seen);
		const points = mapRegion(page).locator('.map-marker');
		const index = await pickMarker(points, 'middle');
		expect(index, 'an uncovered single-provider marker mid-map').toBeGreaterThanOrEqual(0);
		const marker = points.nth(index);
		const { slug, name } = await pointFor(request, seen, marker);
		const profile = (await api.provider(slug)) as ApiProviderProfile & { street: string | null };
		const listed = (await api.allProviders({ near: '78701', radius: 100, route })).find(
			(p) => p.slug === slug
		) as unknown as { distanceMiles: number } | undefined;
		expect(listed, `${name} in the list`).toBeDefined();

		await marker.click();
		const popup = page.locator('.leaflet-popup .map-popup');
		await expect(popup.locator('strong')).toHaveText(name);
		const street = profile.street ? `${profile.street}, ` : '';
		await expect(popup.locator('.popup-address')).toHaveText(
			`${street}${profile.city}, ${profile.state} ${profile.zip}`
		);
		await expect(popup.locator('.popup-distance')).toHaveText(
			`${listed?.distanceMiles.toFixed(1)} mi from 78701 (Austin, TX)`
		);
		const offer = profile.routes.find((r) => r.code === route);
		expect(offer).toBeDefined();
		await expect(popup.locator('.popup-price')).toContainText(`${ROUTE_LABELS[route]}: `);
		if (offer?.priceMin != null) {
			await expect(popup.locator('.popup-price')).toContainText(`$${offer.priceMin}`);
		}
		const directions = popup.locator('a.popup-directions');
		const destination = [profile.street, profile.city, `${profile.state} ${profile.zip}`]
			.filter(Boolean)
			.join(', ');
		await expect(directions).toHaveAttribute(
			'href',
			`https://www.google.com/maps/dir/?api=1&destination=${encodeURIComponent(destination)}`
		);
		await expect(directions).toHaveAttribute('target', '_blank');
		// Nothing was asked of the maps site: a link, not a request.
		expect(externalRequests.filter((u) => u.includes('google'))).toEqual([]);
	});

	test('moving the map keeps its view in the address, and “Search this area” searches it', async ({
		page,
		request,
		api
	}) => {
		const seen = watchMapRequests(page);
		await openMap(page, '/?near=78701&radius=50&route=iv');
		await expectMapInStep(page, request, seen);
		await expect(page.getByRole('button', { name: 'Search this area' })).toHaveCount(0);
		const before = page.url();

		const zoomed = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/map');
		await page.getByRole('button', { name: 'Zoom in', exact: true }).click();
		await zoomed;
		await expect(page).toHaveURL(/#map=\d+\/-?[\d.]+\/-?[\d.]+$/);
		const hash = new URL(page.url()).hash;
		const [zoom = missing(), lat = missing(), lng = missing()] = hash
			.replace('#map=', '')
			.split('/')
			.map(Number);
		expect(page.url().replace(hash, '')).toBe(before);

		// Reloading (or a shared link) shows the same view.
		const reloadSeen = watchMapRequests(page);
		await page.reload();
		await expect(mapRegion(page)).toHaveAttribute('data-first-render-ms', /^\d+$/);
		const restored = await expectMapInStep(page, request, reloadSeen);
		expect(restored.zoom).toBe(zoom);
		const [west, south, east, north] = restored.bbox;
		expect((west + east) / 2).toBeCloseTo(lng, 1);
		expect((south + north) / 2).toBeCloseTo(lat, 1);

		// "Search this area": around the map's centre, keeping the route, with a radius covering the view.
		await page.getByRole('button', { name: 'Zoom in', exact: true }).click();
		const search = page.getByRole('button', { name: 'Search this area' });
		await expect(search).toBeVisible();
		await search.click();
		await expect(page).toHaveURL(/[?&]from=map(&|$)/);
		const url = new URL(page.url());
		expect(url.searchParams.get('route')).toBe('iv');
		expect(url.searchParams.get('near')).toBeNull();
		const radius = Number(url.searchParams.get('radius'));
		expect(radius).toBeGreaterThan(0);
		expect(radius).toBeLessThan(50);
		const heading = page.locator('h2#results-heading');
		await expect(heading).toContainText(`within ${radius} miles of the map centre near `);
		const expected = await api.providers({
			lat: url.searchParams.get('lat') ?? '',
			lng: url.searchParams.get('lng') ?? '',
			radius,
			route: 'iv'
		});
		expect(leadingNumber(await heading.innerText())).toBe(expected.total);
		await expect.poll(() => statusCount(page)).toBe(expected.total);
		// The map stayed where the person put it.
		expect(url.hash).toMatch(/^#map=/);

		// Back: the earlier search, with the map where it was.
		const backSeen = watchMapRequests(page);
		await page.goBack();
		await expect(page).toHaveURL(/[?&]near=78701/);
		await expect(heading).toContainText('within 50 miles of 78701');
		const back = await expectMapInStep(page, request, backSeen);
		expect(back.zoom).toBe(zoom + 1);
	});
});

test.describe('the provider map on a phone', () => {
	test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

	test('“Show map” mounts the map on demand', async ({ page, request }) => {
		const seen = watchMapRequests(page);
		await page.goto('/');
		const toggle = page.getByRole('button', { name: 'Show map' });
		await expect(toggle).toHaveAttribute('aria-expanded', 'false');
		await expect(mapRegion(page)).toHaveCount(0);
		expect(seen).toEqual([]);

		await toggle.click();
		const hide = page.getByRole('button', { name: 'Hide map' });
		await expect(hide).toHaveAttribute('aria-expanded', 'true');
		await expect(hide).toHaveAttribute('aria-controls', 'map-col');
		await expect(mapRegion(page)).toBeVisible();
		await expect(mapRegion(page)).toHaveAttribute('data-first-render-ms', /^\d+$/);
		await expectMapInStep(page, request, seen);

		await hide.click();
		await expect(page.getByRole('button', { name: 'Show map' })).toHaveAttribute(
			'aria-expanded',
			'false'
		);
		await expect(mapRegion(page)).toHaveCount(0);
	});
});
