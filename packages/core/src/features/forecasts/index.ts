// The forecasts feature's door: the facade's `ts.forecast` and its definition (absences).
export { storeDeclaredAbsences } from './declared-absences.js';
export { forecastFeature } from './feature.js';
export {
  type BacktestQuery,
  createForecastApi,
  FORECAST_PERCENTILES,
  type Forecast,
  type ForecastApi,
  type ForecastBacktest,
  type ForecastPercentile,
  type ForecastQuery,
} from './forecast-api.js';
