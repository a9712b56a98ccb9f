import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { at, missing } from '../helpers/rows';

/**
 * No combination of the home page's filter form may end on an error page: every one answers 200
 * with the form and a results heading (issue 9: "ZIP + Telehealth only → a 400 page").
 *
 * The full product of the form's controls is about 90,000 searches, far too many for a quick
 * suite. This runs a deterministic subset that still pairs every value of every control with
 * every (place, telehealth) pair: for each such pair, row j takes the j-th value of each control
 * (cycling, with a different offset per pair so the other pairings vary). That is 11 rows per
 * pair, one per route. A second block pairs every route with every kind of provider.
 */

/** The place box: empty, a ZIP, a city, a place we cannot find, and the browser's location. */
const PLACES: Record<string, Record<string, string>> = {
	none: {},
	zip: { near: '78701' },
	city: { near: 'Austin, TX' },
	unknown: { near: 'Xyzzyq, TX' },
	location: { lat: '30.27', lng: '-97.74' }
};

/** The values each of the form's selects offers, read from the page itself. */
async function selectValues(page: Page, path: string): Promise<Record<string, string[]>> {
	await page.goto(path);
	return page
		.locator('form.filters select')
		.evaluateAll((selects) =>
			Object.fromEntries(
				selects.map((s) => [
					(s as HTMLSelectElement).name,
					[...(s as HTMLSelectElement).options].map((o) => o.value)
				])
			)
		);
}

function html(text: string) {
	return text.replace(/<!--.*?-->/g, '').replace(/<[^>]+>/g, '');
}

test('every combination of the filter form answers with the form and a result', async ({
	page,
	request
}) => {
	test.setTimeout(120_000);
	const withoutPlace = await selectValues(page, '/');
	const withPlace = await selectValues(page, '/?near=78701');
	const values: Record<string, string[]> = {};
	for (const [name, list] of [...Object.entries(withoutPlace), ...Object.entries(withPlace)]) {
		values[name] = [...new Set([...(values[name] ?? []), ...list])];
	}
	const valuesOf = (name: string) => values[name] ?? missing(`the values of ${name}`);
	// A state other than Texas (the place's state), to meet the place with a different state.
	values.state = ['', 'TX', 'VT'].filter((s) => s === '' || valuesOf('state').includes(s));
	expect(Object.keys(values).sort()).toEqual([
		'accepting',
		'kind',
		'psychotherapy',
		'radius',
		'route',
		'sort',
		'state',
		'telehealth'
	]);
	expect(values.radius).toEqual(['10', '25', '50', '100', '250']);
	expect(values.telehealth).toEqual(['', 'yes', 'no']);
	expect(values.sort).toEqual(['', 'best', 'price']);
	expect(values.accepting).toEqual(['', 'yes']);
	expect(values.route).toHaveLength(11);
	expect(values.kind).toHaveLength(5);

	const others = [
		'radius',
		'state',
		'route',
		'kind',
		'psychotherapy',
		'accepting',
		'sort'
	] as const;
	const queries: { place: string; params: Record<string, string> }[] = [];
	const placeNames = Object.keys(PLACES);
	placeNames.forEach((place, p) => {
		valuesOf('telehealth').forEach((telehealth, t) => {
			const pair = p * valuesOf('telehealth').length + t;
			for (let j = 0; j < valuesOf('route').length; j++) {
				const params: Record<string, string> = { ...PLACES[place], telehealth };
				others.forEach((name, k) => {
					const list = valuesOf(name);
					params[name] = at(list, name === 'route' ? j : (j + pair * (k + 1)) % list.length);
				});
				queries.push({ place, params });
			}
		});
	});
	let row = 0;
	for (const route of valuesOf('route')) {
		for (const kind of valuesOf('kind')) {
			const place = at(placeNames, row % placeNames.length);
			const params: Record<string, string> = { ...PLACES[place], route, kind };
			for (const name of [
				'radius',
				'state',
				'telehealth',
				'psychotherapy',
				'accepting',
				'sort'
			] as const) {
				params[name] = at(valuesOf(name), row % valuesOf(name).length);
			}
			queries.push({ place, params });
			row++;
		}
	}

	// Every value of every control meets every (place, telehealth) pair.
	for (const place of placeNames) {
		for (const telehealth of valuesOf('telehealth')) {
			const rows = queries.filter((q) => q.place === place && q.params.telehealth === telehealth);
			for (const name of others) {
				expect(
					new Set(rows.map((q) => q.params[name])),
					`${place} × ${telehealth} × ${name}`
				).toEqual(new Set(values[name]));
			}
		}
	}

	const failures: string[] = [];
	for (const { place, params } of queries) {
		// The form sends every control, the empty ones too.
		const path = `/?${new URLSearchParams(params).toString()}`;
		const response = await request.get(path);
		const body = await response.text();
		const heading = /<h2 id="results-heading"[^>]*>([\s\S]*?)<\/h2>/.exec(body)?.[1];
		const problems = [
			response.status() !== 200 && `status ${response.status()}`,
			!/<form method="GET" action="\/" class="filters/.test(body) && 'no filter form',
			heading === undefined && 'no results heading',
			/telehealths|0\.0 mi\b/.test(body) && 'bad wording'
		].filter(Boolean);
		const text = html(heading ?? '').trim();
		if (heading !== undefined) {
			if (place === 'unknown') {
				if (text !== 'We could not find that place') problems.push(`heading “${text}”`);
			} else if (place !== 'none' && params.telehealth === 'yes') {
				if (!/^\d+ [^,]*telehealth[^,]* licensed in (Texas|Vermont)/.test(text))
					problems.push(`heading “${text}”`);
			} else if (place !== 'none') {
				if (!text.includes(`within ${params.radius} miles of`)) problems.push(`heading “${text}”`);
			} else if (!/^\d+ /.test(text)) {
				problems.push(`heading “${text}”`);
			}
		}
		if (problems.length) failures.push(`${path}: ${problems.join(', ')}`);
	}
	expect(failures).toEqual([]);
	test.info().annotations.push({
		type: 'combinations',
		description: `${queries.length} of ${Object.values(values).reduce((n, l) => n * l.length, placeNames.length)} form combinations`
	});
	expect(queries).toHaveLength(placeNames.length * 3 * 11 + 11 * 5);
});
