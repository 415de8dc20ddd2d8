/** The entries a record holds (record.ts): golf's best file and the references it is compared with. */
export const ENTRY_KINDS = ['record', 'baseline', 'seed-article'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];
