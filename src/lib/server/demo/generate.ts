import type { ConditionCode } from '../../domain/conditions';
import type { ProviderKind } from '../../domain/kinds';
import { mulberry32 } from '../../domain/random';
import type { RouteCode } from '../../domain/routes';
import { slugify } from '../../domain/slug';
import { STATE_CODES, type StateCode } from '../../domain/states';
import type { ZipcodesModule as ZipModule, ZipEntry } from '../zipcodes';
import {
	CLINIC_CORES,
	GOOD_COMMENTS,
	IN_PERSON_TOTAL,
	KAP_CORES,
	MIXED_COMMENTS,
	NAME_PREFIXES,
	POOR_COMMENTS,
	POPULATION,
	SECONDARY_CONDITIONS,
	SPRAVATO_CORES,
	STREETS,
	TELE_NAMES,
	TELEHEALTH_TOTAL,
	VERIFIED_BEFORE,
	type DemoProvider,
	type DemoRating,
	type DemoRoute
} from './data';

/**
 * A deterministic, clearly fictional demo directory: ~600 providers at real ZIP centroids in all
 * 50 states + DC. Phones use the 555-01xx fiction range and websites the reserved .example domain.
 */

/** The item at `index`; the demo lists are fixed and never empty, so a miss is a bug here. */
function itemAt<T>(items: readonly T[], index: number): T {
	const item = items[index];
	if (item === undefined) throw new Error(`No item at ${index} of ${items.length}.`);
	return item;
}

function prng(seed: number) {
	const next = mulberry32(seed);
	return {
		next,
		int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
		chance: (p: number) => next() < p,
		pick: <T>(items: readonly T[]): T => itemAt(items, Math.floor(next() * items.length)),
		sample<T>(items: readonly T[], n: number): T[] {
			const copy = [...items];
			for (let i = copy.length - 1; i > 0; i--) {
				const j = Math.floor(next() * (i + 1));
				// i and j are both within 0..copy.length - 1.
				[copy[i], copy[j]] = [copy[j]!, copy[i]!];
			}
			return copy.slice(0, n);
		}
	};
}
type Rng = ReturnType<typeof prng>;

function roundTo(value: number, step: number) {
	return Math.round(value / step) * step;
}

function priced(
	rng: Rng,
	route: RouteCode,
	low: number,
	high: number,
	seriesOf: number | null
): DemoRoute {
	const priceMin = roundTo(rng.int(low, high - 50), 25);
	const priceMax = Math.min(high, priceMin + roundTo(rng.int(0, 250), 25));
	const seriesPrice = seriesOf ? roundTo(priceMin * seriesOf * 0.9, 50) : null;
	return { route, priceMin, priceMax, seriesPrice };
}

const ROUTE_PRICES: Record<RouteCode, (rng: Rng) => DemoRoute> = {
	iv: (rng) => priced(rng, 'iv', 300, 800, 6),
	im: (rng) => priced(rng, 'im', 250, 500, 6),
	intranasal: (rng) => priced(rng, 'intranasal', 100, 300, null),
	esketamine: (rng) => priced(rng, 'esketamine', 600, 950, null),
	troche: (rng) => ({
		route: 'troche',
		priceMin: rng.int(75, 82),
		priceMax: rng.int(83, 90),
		seriesPrice: roundTo(rng.int(250, 450), 10)
	}),
	rdt: (rng) => ({
		route: 'rdt',
		priceMin: rng.int(70, 85),
		priceMax: rng.int(86, 110),
		seriesPrice: roundTo(rng.int(250, 450), 10)
	}),
	oral: (rng) => ({
		route: 'oral',
		priceMin: rng.int(40, 60),
		priceMax: rng.int(61, 90),
		seriesPrice: null
	}),
	rectal: () => ({ route: 'rectal', priceMin: null, priceMax: null, seriesPrice: null }),
	transdermal: () => ({
		route: 'transdermal',
		priceMin: null,
		priceMax: null,
		seriesPrice: null
	}),
	nebulized: () => ({ route: 'nebulized', priceMin: null, priceMax: null, seriesPrice: null })
};

function cityPicker(zipcodes: ZipModule, state: StateCode) {
	const byCity = new Map<string, ZipEntry[]>();
	for (const entry of zipcodes.lookupByState(state)) {
		if (!entry.latitude || !entry.longitude) continue;
		const list = byCity.get(entry.city) ?? [];
		list.push(entry);
		byCity.set(entry.city, list);
	}
	// Weight by ZIP count squared so demo clinics sit mostly in larger cities, as real ones do.
	const cities = [...byCity.values()].sort(
		(a, b) => b.length - a.length || itemAt(a, 0).zip.localeCompare(itemAt(b, 0).zip)
	);
	const weighted = cities.map((entries) => ({ entries, weight: entries.length * entries.length }));
	const total = weighted.reduce((a, b) => a + b.weight, 0);
	return (rng: Rng): ZipEntry => {
		let r = rng.next() * total;
		for (const { entries, weight } of weighted) {
			r -= weight;
			if (r <= 0) return rng.pick(entries);
		}
		return rng.pick(itemAt(cities, 0));
	};
}

