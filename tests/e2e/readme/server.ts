/**
 * The server exactly as the README runs it: `npm start` in a clean environment (no ORIGIN, HOST,
 * PORT or DATABASE_URL), from a fresh folder so it has a new ./data of its own
 * (tests/e2e/readme-server.sh). The specs in this folder run against it.
 */
export const README_SERVER = 'http://localhost:3000';

/** Created before the start as the README says for an existing database: `npm run admin:create`. */
export const README_ADMIN = {
	email: 'readme-admin@example.org',
	password: 'readme admin password long enough'
};
