import { sql, type SQL } from 'drizzle-orm';
import {
	bigint,
	customType,
	boolean,
	check,
	date,
	doublePrecision,
	index,
	integer,
	jsonb,
	pgEnum,
	pgTable,
	primaryKey,
	smallint,
	text,
	timestamp,
	uniqueIndex,
	type AnyPgColumn
} from 'drizzle-orm/pg-core';
import { CONDITION_CODES, type ConditionCode } from '../../domain/conditions';
import { PROVIDER_KIND_CODES, PROVIDER_STATUSES, type ProviderKind } from '../../domain/kinds';
import { NEW_PATIENTS_CODES, type NewPatients } from '../../domain/new-patients';
import { ROUTE_CODES, type RouteCode } from '../../domain/routes';
import { STATE_CODES, type StateCode } from '../../domain/states';

/** `column IN ('a','b',…)` from a list of codes defined once in src/lib/domain. */
function oneOf(column: AnyPgColumn, codes: readonly string[]): SQL {
	return sql`${column} in (${sql.raw(codes.map((c) => `'${c}'`).join(', '))})`;
}

function within(column: AnyPgColumn, min: number, max: number): SQL {
	return sql`${column} is null or ${column} between ${sql.raw(String(min))} and ${sql.raw(String(max))}`;
}

/** earthdistance's point type (a cube): 3-D coordinates on the earth's surface, in metres. */
const cube = customType<{ data: string; driverData: string }>({ dataType: () => 'cube' });

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

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

// Patient feedback ------------------------------------------------------------------------

export const ratingStatus = pgEnum('rating_status', ['published', 'held', 'hidden']);

export const ratings = pgTable(
	'ratings',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		providerId: integer('provider_id')
			.notNull()
			.references(() => providers.id, { onDelete: 'cascade' }),
		status: ratingStatus('status').notNull().default('published'),
		overall: smallint('overall').notNull(),
		effectiveness: smallint('effectiveness'),
		support: smallint('support'),
		value: smallint('value'),
		education: smallint('education'),
		setting: smallint('setting'),
		/** "Would you recommend to others", 0–10. */
		recommend: smallint('recommend'),
		route: text('route').$type<RouteCode>(),
		monthsInTreatment: smallint('months_in_treatment'),
		pricePaid: integer('price_paid'),
		comment: text('comment'),
		/** Keyed hash of the client address (never the address itself). */
		clientHash: text('client_hash'),
		/**
		 * Keyed hash of the rating page's per-device cookie (never the token itself); null for
		 * ratings sent without one (the JSON API, browsers that refuse cookies).
		 */
		deviceHash: text('device_hash'),
		idempotencyKey: text('idempotency_key'),
		moderationReason: text('moderation_reason'),
		/** Set when a moderator decides; automatic holds never override a moderator's decision. */
		moderatedBy: integer('moderated_by').references((): AnyPgColumn => users.id, {
			onDelete: 'set null'
		}),
		moderatedAt: timestamp('moderated_at', { withTimezone: true }),
		createdAt: createdAt(),
		publishedAt: timestamp('published_at', { withTimezone: true })
	},
	(t) => [
		uniqueIndex('ratings_idempotency_key').on(t.idempotencyKey),
		index('ratings_provider_idx').on(t.providerId, t.status, t.createdAt),
		index('ratings_client_idx').on(t.clientHash, t.createdAt),
		index('ratings_provider_client_idx').on(t.providerId, t.clientHash),
		index('ratings_provider_device_idx').on(t.providerId, t.deviceHash),
		check('ratings_overall_check', sql`${t.overall} between 1 and 5`),
		check('ratings_effectiveness_check', within(t.effectiveness, 1, 5)),
		check('ratings_support_check', within(t.support, 1, 5)),
		check('ratings_value_check', within(t.value, 1, 5)),
		check('ratings_education_check', within(t.education, 1, 5)),
		check('ratings_setting_check', within(t.setting, 1, 5)),
		check('ratings_recommend_check', within(t.recommend, 0, 10)),
		check('ratings_route_check', sql`${t.route} is null or ${oneOf(t.route, ROUTE_CODES)}`),
		check('ratings_comment_check', sql`${t.comment} is null or char_length(${t.comment}) <= 2000`)
	]
);

export const ratingConditions = pgTable(
	'rating_conditions',
	{
		ratingId: integer('rating_id')
			.notNull()
			.references(() => ratings.id, { onDelete: 'cascade' }),
		condition: text('condition').notNull().$type<ConditionCode>()
	},
	(t) => [
		primaryKey({ columns: [t.ratingId, t.condition] }),
		check('rating_conditions_condition_check', oneOf(t.condition, CONDITION_CODES))
	]
);

/**
 * Aggregates of a provider's published ratings, rewritten in the same transaction as every
 * change to those ratings, so it never drifts from the rows it summarises.
 */
export const providerFeedback = pgTable('provider_feedback', {
	providerId: integer('provider_id')
		.primaryKey()
		.references(() => providers.id, { onDelete: 'cascade' }),
	ratingCount: integer('rating_count').notNull().default(0),
	overallMean: doublePrecision('overall_mean'),
	/** Bayesian weighted score used for "best rated" ordering. */
	weightedScore: doublePrecision('weighted_score'),
	/** Everything else (distribution, aspects, conditions, cautions) as computed by src/lib/domain. */
	summary: jsonb('summary').notNull().default({}),
	heldCount: integer('held_count').notNull().default(0),
	updatedAt: updatedAt()
});

