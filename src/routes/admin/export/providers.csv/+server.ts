import { requireRole } from '$lib/server/auth';
import { exportFilename, exportPublishedCsv } from '$lib/server/csv';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	requireRole(event, ['admin']);
	return new Response(await exportPublishedCsv(event.locals.db), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${exportFilename('csv')}"`,
			'cache-control': 'no-store'
		}
	});
};
