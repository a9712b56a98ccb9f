import { randomBytes } from 'node:crypto';
import { redirect, type Cookies } from '@sveltejs/kit';

/**
 * The rating page's device cookie: a random token that tells apart two people rating from one
 * internet connection (a household, a clinic's Wi-Fi, a mobile carrier), so that "one rating per
 * provider per 30 days" can hold per device rather than per address. It names no one, is not
 * used for anything else, and is stored only as a keyed hash (./client-hash.ts).
 */
export const DEVICE_COOKIE = 'kd_device';
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const YEAR_SECONDS = 365 * 86_400;

/** Set on the first visit's redirect; still there without the cookie: the browser refuses cookies. */
export const COOKIE_CHECK_PARAM = 'cookie-check';

/** This device's token, or null when there is none (or a malformed one). */
export function deviceToken(cookies: Cookies): string | null {
	const value = cookies.get(DEVICE_COOKIE);
	return value && TOKEN.test(value) ? value : null;
}

function issue(cookies: Cookies, url: URL): string {
	const token = randomBytes(32).toString('base64url');
	cookies.set(DEVICE_COOKIE, token, {
		path: '/providers',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:',
		maxAge: YEAR_SECONDS
	});
	return token;
}

/**
 * The device token for the rating page. A first visit gets a new cookie and one redirect back
 * (marked with COOKIE_CHECK_PARAM): if the cookie does not come back with it, the browser keeps no
 * cookies and null is returned, so the page can judge by address at once, before the form is
 * filled. Only page loads redirect: after a form POST the page renders what the action returned,
 * and a client-side navigation (a data request) gets its new token without a round trip —
 * SvelteKit may answer that navigation's redirects from its preload cache, which would loop.
 */
export function deviceForRatePage(
	cookies: Cookies,
	url: URL,
	method: string,
	isDataRequest: boolean
): string | null {
	const token = deviceToken(cookies);
	const checked = url.searchParams.has(COOKIE_CHECK_PARAM);
	if (method !== 'GET' || (!token && checked)) return token;
	if (isDataRequest) return token ?? issue(cookies, url);
	if (token && !checked) return token;
	const next = new URL(url);
	if (token) {
		next.searchParams.delete(COOKIE_CHECK_PARAM);
	} else {
		issue(cookies, url);
		next.searchParams.set(COOKIE_CHECK_PARAM, '1');
	}
	redirect(303, `${next.pathname}${next.search}`);
}
