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
