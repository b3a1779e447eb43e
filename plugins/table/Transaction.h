#pragma once
// Several statements that take effect together or not at all.
//
// Not Poco's Session::begin(): for MySQL it switches autocommit off and
// commit() never switches it back, so every later statement on that pooled
// connection would run inside a transaction nobody ends (and its reads
// would keep seeing an old snapshot). Here the transaction is opened and
// closed with plain SQL, leaving autocommit as it was.
#include "Connection.h"

namespace rport::plugins::table {

class Transaction {
public:
    // Opens the transaction; throws like any statement.
    explicit Transaction(Connection& connection);
    // Rolls back unless commit() succeeded. When even that fails, the
    // connection is marked broken so that the pool closes it.
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    void commit();

private:
    Connection& _connection;
    bool _open = true;
};

}  // namespace rport::plugins::table
