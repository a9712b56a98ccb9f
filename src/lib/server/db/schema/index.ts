/** The database's tables (drizzle), one file per area; migrations are generated from them. */
export * from './feedback';
export * from './moderation';
export * from './people';
export * from './providers';
export * from './security';
