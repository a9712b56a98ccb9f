import {
	index,
	integer,
	jsonb,
	pgEnum,
	pgTable,
	text,
	timestamp,
	uniqueIndex
} from 'drizzle-orm/pg-core';
import { createdAt } from './columns';
import { ratings } from './feedback';
import { providers } from './providers';
import { users } from './people';

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
