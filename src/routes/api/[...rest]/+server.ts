import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

const notFound: RequestHandler = ({ url }) =>
	apiError(
		404,
		'not_found',
		`There is no API endpoint at ${url.pathname}. See the API documentation (docs/api.md).`
	);

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
