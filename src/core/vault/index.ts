export type {
  Account,
  AccountSummary,
  Code,
  CodeActor,
  CodeEvent,
  CodeState,
  NewCode,
  ReservationHolder,
} from './model';
export {
  codeKey,
  codesLeft,
  confirmCode,
  createCode,
  markUnusedByHand,
  markUsedByHand,
  nextUnusedCode,
  releaseCode,
  reserveCode,
  summarize,
  withCode,
} from './transitions';
