import { sql } from 'drizzle-orm';
import {
	check,
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
import { CONDITION_CODES, type ConditionCode } from '../../../domain/conditions';
import type { FeedbackTally } from '../../../domain/feedback-tally';
import { ROUTE_CODES, type RouteCode } from '../../../domain/routes';
import { createdAt, oneOf, updatedAt, within } from './columns';
import { providers } from './providers';
import { users } from './people';

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
		// The checks of a submission (the burst count, a repeat by address or device) read a range
		// of these, never the provider's whole list (docs/decisions/019-incremental-rating-aggregates.md).
		index('ratings_provider_created_idx').on(t.providerId, t.createdAt),
		index('ratings_client_idx').on(t.clientHash, t.createdAt),
		index('ratings_provider_client_idx').on(t.providerId, t.clientHash, t.createdAt),
		index('ratings_provider_device_idx').on(t.providerId, t.deviceHash, t.createdAt),
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
 * Aggregates of a provider's published ratings, changed in the same transaction as every change
 * to those ratings, so it never drifts from the rows it summarises.
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
	/**
	 * What `summary` is computed from: counts per answer (src/lib/domain/feedback-tally.ts), to
	 * which a rating's own are added or from which they are taken out. Null on rows from before
	 * tallies, which the start-up recompute rebuilds.
	 */
	tallies: jsonb('tallies').$type<FeedbackTally>(),
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
