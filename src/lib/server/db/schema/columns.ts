import { sql, type SQL } from 'drizzle-orm';
import { customType, timestamp, type AnyPgColumn } from 'drizzle-orm/pg-core';

/** Column helpers shared by the tables (src/lib/server/db/schema/). */

/** `column IN ('a','b',…)` from a list of codes defined once in src/lib/domain. */
export function oneOf(column: AnyPgColumn, codes: readonly string[]): SQL {
	return sql`${column} in (${sql.raw(codes.map((c) => `'${c}'`).join(', '))})`;
}

export function within(column: AnyPgColumn, min: number, max: number): SQL {
	return sql`${column} is null or ${column} between ${sql.raw(String(min))} and ${sql.raw(String(max))}`;
}

/** earthdistance's point type (a cube): 3-D coordinates on the earth's surface, in metres. */
export const cube = customType<{ data: string; driverData: string }>({ dataType: () => 'cube' });

export const createdAt = () =>
	timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () =>
	timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
