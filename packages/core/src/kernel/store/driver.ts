// The libSQL driver's types, for code above the kernel: only kernel/ imports `@libsql/client` itself, so the
// driver can change in one place.
export type { Client, InArgs, InStatement, InValue, ResultSet, Row, Transaction } from '@libsql/client';
