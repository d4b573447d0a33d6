// The forecasts feature's public face: exactly the names @teamstate/core exports from it.
export type { BacktestQuery, Forecast, ForecastApi, ForecastBacktest, ForecastPercentile, ForecastQuery } from './forecast-api.js';
