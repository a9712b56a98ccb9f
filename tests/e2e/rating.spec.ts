import type { APIRequestContext, BrowserContext, Page, Request, Response } from '@playwright/test';
import { violations } from './axe';
import { expect, keepOffline, test, type Api } from './fixtures';
import {
	ROUTE_CODES,
	dateText,
	type ApiProviderSummary,
	type FeedbackBrief,
	type RouteCode
} from './domain';
import { at, missing } from '../helpers/rows';

const DAY = 86_400_000;

/**
 * Patients rating a provider: the form with and without JavaScript, its errors, double submits,
 * the honeypot, and the JSON endpoint. Each test works on its own provider (see `providerFor`)
 * and its own client addresses, sent as X-Forwarded-For (playwright.config.ts has the server
 * read the client address from that header), so the tests stay independent of each other.
 */

type Listed = ApiProviderSummary & { feedback: FeedbackBrief };

interface ApiError {
	error: { code: string; message: string; fields?: Record<string, string> };
}

/**
 * Tests of the ratings suites (this file and feedback.spec.ts) each own one slot: the providers
 * whose slug hashes to it. A test only ever rates providers of its own slot, so one test's
 * ratings never change what another test picks or reads.
 */
const SLOTS = 16;
const SLOT = {
	withJs: 0,
	withoutJs: 1,
	invalidWithJs: 2,
	invalidWithoutJs: 3,
	doubleSubmit: 4,
	honeypot: 5,
	jsonApi: 6,
	doubleSubmitWithoutJs: 7
} as const;

