/** What the last form on the provider page answered: which form, and what went wrong in it. */
export interface Outcome {
	action?: string;
	done?: string;
	annotationId?: number | null;
	values?: Record<string, string | string[]>;
	errors?: Record<string, string>;
	stale?: { message: string; changes: { label: string; was: string; now: string }[] };
}

/** Errors and typed values belong to the form that was sent (and, for notes, to one note). */
export function answersOf(outcome: Outcome) {
	const failed = (action: string, noteId?: number) =>
		outcome.action === action &&
		outcome.errors !== undefined &&
		(noteId === undefined || outcome.annotationId === noteId);
	return {
		failed,
		errorsOf: (action: string, noteId?: number) =>
			failed(action, noteId) ? (outcome.errors ?? {}) : {},
		typed: (action: string, key: string, noteId?: number) => {
			const v = failed(action, noteId) ? outcome.values?.[key] : undefined;
			return typeof v === 'string' ? v : undefined;
		}
	};
}

export type Answers = ReturnType<typeof answersOf>;

export const when = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
