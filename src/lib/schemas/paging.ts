import { z } from 'zod';

/** Pages of admin lists are 50 rows; an address past this page is a typo, not a request. */
export const PAGE_SIZE = 50;
export const MAX_PAGE = 100_000;

/** The `page` parameter of a paged GET form: a whole number from 1, 1 when blank. */
export const pageParam = z
	.string()
	.trim()
	.regex(/^\d+$/, 'The page must be a whole number.')
	.transform(Number)
	.pipe(
		z
			.number()
			.min(1, 'The page must be 1 or more.')
			.max(MAX_PAGE, `The page must be at most ${MAX_PAGE}.`)
	)
	.default(1);
