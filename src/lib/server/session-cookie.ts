import type { Cookies, RequestEvent } from '@sveltejs/kit';
import { userForToken, type SessionUser } from './auth';
import { config } from './config';
import * as secondFactor from './second-factor';

/**
 * The session cookie. Over HTTPS it is `__Host-kd_session`: the browser then insists on Secure,
 * Path=/ and no Domain, so no other site or subdomain can plant or read it. Plain HTTP (`npm start`
 * on localhost) cannot carry a `__Host-` cookie, so there it is `kd_session`.
 */
export const SESSION_COOKIE = 'kd_session';
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;

const isHttps = (url: URL) => url.protocol === 'https:';

export function sessionCookieName(url: URL): string {
	return isHttps(url) ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}

export function sessionCookieOptions(url: URL, expires?: Date) {
	return {
		path: '/',
		httpOnly: true,
		sameSite: 'lax' as const,
		secure: isHttps(url),
		...(expires ? { expires } : {})
	};
}

export function setSessionCookie(cookies: Cookies, url: URL, token: string, expires: Date): void {
	cookies.set(sessionCookieName(url), token, sessionCookieOptions(url, expires));
}

export function sessionToken(cookies: Cookies, url: URL): string | undefined {
	return cookies.get(sessionCookieName(url));
}

export function clearSessionCookie(cookies: Cookies, url: URL): void {
	cookies.delete(sessionCookieName(url), sessionCookieOptions(url));
}

/** The signed-in user of a request (hooks.server.ts); a stale cookie is removed. */
export async function resolveSession(event: RequestEvent): Promise<SessionUser | null> {
	const token = sessionToken(event.cookies, event.url);
	if (!token) return null;
	const user = await userForToken(event.locals.db, token);
	if (!user) clearSessionCookie(event.cookies, event.url);
	return user;
}

export const ENROLMENT_PAGE = '/admin/account/security';
const OPEN_WHILE_ENROLLING = new Set([ENROLMENT_PAGE, '/admin/sign-out', '/admin/sign-in']);

/**
 * REQUIRE_ADMIN_2FA=true: an admin without a second factor reaches only the enrolment page (and
 * sign-out) until they enrol; every other /admin request, actions included, is sent there.
 */
export async function secondFactorGate(
	event: Pick<RequestEvent, 'locals' | 'url'>,
	required = config().requireAdminSecondFactor
): Promise<Response | null> {
	const user = event.locals.user;
	const path = event.url.pathname;
	if (!user || user.role !== 'admin' || !required) return null;
	if (!path.startsWith('/admin') || OPEN_WHILE_ENROLLING.has(path)) return null;
	if (await secondFactor.isEnabled(event.locals.db, user.id)) return null;
	return new Response(null, { status: 303, headers: { location: ENROLMENT_PAGE } });
}

/** For pages that need to say why the admin was sent to enrol. */
export function mustEnrol(user: SessionUser): boolean {
	return user.role === 'admin' && config().requireAdminSecondFactor;
}
