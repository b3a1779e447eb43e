#pragma once
// One of the host's own SQLite files (clients.db, api_sessions.db): opened
// the way all of them must be, with every failure an exception that names
// the file.
//
// Opening checks the file before anything is trusted: the first read tells
// a file that is not a database, quick_check a damaged one. Either stops the
// caller: a fresh file over it would lose what it held without a word. The
// file is made readable by rportd's user only (the original does the same:
// these files hold client details and sessions), and every commit is
// durable (synchronous = FULL).
//
// Not thread-safe: each owner serialises its own use.
#include <sqlite3.h>

#include <stdexcept>
#include <string>

namespace rportd::util {

// Names the file in its message.
class SqliteFileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class SqliteFile {
public:
    // label names the file in messages ("clients database"); wal: [server] sqlite_wal.
    SqliteFile(std::string path, std::string label, bool wal);
    ~SqliteFile();
    SqliteFile(const SqliteFile&) = delete;
    SqliteFile& operator=(const SqliteFile&) = delete;

    sqlite3* handle() const { return _db; }
    const std::string& path() const { return _path; }

    bool hasTable(const char* name);
    void exec(const char* sql);
    // Runs every statement in one transaction, or none of them.
    template <size_t N>
    void execAll(const char* const (&statements)[N]) {
        exec("BEGIN IMMEDIATE");
        try {
            for (const char* statement : statements) exec(statement);
            exec("COMMIT");
        } catch (...) {
            rollback();
            throw;
        }
    }
    void rollback() noexcept;

    // A prepared statement, finalised with the file; throws naming `what`.
    sqlite3_stmt* prepare(const char* sql, const std::string& what);

    // Throws "<label> <path>: <what>: <sqlite's message>".
    [[noreturn]] void fail(const std::string& what) const;

private:
    std::string _path;
    std::string _label;
    sqlite3* _db = nullptr;
};

// A statement reset and unbound when the scope ends, ready for its next use.
class StatementUse {
public:
    explicit StatementUse(sqlite3_stmt* statement) : _statement(statement) {}
    ~StatementUse() {
        sqlite3_reset(_statement);
        sqlite3_clear_bindings(_statement);
    }
    StatementUse(const StatementUse&) = delete;
    StatementUse& operator=(const StatementUse&) = delete;

private:
    sqlite3_stmt* _statement;
};

}  // namespace rportd::util
