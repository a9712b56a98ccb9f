import { and, desc, eq, ne, or, sql } from 'drizzle-orm';
import { slugify } from '../../domain/slug';
import type { Database } from '../db';
import { providers, providerSlugHistory } from '../db/schema';

/**
 * A provider's address: its slug, the slugs it had before (they redirect to it, and no other
 * provider may take them), and fresh slugs for new providers.
 */

/** Who holds a slug: a provider using it now, or one that used it before (it redirects there). */
export type SlugHolder =
	| { former: false; providerId: number; name: string }
	| { former: true; providerId: number; name: string; currentSlug: string };

export async function slugHolder(
	db: Database,
	slug: string,
	exceptId?: number
): Promise<SlugHolder | null> {
	const [current] = await db
		.select({ providerId: providers.id, name: providers.name })
		.from(providers)
		.where(
			and(eq(providers.slug, slug), exceptId === undefined ? undefined : ne(providers.id, exceptId))
		);
	if (current) return { former: false, ...current };
	const [former] = await db
		.select({
			providerId: providers.id,
			name: providers.name,
			currentSlug: providers.slug
		})
		.from(providerSlugHistory)
		.innerJoin(providers, eq(providers.id, providerSlugHistory.providerId))
		.where(
			and(
				eq(providerSlugHistory.slug, slug),
				exceptId === undefined ? undefined : ne(providerSlugHistory.providerId, exceptId)
			)
		);
	return former ? { former: true, ...former } : null;
}

/** The field message for a slug another provider holds. */
export function slugInUse(slug: string, holder: SlugHolder): string {
	return holder.former
		? `“${slug}” was the address of ${holder.name} (now “${holder.currentSlug}”), and old links still lead there; choose another slug.`
		: `Another provider already uses the slug “${slug}” (${holder.name}).`;
}

export async function slugTaken(db: Database, slug: string, exceptId?: number): Promise<boolean> {
	return (await slugHolder(db, slug, exceptId)) !== null;
}

/** A slug no other provider uses or used: `base`, else `base-2`, `base-3`, … */
export async function uniqueSlug(db: Database, base: string, exceptId?: number): Promise<string> {
	const stem = slugify(base) || 'provider';
	const like = stem + '%';
	const [inUse, former] = await Promise.all([
		db
			.select({ slug: providers.slug })
			.from(providers)
			.where(
				and(
					sql`${providers.slug} like ${like}`,
					exceptId === undefined ? undefined : ne(providers.id, exceptId)
				)
			),
		db
			.select({ slug: providerSlugHistory.slug })
			.from(providerSlugHistory)
			.where(
				and(
					sql`${providerSlugHistory.slug} like ${like}`,
					exceptId === undefined ? undefined : ne(providerSlugHistory.providerId, exceptId)
				)
			)
	]);
	const taken = new Set([...inUse, ...former].map((r) => r.slug));
	let slug = stem;
	for (let n = 2; taken.has(slug); n++) slug = `${stem}-${n}`;
	return slug;
}

/**
 * Where a provider page asked for by `slug` lives now, when that is another address: the same
 * slug in lower case, or the current slug of the provider that used to have it. Only published
 * providers; null when there is nowhere to send the visitor.
 */
export async function currentSlugFor(db: Database, slug: string): Promise<string | null> {
	const wanted = slug.toLowerCase();
	const [row] = await db
		.select({ slug: providers.slug })
		.from(providers)
		.leftJoin(providerSlugHistory, eq(providerSlugHistory.providerId, providers.id))
		.where(
			and(
				eq(providers.status, 'published'),
				or(eq(providers.slug, wanted), eq(providerSlugHistory.slug, wanted))
			)
		)
		.orderBy(desc(sql`${providers.slug} = ${wanted}`))
		.limit(1);
	return row && row.slug !== slug ? row.slug : null;
}

/** After a rename: the old slug redirects to the provider; the new one is no longer "former". */
export async function recordSlugChange(tx: Database, providerId: number, from: string, to: string) {
	await tx
		.delete(providerSlugHistory)
		.where(and(eq(providerSlugHistory.slug, to), eq(providerSlugHistory.providerId, providerId)));
	const now = new Date();
	await tx
		.insert(providerSlugHistory)
		.values({ slug: from, providerId, retiredAt: now })
		.onConflictDoUpdate({
			target: providerSlugHistory.slug,
			set: { providerId, retiredAt: now }
		});
}
