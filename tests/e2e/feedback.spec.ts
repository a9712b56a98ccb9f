import type { Locator, Page } from '@playwright/test';
import { violations } from './axe';
import { expect, test, type Api } from './fixtures';
import {
	ROUTE_LABELS,
	priceText,
	type ApiProviderSummary,
	type Feedback,
	type FeedbackBrief,
	type RouteCode
} from './domain';
import { cardLinks, cards } from './pages';
import { first, missing } from '../helpers/rows';

/**
 * What patients' ratings add to the directory: caution notes (profile, card, map popup), the
 * profile's numbers against the API, the best-rated order, the methodology page, and the
 * accessibility of the rating form and the feedback section.
 *
 * Like rating.spec.ts, each test that rates works on providers of its own slot and sends its own
 * client addresses as X-Forwarded-For.
 */

type Listed = ApiProviderSummary & { feedback: FeedbackBrief };

/** The aspects of care as the rating form and the profile name them (../shared/DOMAIN.md). */
const ASPECT_LABELS: Record<string, string> = {
	Effectiveness: 'effectiveness',
	'Support during treatment': 'support',
	'Value for cost': 'value',
	'Education & screening': 'education',
	'Setting & comfort': 'setting'
};

/** Conditions patients report treating (../shared/DOMAIN.md), by the API's codes. */
const CONDITION_LABELS: Record<string, string> = {
	mdd: 'Major depression (MDD)',
	trd: 'Treatment-resistant depression (TRD)',
	suicidal_ideation: 'Suicidal ideation',
	bipolar_1: 'Bipolar I',
	bipolar_2: 'Bipolar II',
	mood_instability: 'Mood instability',
	ptsd: 'PTSD / CPTSD',
	triggers: 'Triggers',
	anxiety: 'Anxiety',
	panic: 'Panic disorders',
	ocd: 'OCD',
	intrusive_thoughts: 'Intrusive thoughts',
	rumination: 'Rumination',
	substance_use: 'Substance use',
	adhd: 'ADD / ADHD',
	personality_disorders: 'Personality disorders',
	anger: 'Anger',
	psychosis: 'Psychosis',
	schizophrenia: 'Schizophrenia',
	autism: 'Autism',
	dementia: "Alzheimer's / dementia",
	chronic_pain: 'Chronic or neuropathic pain'
};

/**
 * Slots 0–7 belong to rating.spec.ts. The caution test needs a rare kind of provider: it has five.
 * The labels test shares slot 10 with the profile's axe test, which reads a provider with a caution
 * and five ratings or more: the one the labels test rates (three times, no caution) never is one.
 */
const SLOTS = 16;
const SLOT = { caution: 8, numbers: 9, axeProfile: 10, axeForm: 11, labels: 10 } as const;
const CAUTION_SLOTS = [SLOT.caution, 12, 13, 14, 15];

