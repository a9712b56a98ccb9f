/** A moderator's editorial note as a profile shows it (written in the admin area). */
export interface EditorialNote {
	id: number;
	title: string;
	body: string;
	updatedAt: Date;
}
