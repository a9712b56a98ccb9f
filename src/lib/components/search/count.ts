/** "12 providers", "1 provider", or "more than 50 providers" when the count stopped at 50. */
export const countOf = (n: number, capped: boolean, one: string, many: string) =>
	`${capped ? 'more than ' : ''}${n} ${n === 1 && !capped ? one : many}`;
