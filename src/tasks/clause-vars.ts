/**
 * A clause as FPE's 'clause' strategy and the collision measures see it: the indices of its
 * variables (network inputs). A task's Clause fits; so does any `{ vars }` a user builds.
 */
export interface ClauseVars {
  readonly vars: readonly number[];
}
