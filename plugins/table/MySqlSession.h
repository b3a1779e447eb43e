#pragma once
// Opens a MySQL/MariaDB session through Poco's connector, with the socket
// path and the timeouts that connector has no settings for.
#include <Poco/Data/Session.h>

#include "DatabaseSettings.h"

namespace rport::plugins::table {

// How long to wait for the server, in seconds: to connect (TCP plus the
// greeting) and for any later read or write. Short, because a hung
// database must turn into an error the host can report, not a hung login.
constexpr unsigned kMySqlConnectTimeoutS = 3;
constexpr unsigned kMySqlIoTimeoutS = 5;

// Call once at create, before the first connection: for "socket:" hosts it
// points the client library at the socket (see the .cpp for how and why).
// Throws sdk::Error(RPORT_E_INVALID) when that can no longer be done.
void prepareMySqlClient(const DatabaseSettings& settings);

// Throws Poco exceptions (see DbFailure) when the server cannot be reached,
// sdk::Error when it is reached through another socket than configured.
Poco::Data::Session openMySql(const DatabaseSettings& settings);

}  // namespace rport::plugins::table