function slotOf(slug: string): number {
	// FNV-1a: stable, and spreads the slugs evenly.
	let hash = 0x811c9dc5;
	for (let i = 0; i < slug.length; i++) {
		hash ^= slug.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	return hash % SLOTS;
}

async function providerFor(
	api: Api,
	slot: number,
	wanted: (p: Listed) => boolean,
	what: string
): Promise<Listed> {
	const all = (await api.allProviders()) as Listed[];
	const found = all.find((p) => slotOf(p.slug) === slot && wanted(p));
	if (!found) throw new Error(`No ${what} provider among the slugs of slot ${slot}`);
	return found;
}

async function feedbackOf(api: Api, slug: string): Promise<FeedbackBrief> {
	const profile = (await api.provider(slug)) as unknown as { feedback: FeedbackBrief };
	return profile.feedback;
}

/** A client address of its own for each slot and patient (hashed by the app, never contacted). */
function address(slot: number, patient: number): string {
	// The third part tells runs of the same test apart (--repeat-each, retries).
	const { repeatEachIndex, retry } = test.info();
	return `10.${slot}.${(repeatEachIndex * 4 + retry) % 256}.${patient}`;
}

async function actAs(context: BrowserContext, clientAddress: string) {
	await context.setExtraHTTPHeaders({ 'x-forwarded-for': clientAddress });
}

const ratePath = (slug: string) => `/providers/${slug}/rate`;

/** The POST of the rate form (enhanced or not). */
const isRatePost = (slug: string) => (r: Request) =>
	r.method() === 'POST' && new URL(r.url()).pathname === ratePath(slug);
const isRateAnswer = (slug: string) => (r: Response) => isRatePost(slug)(r.request());

function profileUrl(slug: string, rated: 'published' | 'held' | 'received'): RegExp {
	return new RegExp(`/providers/${slug}\\?rated=${rated}#feedback$`);
}

interface Answers {
	overall?: 1 | 2 | 3 | 4 | 5;
	aspects?: Partial<Record<'Effectiveness' | 'Support during treatment', string>>;
	route?: RouteCode;
	conditions?: string[];
	months?: string;
	price?: string;
	comment?: string;
	confirm?: boolean;
}

const fieldOf = {
	months: (page: Page) => page.getByLabel('Months in treatment'),
	price: (page: Page) => page.getByLabel('Price you paid per session (US $)'),
	comment: (page: Page) => page.getByLabel('Your experience in your own words'),
	confirm: (page: Page) =>
		page.getByRole('checkbox', { name: /^This is my own experience as a patient/ }),
	stars: (page: Page, n: number) =>
		page.getByRole('radio', { name: new RegExp(`^${n} stars?\\b`) }),
	submit: (page: Page) => page.getByRole('button', { name: 'Submit rating' })
};

/** Opens the form; with JavaScript on, waits until the page is hydrated (the counter follows typing). */
async function openForm(page: Page, provider: Listed, javaScript: boolean) {
	await page.goto(ratePath(provider.slug));
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Rate ${provider.name}`);
	if (javaScript) {
		await fieldOf.comment(page).fill('hi');
		await expect(page.locator('#comment-hint')).toContainText('2 / 2,000 characters');
		await fieldOf.comment(page).fill('');
	}
}

async function fillForm(page: Page, a: Answers) {
	if (a.overall) await fieldOf.stars(page, a.overall).check();
	for (const [label, value] of Object.entries(a.aspects ?? {})) {
		await page.getByLabel(label, { exact: true }).selectOption(value);
	}
	if (a.route) await page.getByLabel('Treatment you received').selectOption(a.route);
	for (const condition of a.conditions ?? []) {
		await page.getByRole('checkbox', { name: condition, exact: true }).check();
	}
	if (a.months !== undefined) await fieldOf.months(page).fill(a.months);
	if (a.price !== undefined) await fieldOf.price(page).fill(a.price);
	if (a.comment !== undefined) await fieldOf.comment(page).fill(a.comment);
	if (a.confirm) await fieldOf.confirm(page).check();
}

/** A comment on two lines with markup in it, tagged so the test finds its own. */
function twoLineComment(tag: string) {
	return `Calm staff and a clear dosing plan (${tag}).\n<b>not bold</b> — second line.`;
}

/** After a published rating: the thanks, the new count, and the comment as plain text. */
async function expectPublished(page: Page, slug: string, count: number, comment: string) {
	await expect(page).toHaveURL(profileUrl(slug, 'published'));
	const feedback = page.locator('section#feedback');
	await expect(feedback.locator('p.thanks[role="status"]')).toHaveText(
		'Thank you — your rating is published below.'
	);
	const noun = count === 1 ? 'rating' : 'ratings';
	await expect(feedback.locator('.score')).toContainText(`out of 5 from ${count} ${noun}`);
	await expect(page.locator('.head-feedback .count')).toHaveText(`(${count} ${noun})`);

	const tag = /\((tag-[^)]+)\)/.exec(comment)?.[1] ?? comment;
	const item = feedback.locator('ol.comments > li').filter({ hasText: tag });
	await expect(item).toHaveCount(1);
	const text = item.locator('.comment-text');
	// Plain text: the markup is shown literally, not rendered, and the line break is kept.
	await expect(text).toHaveCSS('white-space', 'pre-line');
	expect(await text.textContent()).toBe(comment);
	expect(await text.innerText()).toBe(comment);
	await expect(text).toContainText('<b>not bold</b>');
	await expect(feedback.locator('ol.comments b')).toHaveCount(0);
	await expect(text.locator('a')).toHaveCount(0);
}

/** What the form would send, field by field (text fields only: the form has no file input). */
async function formFields(page: Page): Promise<Record<string, string[]>> {
	return page.locator('form.rate-form').evaluate((form: HTMLFormElement) => {
		const data = new FormData(form);
		return Object.fromEntries(
			[...new Set(data.keys())].map((k) => [k, data.getAll(k).map(String)])
		);
	});
}

/** Re-sends the form's POST as a browser without JavaScript would (same origin, HTML wanted). */
function postForm(
	request: APIRequestContext,
	baseURL: string,
	slug: string,
	clientAddress: string,
	fields: Record<string, string[]>
) {
	const body = new URLSearchParams();
	for (const [key, values] of Object.entries(fields)) {
		for (const value of values) body.append(key, value);
	}
	return request.post(ratePath(slug), {
		headers: {
			origin: new URL(baseURL).origin,
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded',
			'x-forwarded-for': clientAddress
		},
		data: body.toString(),
		maxRedirects: 0
	});
}

for (const javaScript of [true, false]) {
	test.describe(`rating a provider with JavaScript ${javaScript ? 'on' : 'off'}`, () => {
		test.use({ javaScriptEnabled: javaScript });

		test('the rating is published, counted, and its comment shown as plain text', async ({
			page,
			context,
			api,
			browser,
			baseURL
		}) => {
			const slot = javaScript ? SLOT.withJs : SLOT.withoutJs;
			const provider = await providerFor(
				api,
				slot,
				(p) => p.feedback.count > 0 && p.routes.length > 0,
				'rated'
			);
			const before = await feedbackOf(api, provider.slug);
			await actAs(context, address(slot, 1));

			// A second tab with the form open, before this rating exists (used below).
			const otherTab = await context.newPage();
			await openForm(otherTab, provider, javaScript);

			await openForm(page, provider, javaScript);
			const comment = twoLineComment(`tag-${slot}-${Date.now()}`);
			await fillForm(page, {
				overall: 4,
				aspects: { Effectiveness: '5', 'Support during treatment': '4' },
				route: at(provider.routes, 0, 'a route').code,
				conditions: ['Treatment-resistant depression (TRD)'],
				months: '3',
				price: '$450',
				comment,
				confirm: true
			});
			if (javaScript) {
				await expect(page.locator('#comment-hint')).toContainText(
					`${comment.length} / 2,000 characters`
				);
			}

			const post = page.waitForRequest(isRatePost(provider.slug));
			const answered = page.waitForResponse(isRateAnswer(provider.slug));
			const sentAround = [Date.now()];
			await fieldOf.submit(page).click();
			// With JavaScript the form is enhanced (fetch); without, the browser posts it and follows a 303.
			expect((await post).headers()['x-sveltekit-action']).toBe(javaScript ? 'true' : undefined);
			expect((await answered).status()).toBe(javaScript ? 200 : 303);
			sentAround.push(Date.now());

			await expectPublished(page, provider.slug, before.count + 1, comment);
			const after = await feedbackOf(api, provider.slug);
			expect(after.count).toBe(before.count + 1);
			expect(after.ratingsUnderReview).toBe(before.ratingsUnderReview);

			// The same device again within 30 days: told so before filling anything, with the day.
			const againOn = new RegExp(
				`You can rate it again from (${sentAround.map((t) => dateText(new Date(t + 30 * DAY).toISOString())).join('|')})\\.`,
				'i'
			);
			await page.goto(ratePath(provider.slug));
			const already = page.locator('.already');
			await expect(already).toContainText(
				'You have already rated this provider from this device in the last 30 days.'
			);
			await expect(already).toContainText(againOn);
			await expect(page.locator('form.rate-form')).toHaveCount(0);
			await expect(fieldOf.submit(page)).toHaveCount(0);
			// (axe runs in the page: with JavaScript on only.)
			if (javaScript) expect(await violations(page)).toEqual([]);

			// The tab opened before still has the form: its rating is refused, saying why, and what
			// was typed there stays.
			await fillForm(otherTab, { overall: 5, comment: 'Typed in another tab', confirm: true });
			const refused = otherTab.waitForResponse(isRateAnswer(provider.slug));
			await fieldOf.submit(otherTab).click();
			expect((await refused).status()).toBe(javaScript ? 200 : 429);
			// Announced once, by the summary (which takes focus), and repeated beside the button.
			const summary = otherTab.locator('.error-summary[role="alert"]');
			await expect(summary).toContainText(
				'You have already rated this provider in the last 30 days.'
			);
			await expect(summary).toBeFocused();
			await expect(otherTab.locator('.actions + .field-error, .field-error').last()).toContainText(
				'You have already rated this provider in the last 30 days.'
			);
			await expect(fieldOf.stars(otherTab, 5)).toBeChecked();
			await expect(fieldOf.confirm(otherTab)).toBeChecked();
			await expect(fieldOf.comment(otherTab)).toHaveValue('Typed in another tab');
			expect((await feedbackOf(api, provider.slug)).count).toBe(before.count + 1);

			// A browser that keeps no cookies, on the same connection: the address decides, and
			// the page says so before the form, with what to do if it was someone else.
			await context.clearCookies();
			await page.goto(ratePath(provider.slug));
			await context.clearCookies();
			// (With cookies, a fresh browser gets a new token and the form.)
			expect(new URL(page.url()).searchParams.has('cookie-check')).toBe(false);
			await expect(page.locator('form.rate-form')).toHaveCount(1);
			await page.goto(`${ratePath(provider.slug)}?cookie-check=1`);
			await expect(already).toContainText(
				'A rating for this provider was already sent from your internet connection'
			);
			await expect(already).toContainText(againOn);
			await expect(already.getByRole('link', { name: 'what it is' })).toHaveAttribute(
				'href',
				'/privacy#rating-cookie'
			);
			await expect(page.locator('form.rate-form')).toHaveCount(0);
			if (javaScript) expect(await violations(page)).toEqual([]);
			if (javaScript) {
				// Someone else on the same connection, on their own phone: the form, and their
				// rating is received and waits for a moderator instead of being turned away.
				const theirs = await browser.newContext({
					baseURL,
					extraHTTPHeaders: { 'x-forwarded-for': address(slot, 1) }
				});
				await keepOffline(theirs, new URL(baseURL ?? '').origin);
				const phone = await theirs.newPage();
				await openForm(phone, provider, true);
				await expect(phone.locator('.already')).toHaveCount(0);
				await fillForm(phone, { overall: 2, confirm: true });
				await fieldOf.submit(phone).click();
				await expect(phone).toHaveURL(profileUrl(provider.slug, 'held'));
				await expect(phone.locator('section#feedback p.thanks')).toHaveText(
					'Thank you — your rating was received. It will appear after a moderator reviews it.'
				);
				const held = await feedbackOf(api, provider.slug);
				expect(held.count).toBe(before.count + 1);
				expect(held.ratingsUnderReview).toBe(before.ratingsUnderReview + 1);
				await theirs.close();
			}
		});

		test('an invalid rating shows each problem and keeps what was typed', async ({
			page,
			context,
			api
		}) => {
			const slot = javaScript ? SLOT.invalidWithJs : SLOT.invalidWithoutJs;
			const provider = await providerFor(api, slot, () => true, 'any');
			const before = await feedbackOf(api, provider.slug);
			await actAs(context, address(slot, 1));

			await openForm(page, provider, javaScript);
			const tooLong = `${'Far too long. '.repeat(150)}\nEnd.`;
			expect(tooLong.length).toBeGreaterThan(2000);
			await fillForm(page, {
				aspects: { Effectiveness: '4' },
				conditions: ['Anxiety'],
				months: '999',
				price: 'abc'
			});
			// The textarea's maxlength stops typing at 2,000 characters: set the value directly.
			await fieldOf.comment(page).evaluate((el: HTMLTextAreaElement, value) => {
				el.value = value;
				el.dispatchEvent(new Event('input', { bubbles: true }));
			}, tooLong);
			await expect(fieldOf.comment(page)).toHaveValue(tooLong);

			const answered = page.waitForResponse(isRateAnswer(provider.slug));
			await fieldOf.submit(page).click();
			const response = await answered;
			if (javaScript) {
				expect(response.status()).toBe(200);
				expect(await response.json()).toMatchObject({ type: 'failure', status: 400 });
			} else {
				expect(response.status()).toBe(400);
			}

			const summary = page.locator('.error-summary[role="alert"]');
			await expect(summary).toBeVisible();
			// Keyboard and screen-reader users land on the list of problems.
			await expect(summary).toBeFocused();
			await expect(summary.getByRole('heading')).toHaveText('Please check 5 answers');
			const messages = {
				overall: /overall rating/i,
				monthsInTreatment: /months in treatment/i,
				pricePaid: /price/i,
				comment: /2,000 characters or fewer/,
				ownExperience: /own experience/i
			};
			await expect(summary.getByRole('listitem')).toHaveCount(Object.keys(messages).length);
			for (const [field, message] of Object.entries(messages)) {
				const own = page.locator(`#${field}-error`);
				await expect(own, `the message next to ${field}`).toHaveText(message);
				// The summary lists the same message, linking to the field.
				const link = summary.getByRole('link', { name: (await own.innerText()).trim() });
				await expect(link).toHaveAttribute('href', `#field-${field}`);
			}
			await expect(fieldOf.price(page)).toHaveAttribute('aria-invalid', 'true');
			await expect(fieldOf.price(page)).toHaveAttribute('aria-describedby', 'pricePaid-error');

			// Everything typed is still there.
			await expect(fieldOf.price(page)).toHaveValue('abc');
			await expect(fieldOf.months(page)).toHaveValue('999');
			await expect(fieldOf.comment(page)).toHaveValue(tooLong);
			await expect(page.getByLabel('Effectiveness', { exact: true })).toHaveValue('4');
			await expect(page.getByRole('checkbox', { name: 'Anxiety', exact: true })).toBeChecked();
			await expect(fieldOf.confirm(page)).not.toBeChecked();
			await expect(page.locator('input[name="overall"]:checked')).toHaveCount(0);

			const after = await feedbackOf(api, provider.slug);
			expect(after.count).toBe(before.count);
			expect(after.ratingsUnderReview).toBe(before.ratingsUnderReview);
		});

		test('a double click and a replayed POST create one rating', async ({
			page,
			context,
			api,
			request,
			baseURL
		}) => {
			const slot = javaScript ? SLOT.doubleSubmit : SLOT.doubleSubmitWithoutJs;
			const provider = await providerFor(api, slot, (p) => p.feedback.count === 0, 'unrated');
			const patient = address(slot, 1);
			await actAs(context, patient);

			await openForm(page, provider, javaScript);
			const comment = twoLineComment(`tag-${slot}-${Date.now()}`);
			await fillForm(page, { overall: 5, comment, confirm: true });
			const fields = await formFields(page);
			expect(fields.idempotencyKey?.[0]).toMatch(/^[A-Za-z0-9_-]{8,100}$/);

			const posts: string[] = [];
			page.on('request', (r) => {
				if (isRatePost(provider.slug)(r)) posts.push(r.url());
			});
			// However many POSTs the double click gets out (the button is disabled while sending
			// with JavaScript; Chromium sends one either way), the token makes it one rating. The
			// replays below do send the same POST twice, at once.
			await fieldOf.submit(page).dblclick();
			await expectPublished(page, provider.slug, 1, comment);
			expect(posts.length, 'POSTs sent by the double click').toBeGreaterThanOrEqual(1);
			expect((await feedbackOf(api, provider.slug)).count).toBe(1);

			// The same POST sent again, twice at once (a retry on a slow network): each answer is
			// the original one, and nothing new is stored.
			const replays = await Promise.all([
				postForm(request, baseURL ?? '', provider.slug, patient, fields),
				postForm(request, baseURL ?? '', provider.slug, patient, fields)
			]);
			for (const replay of replays) {
				expect(replay.status()).toBe(303);
				expect(replay.headers()['location']).toBe(
					`/providers/${provider.slug}?rated=published#feedback`
				);
			}
			const after = await feedbackOf(api, provider.slug);
			expect(after.count).toBe(1);
			expect(after.ratingsUnderReview).toBe(0);
			await page.reload();
			await expect(page.locator('section#feedback ol.comments > li')).toHaveCount(1);
		});
	});
}

