import { and, desc, eq } from 'drizzle-orm';
import type { Database } from './db';
import { annotations } from './db/schema';

export interface EditorialNote {
	id: number;
	title: string;
	body: string;
	updatedAt: Date;
}

/** Moderators' active editorial notes on a provider, newest first (written in the admin area). */
export async function activeFor(db: Database, providerId: number): Promise<EditorialNote[]> {
	return db
		.select({
			id: annotations.id,
			title: annotations.title,
			body: annotations.body,
			updatedAt: annotations.updatedAt
		})
		.from(annotations)
		.where(and(eq(annotations.providerId, providerId), eq(annotations.status, 'active')))
		.orderBy(desc(annotations.updatedAt));
}
