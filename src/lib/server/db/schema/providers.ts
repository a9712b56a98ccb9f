import { sql } from 'drizzle-orm';
import {
	boolean,
	check,
	date,
	doublePrecision,
	index,
	integer,
	pgEnum,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uniqueIndex
} from 'drizzle-orm/pg-core';
import { CONDITION_CODES, type ConditionCode } from '../../../domain/conditions';
import { PROVIDER_KIND_CODES, PROVIDER_STATUSES, type ProviderKind } from '../../../domain/kinds';
import { NEW_PATIENTS_CODES, type NewPatients } from '../../../domain/new-patients';
import { ROUTE_CODES, type RouteCode } from '../../../domain/routes';
import { STATE_CODES, type StateCode } from '../../../domain/states';
import { createdAt, cube, oneOf, updatedAt, within } from './columns';

export const providerStatus = pgEnum('provider_status', PROVIDER_STATUSES);

export const providers = pgTable(
	'providers',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		slug: text('slug').notNull(),
		name: text('name').notNull(),
		kinds: text('kinds').array().notNull().$type<ProviderKind[]>(),
		description: text('description').notNull().default(''),
		website: text('website'),
		phone: text('phone'),
		email: text('email'),
		street: text('street'),
		city: text('city').notNull(),
		state: text('state').notNull().$type<StateCode>(),
		zip: text('zip').notNull(),
		lat: doublePrecision('lat').notNull(),
		lng: doublePrecision('lng').notNull(),
		/** ll_to_earth(lat, lng), stored so radius searches never recompute it per row. */
		earth: cube('earth')
			.notNull()
			.generatedAlwaysAs(sql`ll_to_earth(lat, lng)`),
		/** USD per consultation. */
		consultFee: integer('consult_fee'),
		acceptsInsurance: boolean('accepts_insurance').notNull().default(false),
		insuranceNotes: text('insurance_notes'),
		/** Psychotherapy or integration sessions alongside the medicine. */
		offersPsychotherapy: boolean('offers_psychotherapy').notNull().default(false),
		acceptingNewPatients: text('accepting_new_patients')
			.notNull()
			.default('unknown')
			.$type<NewPatients>(),
		/** The day the provider (or a moderator) last said yes or no; null while it is not known. */
		acceptingConfirmedOn: date('accepting_confirmed_on', { mode: 'string' }),
		status: providerStatus('status').notNull().default('pending'),
		/** Demo rows are labelled in the UI and can be removed in one statement. */
		isDemo: boolean('is_demo').notNull().default(false),
		/**
		 * Raised by one on every write to the provider (listings.ts), so a request or an edit can say
		 * which version of the listing it started from (docs/decisions/012-no-lost-updates.md).
		 */
		version: integer('version').notNull().default(1),
		lastVerifiedAt: timestamp('last_verified_at', { withTimezone: true }),
		createdAt: createdAt(),
		updatedAt: updatedAt()
	},
	(t) => [
		uniqueIndex('providers_slug_key').on(t.slug),
		index('providers_state_idx').on(t.state, t.status),
		index('providers_kinds_idx').using('gin', t.kinds),
		index('providers_demo_idx')
			.on(t.isDemo)
			.where(sql`${t.isDemo}`),
		// Radius search: earth_box(...) @> earth uses this GiST index.
		index('providers_earth_idx').using('gist', t.earth),
		check('providers_state_check', oneOf(t.state, STATE_CODES)),
		check(
			'providers_kinds_check',
			sql`cardinality(${t.kinds}) > 0 and ${t.kinds} <@ array[${sql.raw(PROVIDER_KIND_CODES.map((k) => `'${k}'`).join(', '))}]::text[]`
		),
		check('providers_lat_check', sql`${t.lat} between -90 and 90`),
		check('providers_lng_check', sql`${t.lng} between -180 and 180`),
		check('providers_consult_fee_check', within(t.consultFee, 0, 100_000)),
		check('providers_accepting_check', oneOf(t.acceptingNewPatients, NEW_PATIENTS_CODES)),
		check(
			'providers_accepting_confirmed_check',
			sql`(${t.acceptingNewPatients} = 'unknown') = (${t.acceptingConfirmedOn} is null)`
		)
	]
);

/**
 * A provider's former slugs: old links redirect to its current slug, and no other provider may
 * take one while it redirects (docs/decisions/012-no-lost-updates.md).
 */
export const providerSlugHistory = pgTable(
	'provider_slug_history',
	{
		slug: text('slug').primaryKey(),
		providerId: integer('provider_id')
			.notNull()
			.references(() => providers.id, { onDelete: 'cascade' }),
		/** When the provider stopped using this slug. */
		retiredAt: timestamp('retired_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('provider_slug_history_provider_idx').on(t.providerId)]
);

export const providerRoutes = pgTable(
	'provider_routes',
	{
		providerId: integer('provider_id')
			.notNull()
			.references(() => providers.id, { onDelete: 'cascade' }),
		route: text('route').notNull().$type<RouteCode>(),
		/** USD per session. */
		priceMin: integer('price_min'),
		priceMax: integer('price_max'),
		/** USD for a full series (e.g. six infusions). */
		seriesPrice: integer('series_price'),
		notes: text('notes')
	},
	(t) => [
		primaryKey({ columns: [t.providerId, t.route] }),
		index('provider_routes_route_idx').on(t.route, t.providerId),
		check('provider_routes_route_check', oneOf(t.route, ROUTE_CODES)),
		check(
			'provider_routes_price_check',
			sql`${t.priceMin} is null or ${t.priceMax} is null or ${t.priceMin} <= ${t.priceMax}`
		),
		check('provider_routes_price_min_check', within(t.priceMin, 0, 100_000)),
		check('provider_routes_price_max_check', within(t.priceMax, 0, 100_000)),
		check('provider_routes_series_check', within(t.seriesPrice, 0, 1_000_000))
	]
);

/** States a telehealth provider's clinicians are licensed in. */
export const providerTelehealthStates = pgTable(
	'provider_telehealth_states',
	{
		providerId: integer('provider_id')
			.notNull()
			.references(() => providers.id, { onDelete: 'cascade' }),
		state: text('state').notNull().$type<StateCode>()
	},
	(t) => [
		primaryKey({ columns: [t.providerId, t.state] }),
		index('provider_telehealth_states_state_idx').on(t.state, t.providerId),
		check('provider_telehealth_states_state_check', oneOf(t.state, STATE_CODES))
	]
);

export const providerConditions = pgTable(
	'provider_conditions',
	{
		providerId: integer('provider_id')
			.notNull()
			.references(() => providers.id, { onDelete: 'cascade' }),
		condition: text('condition').notNull().$type<ConditionCode>()
	},
	(t) => [
		primaryKey({ columns: [t.providerId, t.condition] }),
		check('provider_conditions_condition_check', oneOf(t.condition, CONDITION_CODES))
	]
);