test('the rating page sets one device cookie: first-party, HttpOnly, SameSite=Lax, for a year', async ({
	page,
	context,
	api
}) => {
	const [provider = missing()] = (await api.providers({ pageSize: 1 })).results;
	await page.goto(`/providers/${provider.slug}`);
	expect(await context.cookies(), 'reading a profile sets no cookie').toEqual([]);

	await page.goto(ratePath(provider.slug));
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Rate ${provider.name}`);
	expect(new URL(page.url()).search).toBe('');
	const cookies = await context.cookies();
	expect(cookies.map((c) => c.name)).toEqual(['kd_device']);
	const [cookie = missing()] = cookies;
	// Secure is set when the site is served over https; this test server is plain http.
	expect(cookie).toMatchObject({
		httpOnly: true,
		sameSite: 'Lax',
		secure: false,
		path: '/providers'
	});
	expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
	const lifetime = cookie.expires * 1000 - Date.now();
	expect(lifetime).toBeGreaterThan(364 * DAY);
	expect(lifetime).toBeLessThanOrEqual(365 * DAY);

	// Kept, not replaced, on the next visit.
	await page.goto(ratePath(provider.slug));
	expect((await context.cookies())[0]?.value).toBe(cookie.value);

	// What it is, where a patient looks.
	await page.goto('/privacy#rating-cookie');
	const explained = page.locator('#rating-cookie');
	await expect(explained).toContainText('kd_device');
	await expect(explained).toContainText('not tied to your identity');
	await expect(explained).toContainText('one-way keyed hash');
});

test('a first visit reached from the profile’s link (client-side, preloaded on hover) opens the form', async ({
	page,
	context,
	api
}) => {
	const [provider = missing()] = (await api.providers({ pageSize: 1, state: 'NM' })).results;
	await page.goto(`/providers/${provider.slug}`);
	expect(await context.cookies()).toEqual([]);
	const link = page.getByRole('link', { name: 'Rate this provider' }).first();
	// Hovering preloads the page's data; the click then follows it without a full page load.
	await link.hover();
	await page.waitForTimeout(300);
	await link.click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Rate ${provider.name}`);
	await expect(page.getByRole('button', { name: 'Submit rating' })).toBeVisible();
	expect(new URL(page.url()).pathname).toBe(ratePath(provider.slug));
	expect((await context.cookies()).map((c) => c.name)).toEqual(['kd_device']);
});

