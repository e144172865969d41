/** A member's participation in an activity, with the numbers of women and men it sent. */
export interface ParticipationsTable {
  activityId: string;
  memberId: string;
  /** Place in the participant list as given. */
  position: number;
  women: number;
  men: number;
}
