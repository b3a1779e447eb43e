#include "auth/ApiSessions.h"

#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

#include "util/TimeText.h"

namespace rportd::auth {

namespace {

// The original's two migrations, as its golang-migrate left them.
const char* const kSchema[] = {
    "CREATE TABLE api_sessions (\n"
    "    session_id INTEGER PRIMARY KEY NOT NULL,\n"
    "    expires_at DATETIME NOT NULL,\n"
    "    username TEXT NOT NULL,\n"
    "    last_access_at DATETIME NOT NULL,\n"
    "    user_agent TEXT,\n"
    "    ip_address TEXT\n"
    ")",
    "CREATE INDEX idx_expires_at_time\n\tON api_sessions (DATETIME(expires_at) DESC)",
    "CREATE INDEX idx_username\n  ON api_sessions (username)",
    "DROP TABLE IF EXISTS schema_migrations",
    "CREATE TABLE schema_migrations (version uint64,dirty bool)",
    "CREATE UNIQUE INDEX version_unique ON schema_migrations (version)",
    "INSERT INTO schema_migrations (version, dirty) VALUES (2, 'false')",
};

std::string columnText(sqlite3_stmt* statement, int column) {
    const unsigned char* text = sqlite3_column_text(statement, column);
    return text ? std::string(reinterpret_cast<const char*>(text),
                              static_cast<size_t>(sqlite3_column_bytes(statement, column)))
                : std::string();
}

void bindText(sqlite3_stmt* statement, int index, const std::string& text) {
    sqlite3_bind_text(statement, index, text.data(), static_cast<int>(text.size()),
                      SQLITE_TRANSIENT);
}

int64_t randomSessionId() {
    uint64_t n = 0;
    if (RAND_bytes(reinterpret_cast<unsigned char*>(&n), sizeof n) != 1)
        throw std::runtime_error("no random bytes for a session id");
    // Positive and never 0, which no token names.
    return static_cast<int64_t>(n >> 1 | 1);
}

std::string bounded(std::string_view text, size_t limit) {
    return std::string(text.substr(0, limit));
}

}  // namespace

ApiSessions::ApiSessions(std::string path, int64_t nowNanos)
    : _file(std::move(path), "API sessions database", false) {
    if (!_file.hasTable("api_sessions")) _file.execAll(kSchema);
    const char* what = "unexpected schema";
    _insert = _file.prepare(
        "INSERT INTO api_sessions (session_id, expires_at, username, last_access_at, user_agent, "
        "ip_address) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        what);
    _update = _file.prepare(
        "UPDATE api_sessions SET expires_at = ?, last_access_at = ?, user_agent = ?, ip_address = "
        "? "
        "WHERE session_id = ?",
        what);
    _delete = _file.prepare("DELETE FROM api_sessions WHERE session_id = ?", what);
    load(nowNanos);
}

ApiSessions::~ApiSessions() = default;

void ApiSessions::load(int64_t nowNanos) {
    sqlite3_stmt* select = _file.prepare(
        "SELECT session_id, expires_at, username, last_access_at, user_agent, ip_address FROM "
        "api_sessions",
        "cannot read the api_sessions table");
    std::vector<int64_t> expired;
    int rc;
    while ((rc = sqlite3_step(select)) == SQLITE_ROW) {
        Session s;
        s.id = sqlite3_column_int64(select, 0);
        // A time nobody can read counts as expired: the session goes, the
        // server starts.
        s.expiresAt = util::parseTimeText(columnText(select, 1)).value_or(0);
        s.username = columnText(select, 2);
        s.lastAccess = util::parseTimeText(columnText(select, 3)).value_or(0);
        s.userAgent = columnText(select, 4);
        s.ipAddress = columnText(select, 5);
        if (s.expiresAt <= nowNanos)
            expired.push_back(s.id);
        else
            _sessions.emplace(s.id, std::move(s));
    }
    sqlite3_finalize(select);
    if (rc != SQLITE_DONE) _file.fail("cannot read the api_sessions table");
    deleteRows(expired);
}

void ApiSessions::deleteRows(const std::vector<int64_t>& ids) {
    if (ids.empty()) return;
    _file.exec("BEGIN IMMEDIATE");
    try {
        for (int64_t id : ids) {
            util::StatementUse use(_delete);
            sqlite3_bind_int64(_delete, 1, id);
            if (sqlite3_step(_delete) != SQLITE_DONE) _file.fail("cannot delete a session");
        }
        _file.exec("COMMIT");
    } catch (...) {
        _file.rollback();
        throw;
    }
}

int64_t ApiSessions::create(const std::string& username, int64_t lifetimeNanos,
                            std::string_view userAgent, std::string_view ipAddress,
                            int64_t nowNanos) {
    Session s;
    s.username = username;
    s.expiresAt = nowNanos + lifetimeNanos;
    s.lastAccess = nowNanos;
    s.userAgent = bounded(userAgent, kMaxUserAgent);
    s.ipAddress = bounded(ipAddress, kMaxUserAgent);
    {
        std::lock_guard<std::mutex> fileLock(_fileMutex);
        // Random ids, not SQLite's next rowid: a rowid comes back after the
        // newest session is deleted, and a logged-out token naming it would
        // then be good again for the user's next session.
        for (int attempt = 0;; ++attempt) {
            s.id = randomSessionId();
            util::StatementUse use(_insert);
            sqlite3_bind_int64(_insert, 1, s.id);
            bindText(_insert, 2, util::sqliteTimeUtc(s.expiresAt));
            bindText(_insert, 3, s.username);
            bindText(_insert, 4, util::sqliteTimeUtc(s.lastAccess));
            bindText(_insert, 5, s.userAgent);
            bindText(_insert, 6, s.ipAddress);
            int rc = sqlite3_step(_insert);
            if (rc == SQLITE_DONE) break;
            if (rc != SQLITE_CONSTRAINT || attempt == 3) _file.fail("cannot store a new session");
        }
    }
    int64_t id = s.id;
    std::lock_guard<std::mutex> lock(_mutex);
    _sessions[id] = std::move(s);
    return id;
}

ApiSessions::Use ApiSessions::use(int64_t id, std::string_view username, std::string_view userAgent,
                                  std::string_view ipAddress, int64_t nowNanos) {
    std::lock_guard<std::mutex> lock(_mutex);
    auto it = _sessions.find(id);
    if (it == _sessions.end() || it->second.username != username) return Use::Unknown;
    Session& s = it->second;
    if (s.expiresAt <= nowNanos) return Use::Expired;
    if (s.expiresAt < nowNanos + kSlidingNanos) s.expiresAt = nowNanos + kSlidingNanos;
    s.lastAccess = nowNanos;
    if (userAgent.size() > kMaxUserAgent) userAgent = userAgent.substr(0, kMaxUserAgent);
    if (ipAddress.size() > kMaxUserAgent) ipAddress = ipAddress.substr(0, kMaxUserAgent);
    if (s.userAgent != userAgent) s.userAgent.assign(userAgent);
    if (s.ipAddress != ipAddress) s.ipAddress.assign(ipAddress);
    _touched.insert(id);
    return Use::Active;
}

bool ApiSessions::remove(int64_t id) {
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (_sessions.erase(id) == 0) return false;
        _touched.erase(id);
    }
    std::lock_guard<std::mutex> fileLock(_fileMutex);
    util::StatementUse use(_delete);
    sqlite3_bind_int64(_delete, 1, id);
    if (sqlite3_step(_delete) != SQLITE_DONE) _file.fail("cannot delete a session");
    return true;
}

void ApiSessions::flush(int64_t nowNanos) {
    std::vector<Session> changed;
    std::vector<int64_t> expired;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        for (auto it = _sessions.begin(); it != _sessions.end();) {
            if (it->second.expiresAt <= nowNanos) {
                expired.push_back(it->first);
                _touched.erase(it->first);
                it = _sessions.erase(it);
            } else {
                ++it;
            }
        }
        for (int64_t id : _touched) changed.push_back(_sessions.at(id));
        _touched.clear();
    }
    std::lock_guard<std::mutex> fileLock(_fileMutex);
    if (!changed.empty()) {
        _file.exec("BEGIN IMMEDIATE");
        try {
            for (const Session& s : changed) {
                util::StatementUse use(_update);
                bindText(_update, 1, util::sqliteTimeUtc(s.expiresAt));
                bindText(_update, 2, util::sqliteTimeUtc(s.lastAccess));
                bindText(_update, 3, s.userAgent);
                bindText(_update, 4, s.ipAddress);
                sqlite3_bind_int64(_update, 5, s.id);
                if (sqlite3_step(_update) != SQLITE_DONE)
                    _file.fail("cannot record a session's use");
            }
            _file.exec("COMMIT");
        } catch (...) {
            _file.rollback();
            // Not lost: the next flush writes them again.
            std::lock_guard<std::mutex> lock(_mutex);
            for (const Session& s : changed)
                if (_sessions.count(s.id)) _touched.insert(s.id);
            throw;
        }
    }
    deleteRows(expired);
}

std::optional<ApiSessions::Session> ApiSessions::find(int64_t id) const {
    std::lock_guard<std::mutex> lock(_mutex);
    auto it = _sessions.find(id);
    if (it == _sessions.end()) return std::nullopt;
    return it->second;
}

size_t ApiSessions::size() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _sessions.size();
}

}  // namespace rportd::auth
