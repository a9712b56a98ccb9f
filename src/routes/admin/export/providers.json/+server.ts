import { json } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth';
import { exportFilename, exportPublishedJson } from '$lib/server/csv';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	requireRole(event, ['admin']);
	return json(await exportPublishedJson(event.locals.db), {
		headers: {
			'content-disposition': `attachment; filename="${exportFilename('json')}"`,
			'cache-control': 'no-store'
		}
	});
};
