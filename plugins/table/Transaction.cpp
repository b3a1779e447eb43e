#include "Transaction.h"

namespace rport::plugins::table {

Transaction::Transaction(Connection& connection) : _connection(connection) {
    // SQLite: IMMEDIATE takes the write lock now, waiting up to the busy
    // timeout, instead of failing halfway when a reader holds the file.
    _connection.execute(_connection.type() == DbType::Sqlite ? "BEGIN IMMEDIATE"
                                                             : "START TRANSACTION");
}

Transaction::~Transaction() {
    if (!_open) return;
    try {
        _connection.execute("ROLLBACK");
    } catch (...) {
        _connection.markBroken();
    }
}

void Transaction::commit() {
    _open = false;  // a failed COMMIT is not followed by a ROLLBACK of our own
    try {
        _connection.execute("COMMIT");
    } catch (...) {
        // The outcome is unknown to us; the session must not be reused.
        _connection.markBroken();
        throw;
    }
}

}  // namespace rport::plugins::table
