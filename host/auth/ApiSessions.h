#pragma once
// The server side of bearer tokens: api_sessions.db in data_dir, in the
// original's schema (db/migration/api_sessions, version 2 in golang-migrate's
// schema_migrations), so that a data_dir moves between the original and
// rportd in either direction:
//
//   api_sessions(session_id INTEGER PK, expires_at DATETIME, username TEXT,
//                last_access_at DATETIME, user_agent TEXT, ip_address TEXT)
//
// A token names its session; a token is only good while its session exists
// and has not expired, so logging out (deleting the session) revokes it.
//
// Every session is also held in memory: checking a token is a map lookup, so
// it can run on an event loop. Logins and logouts are committed before they
// return. The sliding expiry and the last access of each use are kept in
// memory and written by flush(), which the server calls every few seconds:
// a crash loses at most that much of them, never a session or a logout.
//
// Thread-safe.
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "util/SqliteFile.h"

namespace rportd::auth {

class ApiSessions {
public:
    struct Session {
        int64_t id = 0;
        std::string username;
        int64_t expiresAt = 0;   // unix nanoseconds
        int64_t lastAccess = 0;  // unix nanoseconds
        std::string userAgent;
        std::string ipAddress;
    };

    // On every use a session is kept alive at least this long (the original's rule).
    static constexpr int64_t kSlidingNanos = 10LL * 60 * 1000000000;
    // Longest user agent kept per session: it is client-supplied.
    static constexpr size_t kMaxUserAgent = 512;

    // Opens the file, creating it and the schema when missing, loads the
    // sessions that have not expired and deletes the others. Throws
    // util::SqliteFileError naming the file.
    ApiSessions(std::string path, int64_t nowNanos);
    ~ApiSessions();
    ApiSessions(const ApiSessions&) = delete;
    ApiSessions& operator=(const ApiSessions&) = delete;

    const std::string& path() const { return _file.path(); }

    // A new session, committed; returns its id.
    int64_t create(const std::string& username, int64_t lifetimeNanos, std::string_view userAgent,
                   std::string_view ipAddress, int64_t nowNanos);

    enum class Use { Active, Unknown, Expired };
    // Checks that the session exists, belongs to username and has not
    // expired; when it is active, records this use (sliding expiry, last
    // access, user agent and address). Memory only.
    Use use(int64_t id, std::string_view username, std::string_view userAgent,
            std::string_view ipAddress, int64_t nowNanos);

    // Deletes the session, committed. False when there was none.
    bool remove(int64_t id);

    // Writes the recorded uses and deletes expired sessions.
    void flush(int64_t nowNanos);

    std::optional<Session> find(int64_t id) const;
    size_t size() const;

private:
    void load(int64_t nowNanos);
    void deleteRows(const std::vector<int64_t>& ids);  // under _fileMutex

    // Two locks, so that a commit (an fsync) never holds up a token check
    // on an event loop: _fileMutex guards the file, _mutex the memory.
    std::mutex _fileMutex;
    util::SqliteFile _file;
    sqlite3_stmt* _insert = nullptr;
    sqlite3_stmt* _update = nullptr;
    sqlite3_stmt* _delete = nullptr;
    mutable std::mutex _mutex;
    std::unordered_map<int64_t, Session> _sessions;
    std::unordered_set<int64_t> _touched;  // uses not yet written
};

}  // namespace rportd::auth