test.describe('a bot without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('filling the hidden honeypot is thanked but not counted', async ({ page, context, api }) => {
		const slot = SLOT.honeypot;
		const provider = await providerFor(api, slot, (p) => p.feedback.count === 0, 'unrated');
		await actAs(context, address(slot, 1));

		await openForm(page, provider, false);
		await fillForm(page, { overall: 1, comment: 'Buy cheap pills at example.com', confirm: true });
		const honeypot = page.locator('input[name="contact_url"]');
		await expect(honeypot).toHaveValue('');
		await honeypot.fill('https://spam.example/', { force: true });

		await fieldOf.submit(page).click();
		await expect(page).toHaveURL(profileUrl(provider.slug, 'received'));
		const feedback = page.locator('section#feedback');
		await expect(feedback.locator('p.thanks[role="status"]')).toHaveText(
			'Thank you — your rating was received.'
		);
		await expect(feedback).toContainText('Not Rated.');
		await expect(feedback.locator('ol.comments')).toHaveCount(0);
		await expect(page.locator('.head-feedback .label')).toHaveText('Not Rated');

		const after = await feedbackOf(api, provider.slug);
		expect(after.count).toBe(0);
		expect(after.ratingsUnderReview).toBe(0);
	});
});

test('the JSON API records, replays, validates and limits ratings', async ({ api, request }) => {
	const slot = SLOT.jsonApi;
	const provider = await providerFor(api, slot, (p) => p.feedback.count === 0, 'unrated');
	const url = `/api/providers/${provider.slug}/ratings`;
	const post = (clientAddress: string, data: unknown, headers: Record<string, string> = {}) =>
		request.post(url, { data, headers: { 'x-forwarded-for': clientAddress, ...headers } });
	const first = address(slot, 1);
	const second = address(slot, 2);
	const key = (n: number) => `e2e-${slot}-${test.info().workerIndex}-${Date.now()}-${n}`;

	// 201 with the new rating; the key may come as a header.
	const rating = {
		overall: 4,
		support: 2,
		recommend: 8,
		route: at(provider.routes, 0, 'a route').code,
		conditions: ['ptsd'],
		monthsInTreatment: 6,
		pricePaid: 425,
		comment: 'Helpful.\nWould go back.',
		ownExperience: true
	};
	const headerKey = key(1);
	const created = await post(first, rating, { 'idempotency-key': headerKey });
	expect(created.status()).toBe(201);
	const body = (await created.json()) as { id: number; status: string };
	expect(body).toMatchObject({ status: 'published' });
	expect(typeof body.id).toBe('number');

	// The same key again (header or body): the same rating, nothing new.
	for (const again of [
		await post(first, rating, { 'idempotency-key': headerKey }),
		await post(first, { ...rating, idempotencyKey: headerKey })
	]) {
		expect(again.status()).toBeLessThan(300);
		expect(((await again.json()) as { id: number }).id).toBe(body.id);
	}

	// Another patient, sending the same new rating twice at once: one rating.
	const bodyKey = key(2);
	const twice = await Promise.all([
		post(second, { ...rating, overall: 5, idempotencyKey: bodyKey }),
		post(second, { ...rating, overall: 5, idempotencyKey: bodyKey })
	]);
	const ids = await Promise.all(
		twice.map(async (r) => {
			expect(r.status()).toBeLessThan(300);
			return ((await r.json()) as { id: number }).id;
		})
	);
	expect(ids[0]).toBe(ids[1]);
	expect(ids[0]).not.toBe(body.id);

	const counted = await feedbackOf(api, provider.slug);
	expect(counted.count).toBe(2);
	expect(counted.averageRating).toBe(4.5);

	// 400 with a message for each bad field.
	const invalid = await post(address(slot, 3), {
		overall: 9,
		support: 0,
		recommend: 11,
		route: 'teleportation',
		conditions: ['not-a-condition'],
		monthsInTreatment: 999,
		pricePaid: 'abc',
		comment: 'x'.repeat(2001),
		ownExperience: false,
		idempotencyKey: key(3)
	});
	expect(invalid.status()).toBe(400);
	const problems = (await invalid.json()) as ApiError;
	expect(problems.error.code).toBe('invalid_rating');
	expect(Object.keys(problems.error.fields ?? {}).sort()).toEqual(
		[
			'overall',
			'support',
			'recommend',
			'route',
			'conditions',
			'monthsInTreatment',
			'pricePaid',
			'comment',
			'ownExperience'
		].sort()
	);
	for (const message of Object.values(problems.error.fields ?? {})) {
		expect(message.length).toBeGreaterThan(0);
	}

	// A treatment this provider does not offer is refused too.
	const offered = new Set(provider.routes.map((r) => r.code));
	const notOffered = ROUTE_CODES.find((code) => !offered.has(code));
	if (notOffered) {
		const wrongRoute = await post(address(slot, 4), {
			overall: 3,
			route: notOffered,
			ownExperience: true,
			idempotencyKey: key(4)
		});
		expect(wrongRoute.status()).toBe(400);
		expect(((await wrongRoute.json()) as ApiError).error.fields).toHaveProperty('route');
	}

	// Not JSON at all.
	const notJson = await request.post(url, {
		data: 'overall=5',
		headers: { 'content-type': 'application/json', 'x-forwarded-for': address(slot, 5) }
	});
	expect(notJson.status()).toBe(400);
	expect(((await notJson.json()) as ApiError).error.code).toBe('invalid_json');

	// 404 for an unknown provider.
	const unknown = await request.post('/api/providers/no-such-provider-e2e/ratings', {
		data: { overall: 5, ownExperience: true, idempotencyKey: key(6) },
		headers: { 'x-forwarded-for': address(slot, 6) }
	});
	expect(unknown.status()).toBe(404);
	expect(((await unknown.json()) as ApiError).error.code).toBe('not_found');

	// 429 for a second rating from the same address within 30 days, saying when to come back.
	const repeat = await post(first, { overall: 1, ownExperience: true, idempotencyKey: key(7) });
	expect(repeat.status()).toBe(429);
	const limited = (await repeat.json()) as ApiError;
	expect(limited.error.code).toBe('rate_limited');
	expect(limited.error.message).toContain('already rated this provider in the last 30 days');
	const retryAfter = Number(repeat.headers()['retry-after']);
	expect(Number.isInteger(retryAfter)).toBe(true);
	expect(retryAfter).toBeGreaterThan(30 * 86_400 - 3_600);
	expect(retryAfter).toBeLessThanOrEqual(30 * 86_400);

	const after = await feedbackOf(api, provider.slug);
	expect(after.count).toBe(2);
	expect(after.ratingsUnderReview).toBe(0);
});
