import type { ConditionCode } from '$lib/domain/conditions';
import type { ProviderKind, ProviderStatus } from '$lib/domain/kinds';
import type { RouteCode } from '$lib/domain/routes';
import type { StateCode } from '$lib/domain/states';
import type { Database } from '$lib/server/db';
import {
	providerConditions,
	providerRoutes,
	providers,
	providerTelehealthStates
} from '$lib/server/db/schema';
import { missing } from './rows';

export interface RouteFixture {
	code: RouteCode;
	priceMin?: number | null;
	priceMax?: number | null;
	seriesPrice?: number | null;
	notes?: string | null;
}

type ProviderRow = typeof providers.$inferInsert;

/** A provider row plus its child rows; anything left out gets a plain, valid default. */
export interface ProviderFixture extends Partial<
	Omit<ProviderRow, 'id' | 'kinds' | 'state' | 'status' | 'createdAt' | 'updatedAt'>
> {
	name: string;
	kinds: ProviderKind[];
	state: StateCode;
	status?: ProviderStatus;
	/** A bare code means "offered, price unknown". */
	routes?: (RouteCode | RouteFixture)[];
	telehealthStates?: StateCode[];
	conditions?: ConditionCode[];
}

export function slugFor(name: string): string {
	return name
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');
}

/** Inserts one provider (published unless `status` says otherwise) and returns its id. */
export async function insertProvider(db: Database, fixture: ProviderFixture): Promise<number> {
	const { routes = [], telehealthStates = [], conditions = [], ...row } = fixture;
	const [{ id } = missing('the inserted provider')] = await db
		.insert(providers)
		.values({
			slug: slugFor(row.name),
			city: 'Springfield',
			zip: '00000',
			lat: 39.8,
			lng: -98.6,
			status: 'published',
			...row
		})
		.returning({ id: providers.id });
	if (routes.length) {
		await db.insert(providerRoutes).values(
			routes.map((r) => {
				const offer: RouteFixture = typeof r === 'string' ? { code: r } : r;
				return {
					providerId: id,
					route: offer.code,
					priceMin: offer.priceMin ?? null,
					priceMax: offer.priceMax ?? null,
					seriesPrice: offer.seriesPrice ?? null,
					notes: offer.notes ?? null
				};
			})
		);
	}
	if (telehealthStates.length) {
		await db
			.insert(providerTelehealthStates)
			.values(telehealthStates.map((state) => ({ providerId: id, state })));
	}
	if (conditions.length) {
		await db
			.insert(providerConditions)
			.values(conditions.map((condition) => ({ providerId: id, condition })));
	}
	return id;
}

/** Inserts fixtures in order, returning ids by slug. */
export async function insertProviders(
	db: Database,
	fixtures: ProviderFixture[]
): Promise<Map<string, number>> {
	const ids = new Map<string, number>();
	for (const fixture of fixtures) {
		const id = await insertProvider(db, fixture);
		ids.set(fixture.slug ?? slugFor(fixture.name), id);
	}
	return ids;
}