function conditionsFor(rng: Rng, kinds: ProviderKind[]): ConditionCode[] {
	const base: ConditionCode[] = ['mdd', 'trd'];
	const extra = rng.sample(SECONDARY_CONDITIONS, rng.int(2, 6));
	if (kinds.includes('kap')) extra.push('ptsd', 'triggers');
	return [...new Set([...base, ...extra])];
}

function describe(kinds: ProviderKind[], city: string, telehealthCount: number): string {
	const parts: string[] = [];
	if (kinds.includes('clinic'))
		parts.push(
			`In-office ketamine treatment in ${city} with vital signs monitored throughout; please arrange a driver home after each session.`
		);
	if (kinds.includes('spravato'))
		parts.push(
			'Certified Spravato (esketamine) treatment center; most insurance plans, including the VA, are accepted for treatment-resistant depression.'
		);
	if (kinds.includes('kap'))
		parts.push(
			'Ketamine-assisted psychotherapy: preparation sessions, a dosing session of about two hours with a therapist present, and integration sessions in the days after.'
		);
	if (kinds.includes('telehealth'))
		parts.push(
			`At-home ketamine prescribed after a video assessment, shipped to patients in ${telehealthCount} states, with check-ins between sessions.`
		);
	parts.push('This is a fictional listing generated for demonstration.');
	return parts.join(' ');
}

export function generateDemoProviders(zipcodes: ZipModule, seed = 20261121): DemoProvider[] {
	const rng = prng(seed);
	const totalPopulation = Object.values(POPULATION).reduce((a, b) => a + b, 0);
	const slugs = new Set<string>();
	const uniqueSlug = (base: string) => {
		let slug = slugify(base);
		for (let n = 2; slugs.has(slug); n++) slug = `${slugify(base)}-${n}`;
		slugs.add(slug);
		return slug;
	};
	const contact = (slug: string) => ({
		website: `https://${slug}.example`,
		email: `hello@${slug}.example`,
		phone: `(${rng.int(201, 989)}) 555-01${String(rng.int(0, 99)).padStart(2, '0')}`
	});
	const verifiedAt = () => new Date(VERIFIED_BEFORE - rng.int(0, 365) * 86_400_000);
	const out: DemoProvider[] = [];

	for (const state of STATE_CODES) {
		const pickCity = cityPicker(zipcodes, state);
		const n = Math.max(3, Math.round((POPULATION[state] / totalPopulation) * IN_PERSON_TOTAL));
		for (let i = 0; i < n; i++) {
			const place = pickCity(rng);
			const roll = rng.next();
			let kinds: ProviderKind[];
			let routes: RouteCode[];
			let name: string;
			if (roll < 0.58) {
				kinds = rng.chance(0.25) ? ['clinic', 'spravato'] : ['clinic'];
				routes = ['iv'];
				if (rng.chance(0.4)) routes.push('im');
				if (rng.chance(0.2)) routes.push('intranasal');
				if (rng.chance(0.15)) routes.push('troche');
				if (kinds.includes('spravato')) routes.push('esketamine');
				name = `${rng.pick(NAME_PREFIXES)} ${rng.pick(CLINIC_CORES)}`;
			} else if (roll < 0.73) {
				kinds = ['spravato'];
				routes = ['esketamine'];
				name = `${rng.pick(NAME_PREFIXES)} ${rng.pick(SPRAVATO_CORES)}`;
			} else if (roll < 0.9) {
				kinds = ['kap'];
				routes = rng.chance(0.6) ? ['troche'] : ['im', 'troche'];
				if (rng.chance(0.1)) routes.push('rdt');
				name = `${rng.pick(NAME_PREFIXES)} ${rng.pick(KAP_CORES)}`;
			} else {
				kinds = ['clinic', 'kap'];
				routes = ['iv', 'im'];
				if (rng.chance(0.3)) routes.push('troche');
				name = `${rng.pick(NAME_PREFIXES)} ${rng.pick(KAP_CORES)}`;
			}
			// A few clinics also run a telehealth arm in their own state and a neighbour or two.
			const hybrid = kinds.includes('clinic') && rng.chance(0.06);
			const telehealthStates: StateCode[] = hybrid
				? [...new Set([state, ...rng.sample(STATE_CODES, rng.int(1, 2))])]
				: [];
			if (hybrid) {
				kinds = [...kinds, 'telehealth'];
				if (!routes.includes('troche')) routes.push('troche');
			}
			const fullName = `${name} of ${place.city}`;
			const slug = uniqueSlug(`${fullName}-${state}`);
			const spravato = kinds.includes('spravato');
			out.push({
				slug,
				name: fullName,
				kinds,
				description: describe(kinds, place.city, telehealthStates.length),
				...contact(slug),
				street: `${rng.int(100, 9899)} ${rng.pick(STREETS)}${rng.chance(0.5) ? `, Suite ${rng.int(100, 450)}` : ''}`,
				city: place.city,
				state,
				zip: place.zip,
				lat: place.latitude,
				lng: place.longitude,
				consultFee: kinds.includes('clinic')
					? roundTo(rng.int(250, 450), 25)
					: rng.chance(0.5)
						? roundTo(rng.int(150, 300), 25)
						: null,
				acceptsInsurance: spravato || rng.chance(0.2),
				insuranceNotes: spravato
					? 'Spravato covered by most commercial plans and the VA; prior authorization required.'
					: null,
				offersPsychotherapy: kinds.includes('kap') || rng.chance(0.3),
				lastVerifiedAt: verifiedAt(),
				routes: routes.map((r) => ROUTE_PRICES[r](rng)),
				telehealthStates,
				conditions: conditionsFor(rng, kinds)
			});
		}
	}

	const hubs = (Object.keys(POPULATION) as StateCode[]).filter((s) => POPULATION[s] >= 8);
	for (let i = 0; i < TELEHEALTH_TOTAL; i++) {
		const state = rng.pick(hubs);
		const place = cityPicker(zipcodes, state)(rng);
		const kinds: ProviderKind[] = rng.chance(0.3) ? ['telehealth', 'kap'] : ['telehealth'];
		const routes: RouteCode[] = rng.chance(0.5)
			? ['troche', 'rdt']
			: [rng.pick(['troche', 'rdt'] as const)];
		if (rng.chance(0.1)) routes.push('oral');
		const size = rng.int(5, 40);
		const others = rng.sample(STATE_CODES, STATE_CODES.length).filter((s) => s !== state);
		const licensed = [state, ...others.slice(0, size - 1)];
		const name = `${TELE_NAMES[i % TELE_NAMES.length]} Telehealth`;
		const slug = uniqueSlug(name);
		out.push({
			slug,
			name,
			kinds,
			description: describe(kinds, place.city, licensed.length),
			...contact(slug),
			street: `${rng.int(100, 9899)} ${rng.pick(STREETS)}`,
			city: place.city,
			state,
			zip: place.zip,
			lat: place.latitude,
			lng: place.longitude,
			consultFee: rng.chance(0.5) ? roundTo(rng.int(100, 250), 25) : null,
			acceptsInsurance: false,
			insuranceNotes: null,
			offersPsychotherapy: kinds.includes('kap') || rng.chance(0.25),
			lastVerifiedAt: verifiedAt(),
			routes: routes.map((r) => ROUTE_PRICES[r](rng)),
			telehealthStates: licensed.sort(),
			conditions: conditionsFor(rng, kinds)
		});
	}
	return out;
}

