import { and, eq, exists, inArray, sql, type SQL } from 'drizzle-orm';
import { IN_PERSON_KINDS } from '../../domain/kinds';
import { AT_HOME_ROUTE_CODES, givenAtHome, type RouteCode } from '../../domain/routes';
import { type StateCode } from '../../domain/states';
import type { ProviderFilters } from '../../schemas/filters';
import type { Database } from '../db';
import { providerRoutes, providers, providerTelehealthStates } from '../db/schema';

/**
 * Which providers a set of filters matches: published, serving the state in person or by
 * telehealth (docs/decisions/001-who-serves-a-state.md), offering the route, kind and answers asked for.
 */

/** The filters alone; a page and page size may come along and are ignored. */
export type FilterSet = Omit<ProviderFilters, 'page' | 'pageSize'> &
	Partial<Pick<ProviderFilters, 'page' | 'pageSize'>>;

export const published = eq(providers.status, 'published');
const inPersonKinds = sql`${providers.kinds} && ${sql.raw(`array[${IN_PERSON_KINDS.map((k) => `'${k}'`).join(',')}]::text[]`)}`;
const isTelehealth = sql`${providers.kinds} @> array['telehealth']::text[]`;

export function licensedIn(db: Database, state?: StateCode): SQL {
	return exists(
		db
			.select({ one: sql`1` })
			.from(providerTelehealthStates)
			.where(
				and(
					eq(providerTelehealthStates.providerId, providers.id),
					state ? eq(providerTelehealthStates.state, state) : undefined
				)
			)
	);
}

function offersOneOf(db: Database, routes: readonly RouteCode[]): SQL {
	return exists(
		db
			.select({ one: sql`1` })
			.from(providerRoutes)
			.where(
				and(eq(providerRoutes.providerId, providers.id), inArray(providerRoutes.route, [...routes]))
			)
	);
}

/**
 * The two ways of serving patients in a state (docs/decisions/001-who-serves-a-state.md), each
 * narrowed to a route when one is asked for:
 * - in person: an in-person kind located in the state, offering the route;
 * - by telehealth: the telehealth kind, licensed in the state (in some state, without one), offering
 *   the route if it can be taken at home — or, without a route, offering one that can. IV, IM and
 *   Spravato are never "by telehealth", even from a clinic that also runs telehealth.
 */
export function servingConditions(
	db: Database,
	state: StateCode | undefined,
	route: RouteCode | undefined
) {
	const local = and(
		inPersonKinds,
		state ? eq(providers.state, state) : undefined,
		route ? offersOneOf(db, [route]) : undefined
	)!;
	const remote =
		route && !givenAtHome(route)
			? sql`false`
			: and(
					isTelehealth,
					licensedIn(db, state),
					offersOneOf(db, route ? [route] : AT_HOME_ROUTE_CODES)
				)!;
	return { local, remote };
}

/**
 * Who serves patients (in a state): in person or by telehealth, as `servingConditions` says;
 * `telehealth` narrows to one of the two groups.
 */
export function filterConditions(
	db: Database,
	f: Omit<ProviderFilters, 'page' | 'pageSize'>
): SQL[] {
	const { local, remote } = servingConditions(db, f.state, f.route);
	const where: SQL[] = [published];
	where.push(
		f.telehealth === true ? remote : f.telehealth === false ? local : sql`(${local} or ${remote})`
	);
	if (f.kind) where.push(sql`${providers.kinds} @> array[${f.kind}]::text[]`);
	if (f.psychotherapy !== undefined) where.push(eq(providers.offersPsychotherapy, f.psychotherapy));
	if (f.accepting) where.push(eq(providers.acceptingNewPatients, 'yes'));
	return where;
}
