import type { RouteCode } from './routes';

/** A published rating's comment, as a profile lists it. */
export interface PublishedComment {
	id: number;
	overall: number;
	comment: string;
	route: RouteCode | null;
	monthsInTreatment: number | null;
	publishedAt: Date;
}

/** A rating in a moderator's queue. */
export interface HeldRating {
	id: number;
	providerSlug: string;
	providerName: string;
	overall: number;
	support: number | null;
	comment: string | null;
	reason: string | null;
	createdAt: Date;
}
