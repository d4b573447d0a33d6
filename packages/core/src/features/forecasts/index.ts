// The forecasts feature's public face: exactly the names @teamstate/core exports from it.

export * from './absence-model.js';
export type { BacktestQuery, Forecast, ForecastApi, ForecastBacktest, ForecastPercentile, ForecastQuery } from './forecast-api.js';