/**
 * Fictional ratings for the demo directory (a separate seed, so providers stay as they are). A few
 * telehealth services draw complaints about support, as DOMAIN.md says real ones do.
 */
export function generateDemoRatings(list: DemoProvider[], seed = 777): DemoRating[][] {
	const rng = prng(seed);
	const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, Math.round(n)));
	return list.map((p) => {
		if (rng.chance(0.25)) return [];
		const n = 1 + Math.floor(rng.next() ** 2 * 40);
		const quality = 2.6 + rng.next() * 2.2;
		const poorSupport =
			p.kinds.includes('telehealth') && !p.kinds.includes('clinic') && rng.chance(0.35);
		return Array.from({ length: n }, () => {
			const overall = clamp(quality + (rng.next() - 0.5) * 3 - (poorSupport ? 0.6 : 0), 1, 5);
			const aspect = (p: number, shift = 0) =>
				rng.chance(p) ? clamp(overall + shift + (rng.next() - 0.5) * 2, 1, 5) : null;
			const route = rng.chance(0.7) ? rng.pick(p.routes) : null;
			const priced = route && route.priceMin != null && route.priceMax != null && rng.chance(0.5);
			const comment = rng.chance(0.4)
				? rng.pick(overall >= 4 ? GOOD_COMMENTS : overall === 3 ? MIXED_COMMENTS : POOR_COMMENTS)
				: null;
			return {
				overall,
				effectiveness: aspect(0.7),
				support: poorSupport && rng.chance(0.65) ? rng.int(1, 2) : aspect(0.6),
				value: aspect(0.5, -0.3),
				education: aspect(0.5),
				setting: aspect(0.4),
				recommend: rng.chance(0.6) ? clamp(overall * 2 + (rng.next() - 0.5) * 3, 0, 10) : null,
				route: route?.route ?? null,
				pricePaid: priced ? rng.int(route.priceMin!, route.priceMax!) : null,
				conditions: rng.sample(p.conditions, rng.int(1, 2)),
				monthsInTreatment: rng.chance(0.5) ? rng.int(1, 24) : null,
				comment,
				createdAt: new Date(
					VERIFIED_BEFORE - rng.int(1, 540) * 86_400_000 - rng.int(0, 86_399) * 1000
				)
			};
		});
	});
}
