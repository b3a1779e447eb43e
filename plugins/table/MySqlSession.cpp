#include "MySqlSession.h"

#include "PinInMemory.h"

#include <Poco/Data/MySQL/Connector.h>
#include <mysql.h>
// libmariadb's plugin header: the only way to give an open connection a read
// timeout (see applyIoTimeouts).
#include <ma_pvio.h>

#include <cstdlib>
#include <mutex>

namespace rport::plugins::table {

namespace {

std::once_flag clientInitialised;

std::string connectionString(const DatabaseSettings& s) {
    std::string c = "user=" + s.user + ";password=" + s.password + ";character-set=utf8mb4";
    if (!s.name.empty()) c += ";db=" + s.name;
    if (!s.address.socketPath.empty()) {
        // libmariadb uses a unix socket for "localhost"; which one comes from
        // MYSQL_UNIX_PORT (set in prepareMySqlClient).
        c += ";host=localhost";
    } else {
        // db_host "localhost:3306" meant TCP to the original rportd; to
        // libmariadb "localhost" means its unix socket, whatever the port.
        std::string host = s.address.host == "localhost" ? "127.0.0.1" : s.address.host;
        if (!host.empty()) c += ";host=" + host;
        if (s.address.port) c += ";port=" + std::to_string(s.address.port);
    }
    return c;
}

// Poco opens the connection inside the Session constructor and offers no
// read timeout, so a server that stops answering (stopped, partitioned)
// would block a query forever. libmariadb applies MYSQL_OPT_READ_TIMEOUT
// only while connecting; afterwards the timeout lives in the connection's
// I/O object, which ma_pvio.h (installed for client plugins) describes and
// whose set_timeout method is what libmariadb itself calls.
void applyIoTimeouts(MYSQL* mysql) {
    if (!mysql || !mysql->net.pvio || !mysql->net.pvio->methods ||
        !mysql->net.pvio->methods->set_timeout)
        return;
    MARIADB_PVIO* pvio = mysql->net.pvio;
    pvio->methods->set_timeout(pvio, PVIO_READ_TIMEOUT, static_cast<int>(kMySqlIoTimeoutS));
    pvio->methods->set_timeout(pvio, PVIO_WRITE_TIMEOUT, static_cast<int>(kMySqlIoTimeoutS));
}

MYSQL* nativeHandle(Poco::Data::Session& session) {
    try {
        return Poco::AnyCast<MYSQL*>(session.getProperty("handle"));
    } catch (const Poco::Exception&) {
        return nullptr;
    }
}

// The socket libmariadb actually used; empty for TCP.
std::string connectedSocket(MYSQL* mysql) {
    const char* path = nullptr;
    if (!mysql || mariadb_get_infov(mysql, MARIADB_CONNECTION_UNIX_SOCKET, &path) != 0 || !path)
        return {};
    return path;
}

}  // namespace

void prepareMySqlClient(const DatabaseSettings& settings) {
    // Poco 1.11's connection string has no socket key (host, port, user,
    // password, db, compress, auto-reconnect, secure-auth, character-set,
    // reset, fail-readonly) and connects before we could set
    // MYSQL_OPT_UNIX_SOCKET. libmariadb reads the socket path from the
    // environment variable MYSQL_UNIX_PORT exactly once, when the library
    // initialises, which registerConnector() triggers. So the path is set
    // once per process, before that. Risk: setenv is not thread-safe against
    // getenv in other threads; rportd creates backends at start-up (and on
    // reload, when the variable already holds the value). A second socket
    // path in the same process cannot work; openMySql detects that.
    std::call_once(clientInitialised, [&] {
        const std::string& path = settings.address.socketPath;
        if (!path.empty()) ::setenv("MYSQL_UNIX_PORT", path.c_str(), 1);
        pinInMemory();
        Poco::Data::MySQL::Connector::registerConnector();
    });
}

Poco::Data::Session openMySql(const DatabaseSettings& settings) {
    Poco::Data::Session session(Poco::Data::MySQL::Connector::KEY, connectionString(settings),
                                kMySqlConnectTimeoutS);
    MYSQL* mysql = nativeHandle(session);
    applyIoTimeouts(mysql);
    const std::string& wanted = settings.address.socketPath;
    if (!wanted.empty()) {
        std::string used = connectedSocket(mysql);
        if (used != wanted)
            throw sdk::Error(
                RPORT_E_INVALID,
                "setting 'db_host' ([database] db_host) asks for socket " + wanted +
                    " but the MySQL client library in this process was set up for " +
                    (used.empty() ? "another address" : used) +
                    " (only one socket path per rportd process is possible; use host:port)");
    }
    return session;
}

}  // namespace rport::plugins::table
