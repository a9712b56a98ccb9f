import { json, redirect } from '@sveltejs/kit';
import { linkBase } from './api';
import type { Database } from './db';
import { currentSlugFor } from './providers';

/** `/providers/<slug>…` or `/api/providers/<slug>…` with the slug replaced. */
function withSlug(url: URL, slug: string): string {
	const path = url.pathname.replace(/^(\/(?:api\/)?providers\/)[^/]+/, `$1${slug}`);
	return `${path}${url.search}`;
}

/**
 * For a provider page that found no published provider under `slug`: when the slug is one the
 * provider is known by — in capitals, or its address before a rename — sends the visitor to the
 * same page at the provider's address now (308, permanent). Returns when there is none.
 */
export async function redirectToCurrentSlug(db: Database, url: URL, slug: string): Promise<void> {
	const current = await currentSlugFor(db, slug);
	if (current !== null) redirect(308, withSlug(url, current));
}

/**
 * The JSON API's answer for a former or capitalised slug: a permanent redirect (clients that
 * follow redirects get the profile) whose body says where the provider is now. Null when the
 * slug leads nowhere.
 */
export async function apiMoved(db: Database, url: URL, slug: string): Promise<Response | null> {
	const current = await currentSlugFor(db, slug);
	if (current === null) return null;
	const location = withSlug(url, current);
	return json(
		{
			moved: {
				slug: current,
				url: `${linkBase()}${location}`,
				message: `This provider is now at “${current}”; “${slug}” is an old or differently written address.`
			}
		},
		{ status: 308, headers: { location } }
	);
}
