/** What a command needs from the outside world; tests and the bin provide it. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
  /** Whether stderr is a terminal, where a person reads it rather than a log collector (unset: it is not). */
  stderrIsTTY?: boolean;
  cwd: string;
}
