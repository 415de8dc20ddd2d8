/** The shape every fuzz category returns, so bench/fuzz.ts can print one summary. */
export interface FuzzReport {
  category: string;
  cases: number;
  agree: number;
  /** Each disagreement as a reproducible description (input bytes in hex and both results). */
  disagreements: string[];
}

export interface FuzzOptions {
  cases: number;
  seed: number;
  log: (line: string) => void;
}

export type FuzzCategory = (opts: FuzzOptions) => Promise<FuzzReport>;
