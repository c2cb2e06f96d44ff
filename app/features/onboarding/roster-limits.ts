/**
 * Roster files come from outside (a school office's spreadsheet): every limit here is checked
 * before the file is trusted with more memory or time. A 5,000-pupil roster is ~300 KB as CSV.
 */
export const ROSTER_LIMITS = { maxBytes: 1024 * 1024, maxRows: 5000, maxColumns: 20, maxCellChars: 200, maxUnzippedBytes: 32 * 1024 * 1024 } as const;
