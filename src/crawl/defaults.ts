/** Where the crawler keeps its database unless told otherwise (the CLI's default too). */
export const DEFAULT_DB = 'out/disclosures.sqlite';
