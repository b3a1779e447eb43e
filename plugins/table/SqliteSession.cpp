#include "SqliteSession.h"

#include "PinInMemory.h"

#include <Poco/Data/SQLite/Connector.h>

#include <mutex>

namespace rport::plugins::table {

namespace {

// A writer holds the file lock for a moment; readers wait this long for it
// instead of failing at once, but not long enough to stall a login.
constexpr int kBusyTimeoutMs = 3000;
// Page cache per connection, in KiB (negative = KiB for PRAGMA cache_size):
// 100,000 credentials take about 5 MB, so lookups stay in memory.
constexpr int kCacheKiB = 8192;

void registerConnectorOnce() {
    static std::once_flag once;
    std::call_once(once, [] {
        pinInMemory();
        Poco::Data::SQLite::Connector::registerConnector();
    });
}

}  // namespace

Poco::Data::Session openSqlite(const std::string& path) {
    using namespace Poco::Data::Keywords;
    registerConnectorOnce();
    // Poco retries a failed open for the whole "login timeout" (60 s by
    // default); a file that cannot be opened now will not open in a moment.
    constexpr std::size_t kNoRetry = 0;
    Poco::Data::Session session(Poco::Data::SQLite::Connector::KEY, path, kNoRetry);
    session << "PRAGMA busy_timeout = " + std::to_string(kBusyTimeoutMs), now;
    session << "PRAGMA cache_size = -" + std::to_string(kCacheKiB), now;
    // WAL lets readers carry on while the API writes. It is a property of
    // the file, so it may fail (read-only directory) without harm.
    try {
        std::string mode;
        session << "PRAGMA journal_mode = WAL", into(mode), now;
    } catch (const Poco::Exception&) {
    }
    return session;
}

}  // namespace rport::plugins::table
