export const service = 'payments-api';