/**
 * Secrets for hashing client addresses, one per 30-day period. Rows older than the previous
 * period are deleted, after which old hashes can no longer be linked to any address.
 */
export const hashKeys = pgTable('hash_keys', {
	period: integer('period').primaryKey(),
	key: text('key').notNull(),
	createdAt: createdAt()
});

export const annotationStatus = pgEnum('annotation_status', ['active', 'retired']);

/** Editorial notes written by moderators; caution notes are computed from ratings instead. */
export const annotations = pgTable(
	'annotations',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		providerId: integer('provider_id')
			.notNull()
			.references(() => providers.id, { onDelete: 'cascade' }),
		title: text('title').notNull(),
		body: text('body').notNull(),
		status: annotationStatus('status').notNull().default('active'),
		createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: createdAt(),
		updatedAt: updatedAt(),
		retiredAt: timestamp('retired_at', { withTimezone: true })
	},
	(t) => [index('annotations_provider_idx').on(t.providerId, t.status)]
);

// Listing requests and problem reports ----------------------------------------------------

export const requestStatus = pgEnum('request_status', ['pending', 'approved', 'rejected']);

export const listingRequests = pgTable(
	'listing_requests',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		/** Null for a new listing; the provider to update otherwise. */
		providerId: integer('provider_id').references(() => providers.id, { onDelete: 'set null' }),
		status: requestStatus('status').notNull().default('pending'),
		/** The listing as submitted, in the shape of the listing form's schema. */
		payload: jsonb('payload').notNull(),
		/** Updates: the provider's version, and its listing, as the requester saw them in the form. */
		baseVersion: integer('base_version'),
		basePayload: jsonb('base_payload'),
		/** Private note to the moderators; erased with the contact details. */
		message: text('message'),
		contactName: text('contact_name').notNull(),
		contactEmail: text('contact_email').notNull(),
		idempotencyKey: text('idempotency_key'),
		clientHash: text('client_hash'),
		decisionReason: text('decision_reason'),
		decidedBy: integer('decided_by').references(() => users.id, { onDelete: 'set null' }),
		decidedAt: timestamp('decided_at', { withTimezone: true }),
		createdAt: createdAt()
	},
	(t) => [
		uniqueIndex('listing_requests_idempotency_key').on(t.idempotencyKey),
		index('listing_requests_status_idx').on(t.status, t.createdAt)
	]
);

export const reportStatus = pgEnum('report_status', ['open', 'resolved', 'dismissed']);

export const problemReports = pgTable(
	'problem_reports',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		providerId: integer('provider_id')
			.notNull()
			.references(() => providers.id, { onDelete: 'cascade' }),
		/** Set when the report is about one patient rating rather than the listing. */
		ratingId: integer('rating_id').references(() => ratings.id, { onDelete: 'cascade' }),
		/** closed | wrong_phone | wrong_address | wrong_prices | route_discontinued | other */
		reason: text('reason').notNull(),
		note: text('note'),
		status: reportStatus('status').notNull().default('open'),
		clientHash: text('client_hash'),
		resolution: text('resolution'),
		resolvedBy: integer('resolved_by').references(() => users.id, { onDelete: 'set null' }),
		resolvedAt: timestamp('resolved_at', { withTimezone: true }),
		createdAt: createdAt()
	},
	(t) => [
		index('problem_reports_status_idx').on(t.status, t.createdAt),
		index('problem_reports_rating_idx').on(t.ratingId)
	]
);

// People and sessions ----------------------------------------------------------------------

export const userRole = pgEnum('user_role', ['admin', 'moderator', 'provider']);

export const users = pgTable(
	'users',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		email: text('email').notNull(),
		passwordHash: text('password_hash').notNull(),
		role: userRole('role').notNull(),
		/** For provider accounts that claim a listing. */
		providerId: integer('provider_id').references(() => providers.id, { onDelete: 'set null' }),
		disabledAt: timestamp('disabled_at', { withTimezone: true }),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('users_email_key').on(sql`lower(${t.email})`)]
);

export const sessions = pgTable(
	'sessions',
	{
		/** SHA-256 of the session token; the token itself lives only in the cookie. */
		id: text('id').primaryKey(),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		createdAt: createdAt()
	},
	(t) => [index('sessions_user_idx').on(t.userId)]
);

/** Append-only record of every moderator and admin action. */
export const auditLog = pgTable(
	'audit_log',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		actorId: integer('actor_id').references(() => users.id, { onDelete: 'set null' }),
		action: text('action').notNull(),
		entityType: text('entity_type').notNull(),
		entityId: text('entity_id').notNull(),
		before: jsonb('before'),
		after: jsonb('after'),
		reason: text('reason'),
		createdAt: createdAt()
	},
	(t) => [
		index('audit_log_entity_idx').on(t.entityType, t.entityId),
		index('audit_log_created_idx').on(t.createdAt)
	]
);
