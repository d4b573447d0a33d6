// The signals feature's public face: exactly the names @teamstate/core exports from it.
export type {
  RefreshOptions,
  RefreshResult,
  SignalAck,
  SignalQuery,
  SignalSnooze,
  Signals,
  SignalUnack,
  StoredSignal,
  WellbeingCount,
} from './signals-api.js';
