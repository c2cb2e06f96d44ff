/** Watched-fraction buckets of the statistics page; 95 % is where a lesson's video counts as complete. */
export const watchedBuckets = ['0-25', '25-50', '50-75', '75-95', '95-100'] as const;
