import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url }) => {
	const ref = url.searchParams.get('ref');
	return {
		kind: url.searchParams.get('kind') === 'update' ? ('update' as const) : ('new' as const),
		ref: ref && /^\d{1,10}$/.test(ref) ? ref : null
	};
};