function slotOf(slug: string): number {
	let hash = 0x811c9dc5;
	for (let i = 0; i < slug.length; i++) {
		hash ^= slug.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	return hash % SLOTS;
}

async function providersOf(api: Api, slot: number | number[], wanted: (p: Listed) => boolean) {
	const slots = new Set([slot].flat());
	const all = (await api.allProviders()) as Listed[];
	return all.filter((p) => slots.has(slotOf(p.slug)) && wanted(p));
}

async function feedbackOf(api: Api, slug: string): Promise<Feedback> {
	return ((await api.provider(slug)) as unknown as { feedback: Feedback }).feedback;
}

function address(slot: number, patient: number): string {
	// The third part tells runs of the same test apart (--repeat-each, retries).
	const { repeatEachIndex, retry } = test.info();
	return `10.${slot}.${(repeatEachIndex * 4 + retry) % 256}.${patient}`;
}

/** A number shown with one decimal equals the API's (two-decimal) value, rounded. */
function expectOneDecimal(shown: string, value: number | null, what: string) {
	if (value === null) {
		expect(shown, what).toBe('—');
		return;
	}
	expect(shown, what).toMatch(/^\d\.\d$/);
	expect(Math.abs(Number(shown) - value), `${what}: ${shown} vs ${value}`).toBeLessThanOrEqual(
		0.0500001
	);
}

/** The label for an average effectiveness answer, from 3 ratings on (/methodology#labels). */
function labelFor(average: number | null): string {
	if (average === null) return 'Not Rated';
	if (average >= 4.5) return 'Amazing';
	if (average >= 3.75) return 'Highly Effective';
	if (average >= 3) return 'Effective';
	if (average >= 2.25) return 'Partially Effective';
	return 'Ineffective';
}

const ratingsNoun = (n: number) => `${n} ${n === 1 ? 'rating' : 'ratings'}`;

function mapRegion(page: Page): Locator {
	return page.locator('div.map[role="region"]');
}

test.describe('a caution note', () => {
	test.use({ viewport: { width: 1280, height: 900 } });

	test('appears on the profile, the card and the map popup once 5 patients rate support low', async ({
		page,
		api,
		request
	}) => {
		test.slow();
		const slot = SLOT.caution;
		// An unrated provider seen in person, alone within 10 miles of its ZIP code (so its
		// marker stands by itself on the map).
		const candidates = await providersOf(
			api,
			CAUTION_SLOTS,
			(p) => p.feedback.count === 0 && p.kinds.some((k) => k !== 'telehealth')
		);
		let provider: Listed | undefined;
		for (const candidate of candidates) {
			const near = await api.providers({ near: candidate.zip, radius: 10 });
			if (near.total === 1 && near.results[0]?.slug === candidate.slug) {
				provider = candidate;
				break;
			}
		}
		if (!provider)
			throw new Error(`No unrated provider alone near its ZIP in ${CAUTION_SLOTS.join(',')}`);
		const { slug, name } = provider;

		// Five patients (five addresses) rate support during treatment 1 star; the overall
		// ratings are middling, so only the support rule fires.
		const overall = [3, 4, 3, 4, 3];
		for (const [i, stars] of overall.entries()) {
			const response = await request.post(`/api/providers/${slug}/ratings`, {
				data: {
					overall: stars,
					support: 1,
					ownExperience: true,
					idempotencyKey: `e2e-caution-${test.info().workerIndex}-${Date.now()}-${i}`
				},
				headers: { 'x-forwarded-for': address(slot, i + 1) }
			});
			expect(response.status(), `rating ${i + 1}`).toBe(201);
			expect(((await response.json()) as { status: string }).status).toBe('published');
			const feedback = await feedbackOf(api, slug);
			expect(feedback.count).toBe(i + 1);
			// Four answers are not enough evidence; the fifth is.
			expect(feedback.cautions.length, `cautions after ${i + 1} ratings`).toBe(i < 4 ? 0 : 1);
		}

		const text = '5 of 5 patients rated support during treatment 2 stars or lower';
		const feedback = await feedbackOf(api, slug);
		expect(feedback.cautions).toEqual([{ aspect: 'support', low: 5, total: 5, text }]);
		expect(feedback.averageRating).toBe(3.4);
		expect(feedback.label).toBe('Effective');

		// The profile states the evidence.
		await page.goto(`/providers/${slug}`);
		const notes = page.locator('section#feedback li.caution');
		await expect(notes).toHaveCount(1);
		await expect(notes).toContainText(`Caution: ${text}.`);
		await expect(notes.getByRole('link', { name: 'Why this note appears' })).toHaveAttribute(
			'href',
			'/methodology#cautions'
		);
		await expect(page.locator('.head-feedback a.caution')).toContainText('Caution');

		// Its card in the state's listing (sorted by name; 100 a page).
		const inState = await api.allProviders({ state: provider.state });
		const index = inState.findIndex((p) => p.slug === slug);
		expect(index).toBeGreaterThanOrEqual(0);
		await page.goto(`/?state=${provider.state}&pageSize=100&page=${Math.floor(index / 100) + 1}`);
		const card = cards(page).filter({
			has: page.getByRole('heading', { name, exact: true })
		});
		await expect(card).toHaveCount(1);
		const badge = card.locator('p.feedback');
		await expect(badge).toContainText('3.4');
		await expect(badge).toContainText(`(${ratingsNoun(5)})`);
		await expect(badge.locator('.label')).toHaveText('Effective');
		const cautionLink = badge.locator('a.caution');
		await expect(cautionLink).toContainText('Caution');
		await expect(cautionLink).toHaveAttribute('href', `/providers/${slug}#feedback`);
		await expect(cautionLink).toHaveAccessibleName(new RegExp(`Caution.*${text}`));
		await expect(cautionLink).toHaveAttribute('title', text);

		// Its marker's popup, searching 10 miles around its ZIP code.
		await page.goto(`/?near=${provider.zip}&radius=10`);
		await expect(mapRegion(page)).toHaveAttribute('data-first-render-ms', /^\d+$/);
		await mapRegion(page).scrollIntoViewIfNeeded();
		const marker = mapRegion(page).locator(
			`.map-marker[aria-label^=${JSON.stringify(`${name} (`)}]`
		);
		await expect(marker).toHaveCount(1);
		await marker.click();
		const popup = page.locator('.leaflet-popup .map-popup');
		await expect(popup.locator('strong')).toHaveText(name);
		await expect(popup).toContainText(`★ 3.4 (${ratingsNoun(5)}) · Effective`);
		await expect(popup.locator('.popup-caution')).toHaveText([`⚠ Caution: ${text}`]);
		// The nearby list (not the telehealth one below it) shows the card with the same note.
		const nearby = page.locator('section[aria-labelledby="results-heading"]');
		const nearbyCard = cards(nearby).filter({
			has: page.getByRole('heading', { name, exact: true })
		});
		await expect(nearbyCard.locator('a.caution')).toHaveAttribute('title', text);
	});
});

test('the profile shows the same numbers as the API', async ({ page, api }) => {
	const [provider = missing()] = await providersOf(
		api,
		SLOT.numbers,
		(p) => p.feedback.count >= 5 && p.feedback.cautions.length > 0
	);
	expect(provider, 'a rated provider with a caution').toBeDefined();
	const f = await feedbackOf(api, provider.slug);
	await page.goto(`/providers/${provider.slug}`);
	const section = page.locator('section#feedback');

	// Headline: mean, count, label, "rated it effective".
	expectOneDecimal(await section.locator('.score .mean').innerText(), f.averageRating, 'mean');
	await expect(section.locator('.score')).toContainText(`out of 5 from ${ratingsNoun(f.count)}`);
	const fact = (term: string) =>
		section.locator('dl.facts > div').filter({ has: page.getByText(term, { exact: true }) });
	// The label and "rated it effective" rest on one answer per rating: its effectiveness stars,
	// or its overall stars where it skipped that question.
	const basis = f.effectivenessBasis;
	expect(basis.count).toBe(f.count);
	expect(basis.fromEffectivenessQuestion).toBeLessThanOrEqual(
		(f.aspects.effectiveness ?? missing('the effectiveness aspect')).count
	);
	await expect(fact('Effectiveness label').locator('dd a')).toHaveText(f.label);
	await expect(fact('Effectiveness label').locator('dd')).toContainText(
		`${basis.average?.toFixed(1)} on average from ${f.count}`
	);
	expect(f.label).toBe(labelFor(basis.average));
	await expect(fact('Rated it effective').locator('dd')).toHaveText(
		`${f.effectivePercent}% (${basis.responders} of ${f.count} rated it above 2 stars)`
	);
	expect(f.effectivePercent).toBe(Math.round((basis.responders * 100) / f.count));
	if (f.recommend) {
		const r = f.recommend;
		await expect(fact('Recommend score').locator('dd')).toHaveText(
			`${r.score > 0 ? '+' : ''}${r.score} (${r.promoters} of ${r.count} would strongly recommend, ${r.detractors} would not)`
		);
	} else {
		await expect(fact('Recommend score')).toHaveCount(0);
	}

	// The header's badge agrees.
	const head = page.locator('.head-feedback');
	await expect(head.locator('.count')).toHaveText(`(${ratingsNoun(f.count)})`);
	await expect(head.locator('.label')).toHaveText(f.label);

	// Distribution bars, 5 stars down to 1.
	const bars = section.locator('ul.bars > li');
	await expect(bars).toHaveCount(5);
	for (const [i, stars] of (['5', '4', '3', '2', '1'] as const).entries()) {
		await expect(bars.nth(i).locator('.bar-label')).toHaveText(
			`${stars} ${stars === '1' ? 'star' : 'stars'}`
		);
		await expect(bars.nth(i).locator('.bar-count')).toHaveText(String(f.distribution[stars]));
	}
	expect(Object.values(f.distribution).reduce((a, b) => a + b, 0)).toBe(f.count);

	// Aspects of care.
	const aspectRows = section.locator('table.aspects tbody tr');
	await expect(aspectRows).toHaveCount(Object.keys(ASPECT_LABELS).length);
	for (const row of await aspectRows.all()) {
		const label = (await row.locator('th').innerText()).trim();
		const key = ASPECT_LABELS[label] ?? missing(`aspect “${label}”`);
		const aspect = f.aspects[key] ?? missing(`the API's ${key} aspect`);
		const [average = missing('an average'), count] = await row.locator('td').allInnerTexts();
		expectOneDecimal(average.trim(), aspect.average, label);
		expect(Number(count), `${label} ratings`).toBe(aspect.count);
	}

	// By condition, in the API's order.
	const conditionRows = section.locator('table.conditions tbody tr');
	await expect(conditionRows).toHaveCount(f.byCondition.length);
	for (const [i, c] of f.byCondition.entries()) {
		const row = conditionRows.nth(i);
		await expect(row.locator('th')).toHaveText(CONDITION_LABELS[c.condition] ?? c.condition);
		await expect(row.locator('td')).toHaveText([
			String(c.count),
			c.effectivePercent === null ? 'Too few ratings yet' : `${c.effectivePercent}%`
		]);
		expect(c.effectivePercent === null, c.condition).toBe(c.count < 3);
	}

	// What patients paid.
	const prices = Object.entries(f.medianPricePaid) as [
		RouteCode,
		{ median: number; count: number }
	][];
	await expect(section.locator('ul.prices > li')).toHaveText(
		prices.map(
			([route, p]) =>
				`${ROUTE_LABELS[route]}: median ${priceText(p.median, p.median)} (${p.count} ${p.count === 1 ? 'report' : 'reports'})`
		)
	);

	// Caution notes, with their evidence, in the API's order.
	await expect(section.locator('li.caution')).toHaveText(
		f.cautions.map((c) => new RegExp(`Caution: ${c.text}\\.`))
	);
	await expect(head.locator('a.caution')).toContainText(
		f.cautions.length === 1 ? 'Caution' : `${f.cautions.length} cautions`
	);
	if (f.ratingsUnderReview === 0) await expect(section.locator('.review-note')).toHaveCount(0);
});

test('a label needs 3 ratings, and reads effectiveness answers rather than overall stars', async ({
	page,
	api,
	request
}) => {
	const slot = SLOT.labels;
	const [provider = missing('an unrated provider')] = await providersOf(
		api,
		slot,
		(p) => p.feedback.count === 0
	);
	expect(provider, 'an unrated provider').toBeDefined();
	const { slug, name } = provider;
	const rate = async (i: number, data: Record<string, number>) => {
		const response = await request.post(`/api/providers/${slug}/ratings`, {
			data: {
				...data,
				ownExperience: true,
				idempotencyKey: `e2e-labels-${test.info().workerIndex}-${Date.now()}-${i}`
			},
			headers: { 'x-forwarded-for': address(slot, i) }
		});
		expect(response.status(), `rating ${i}`).toBe(201);
	};
	const head = page.locator('.head-feedback');
	const section = page.locator('section#feedback');
	const fact = (term: string) =>
		section.locator('dl.facts > div').filter({ has: page.getByText(term, { exact: true }) });

	// One patient, delighted overall, who found it did not work: no label from one rating.
	await rate(1, { overall: 5, effectiveness: 1 });
	let f = await feedbackOf(api, slug);
	expect(f).toMatchObject({ count: 1, label: 'Too few ratings yet', effectivePercent: null });
	await page.goto(`/providers/${slug}`);
	await expect(head.locator('.label')).toHaveText('Too few ratings yet');
	await expect(fact('Effectiveness label').locator('dd')).toHaveText(
		'Too few ratings yet (a label needs at least 3 ratings)'
	);
	await expect(fact('Rated it effective').locator('dd')).toHaveText('Too few ratings yet');

	// Two more: effectiveness 2, and one with overall stars only (4). Overall they average 4.67,
	// which used to read "Amazing"; their effectiveness answers average 2.33.
	await rate(2, { overall: 5, effectiveness: 2 });
	await rate(3, { overall: 4 });
	f = await feedbackOf(api, slug);
	expect(f).toMatchObject({ count: 3, averageRating: 4.67, label: 'Partially Effective' });
	expect(f.effectivePercent).toBe(33);
	expect(f.effectivenessBasis).toEqual({
		count: 3,
		fromEffectivenessQuestion: 2,
		average: 2.33,
		responders: 1,
		minimumForLabel: 3
	});
	await page.reload();
	await expect(head.locator('.label')).toHaveText('Partially Effective');
	await expect(section.locator('.score .mean')).toHaveText('4.7');
	await expect(fact('Effectiveness label').locator('dd')).toHaveText(
		'Partially Effective (2.3 on average from 3 ratings: 2 effectiveness answers, 1 overall rating where that was skipped)'
	);
	await expect(fact('Rated it effective').locator('dd')).toHaveText(
		'33% (1 of 3 rated it above 2 stars)'
	);

	// The card in the state's listing carries the same label.
	const inState = await api.allProviders({ state: provider.state });
	const index = inState.findIndex((p) => p.slug === slug);
	await page.goto(`/?state=${provider.state}&pageSize=100&page=${Math.floor(index / 100) + 1}`);
	const card = cards(page).filter({ has: page.getByRole('heading', { name, exact: true }) });
	await expect(card.locator('p.feedback .label')).toHaveText('Partially Effective');
});

test('“best rated” lists providers in the order of their Bayesian score, as the API does', async ({
	page,
	api
}) => {
	await expect(async () => {
		const { results } = (await api.providers({ sort: 'best' })) as unknown as {
			results: Listed[];
		};
		await page.goto('/?sort=best');
		expect(await cardLinks(page)).toEqual(results.map((p) => `/providers/${p.slug}`));

		// Non-increasing score, unrated providers last.
		const scores = results.map((p) => p.feedback.weightedScore);
		const firstNull = scores.indexOf(null);
		if (firstNull >= 0) expect(scores.slice(firstNull).every((s) => s === null)).toBe(true);
		const rated = scores.filter((s): s is number => s !== null);
		for (let i = 1; i < rated.length; i++) {
			const [earlier = missing(), score = missing()] = rated.slice(i - 1, i + 1);
			expect(score, `score ${i + 1} after ${earlier}`).toBeLessThanOrEqual(earlier);
		}

		// Each score is v/(v+5)·R + 5/(v+5)·3, and each card shows its provider's feedback.
		for (const [i, p] of results.entries()) {
			const f = p.feedback;
			if (f.count > 0 && f.averageRating !== null && f.weightedScore !== null) {
				const expected = (f.count * f.averageRating + 5 * 3) / (f.count + 5);
				expect(Math.abs(f.weightedScore - expected), p.slug).toBeLessThan(0.01);
			}
			const badge = cards(page).nth(i).locator('p.feedback');
			await expect(badge.locator('.label')).toHaveText(f.label, { timeout: 1_000 });
			if (f.count > 0) {
				await expect(badge.locator('.count')).toHaveText(`(${ratingsNoun(f.count)})`, {
					timeout: 1_000
				});
			}
		}
	}).toPass({ timeout: 20_000 });
});

test('/methodology explains the labels, the score and the caution thresholds', async ({ page }) => {
	const response = await page.goto('/methodology');
	expect(response?.status()).toBe(200);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('How ratings are summarised');

	const labels = page.locator('table.rules tbody tr');
	await expect(labels.locator('th')).toHaveText([
		'Amazing',
		'Highly Effective',
		'Effective',
		'Partially Effective',
		'Ineffective',
		'Too few ratings yet',
		'Not Rated'
	]);
	await expect(labels.locator('td')).toHaveText([
		'4.5 or more',
		'3.75 to less than 4.5',
		'3 to less than 3.75',
		'2.25 to less than 3',
		'1 to less than 2.25',
		'fewer than 3 published ratings',
		'no published ratings yet'
	]);
	await expect(page.locator('#labels + p')).toContainText(
		'From the average of the same effectiveness answers, once a provider has at least 3 published ratings'
	);

	const main = page.locator('main');
	await expect(main).toContainText('an answer of 2 stars or fewer counts as a non-responder');
	await expect(main).toContainText(
		'its “Effectiveness” stars, or, when the patient skipped that question, its overall stars'
	);
	await expect(main).toContainText('It is shown from 3 answers on');
	await expect(main).toContainText('C = 3');
	await expect(main).toContainText('m = 5');
	await expect(main).toContainText(
		'One 5-star rating scores 3.33; fifty ratings averaging 4.8 score 4.64'
	);
	const cautions = page.locator('#cautions + p');
	await expect(cautions).toContainText(
		'at least 5 patients answered and at least 40% of them gave 2 stars or fewer'
	);
	await expect(cautions).toContainText(
		'the overall rating, support during treatment, education and screening, value for cost'
	);
	const integrity = page.locator('#integrity + ul');
	await expect(integrity).toContainText('One rating per provider from each device every 30 days.');
	await expect(integrity).toContainText(
		'counts for its internet address instead, so one rating per provider from the same address every 30 days'
	);
	await expect(integrity).toContainText(
		'When another device at the same internet address rated the same provider in the last 30 days'
	);
	await expect(integrity.getByRole('link', { name: 'privacy' })).toHaveAttribute(
		'href',
		'/privacy#rating-cookie'
	);
});

test.describe('accessibility of ratings (axe, WCAG 2.0/2.1/2.2 A and AA)', () => {
	test('the rating form, before and after a failed submit, has no violations', async ({
		page,
		context,
		api
	}) => {
		const [provider = missing()] = await providersOf(api, SLOT.axeForm, () => true);
		await context.setExtraHTTPHeaders({ 'x-forwarded-for': address(SLOT.axeForm, 1) });
		await page.goto(`/providers/${provider.slug}/rate`);
		// Hydrated: the character counter follows typing.
		const comment = page.getByLabel('Your experience in your own words');
		await comment.fill('hi');
		await expect(page.locator('#comment-hint')).toContainText('2 / 2,000 characters');
		expect(await violations(page)).toEqual([]);

		await page.getByLabel('Price you paid per session (US $)').fill('abc');
		await page.getByRole('button', { name: 'Submit rating' }).click();
		await expect(page.locator('.error-summary[role="alert"]')).toBeVisible();
		await expect(page.locator('#overall-error')).toBeVisible();
		expect(await violations(page)).toEqual([]);
	});

	test('a profile with ratings, cautions and comments has no violations', async ({ page, api }) => {
		const candidates = await providersOf(
			api,
			SLOT.axeProfile,
			(p) => p.feedback.count >= 5 && p.feedback.cautions.length > 0
		);
		expect(candidates.length).toBeGreaterThan(0);
		await page.goto(`/providers/${first(candidates).slug}`);
		await expect(page.locator('section#feedback li.caution').first()).toBeVisible();
		await expect(page.locator('section#feedback table.aspects')).toBeVisible();
		expect(await violations(page)).toEqual([]);
	});
});
