import { expect, it } from 'vitest';
import { NEAR_COUNT_CAP, searchNear } from '$lib/server/providers';
import { describeEachDatabase } from '../helpers/databases';
import { insertProviders } from '../helpers/fixtures';

const AUSTIN = { lat: 30.2672, lng: -97.7431 };

describeEachDatabase('near search count cap', (ctx) => {
	const filters = (page: number) => ({ page, pageSize: 20 });

	it('counts exactly up to the cap, then says there are more and pages through the nearest', async () => {
		// NEAR_COUNT_CAP + 5 clinics, one every ~0.07 mile going north from downtown Austin.
		await insertProviders(
			ctx.db,
			Array.from({ length: NEAR_COUNT_CAP + 5 }, (_, i) => ({
				name: `Cap Clinic ${String(i).padStart(3, '0')}`,
				kinds: ['clinic' as const],
				state: 'TX' as const,
				lat: AUSTIN.lat + i * 0.001,
				lng: AUSTIN.lng,
				routes: ['iv' as const]
			}))
		);

		const small = await searchNear(ctx.db, filters(1), { ...AUSTIN, radiusMiles: 10 });
		// 10 miles ≈ 0.1447° of latitude: rows 0…144 are inside.
		expect(small.total).toBe(145);
		expect(small.totalCapped).toBe(false);

		const wide = await searchNear(ctx.db, filters(1), { ...AUSTIN, radiusMiles: 50 });
		expect(wide.total).toBe(NEAR_COUNT_CAP);
		expect(wide.totalCapped).toBe(true);
		expect(wide.results[0]?.name).toBe('Cap Clinic 000');

		const lastPage = NEAR_COUNT_CAP / 20;
		const last = await searchNear(ctx.db, filters(lastPage), { ...AUSTIN, radiusMiles: 50 });
		expect(last.results.map((r) => r.name)).toEqual(
			Array.from(
				{ length: 20 },
				(_, i) => `Cap Clinic ${String(NEAR_COUNT_CAP - 20 + i).padStart(3, '0')}`
			)
		);
		const beyond = await searchNear(ctx.db, filters(lastPage + 1), { ...AUSTIN, radiusMiles: 50 });
		expect(beyond.results).toEqual([]);
		expect(beyond.total).toBe(NEAR_COUNT_CAP);
	});
});
