#include "util/SqliteFile.h"

#include <sys/stat.h>

#include <mutex>

namespace rportd::util {

namespace {

// SQLite gives every connection an up-front page cache of about 87 KB, which
// it fills in at once; rportd's databases are small and mostly idle, so pages
// are allocated as they are needed instead (half a megabyte less resident
// memory for the connections an idle rportd holds). Only possible before
// SQLite initialises; if something initialised it already, nothing changes.
void allocatePageCacheOnDemand() {
    static std::once_flag once;
    std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_PAGECACHE, nullptr, 0, 0); });
}

}  // namespace

SqliteFile::SqliteFile(std::string path, std::string label, bool wal)
    : _path(std::move(path)), _label(std::move(label)) {
    allocatePageCacheOnDemand();
    int rc =
        sqlite3_open_v2(_path.c_str(), &_db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        std::string why = _db ? sqlite3_errmsg(_db) : "out of memory";
        sqlite3_close_v2(_db);
        _db = nullptr;
        throw SqliteFileError(_label + " " + _path + ": cannot open: " + why);
    }
    try {
        // Another process (an original rportd pointed at the same data_dir
        // by mistake) may hold a lock for a moment.
        sqlite3_busy_timeout(_db, 5000);
        ::chmod(_path.c_str(), 0600);

        sqlite3_stmt* check = nullptr;
        if (sqlite3_prepare_v2(_db, "PRAGMA quick_check", -1, &check, nullptr) != SQLITE_OK)
            fail("cannot read");
        std::string problems;
        while ((rc = sqlite3_step(check)) == SQLITE_ROW) {
            const unsigned char* text = sqlite3_column_text(check, 0);
            std::string line(text ? reinterpret_cast<const char*>(text) : "");
            if (line != "ok") problems += (problems.empty() ? "" : "; ") + line;
        }
        sqlite3_finalize(check);
        if (rc != SQLITE_DONE) fail("cannot read");
        if (!problems.empty())
            throw SqliteFileError(_label + " " + _path + " is damaged: " + problems);

        if (wal) exec("PRAGMA journal_mode = WAL");
        exec("PRAGMA synchronous = FULL");
    } catch (...) {
        sqlite3_close_v2(_db);
        _db = nullptr;
        throw;
    }
}

SqliteFile::~SqliteFile() {
    // sqlite3_close_v2 finalises nothing itself; statements still open keep
    // the connection as a zombie until they go, so finalise them here.
    for (sqlite3_stmt* s = sqlite3_next_stmt(_db, nullptr); s; s = sqlite3_next_stmt(_db, nullptr))
        sqlite3_finalize(s);
    sqlite3_close_v2(_db);
}

bool SqliteFile::hasTable(const char* name) {
    sqlite3_stmt* probe =
        prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", "cannot read");
    sqlite3_bind_text(probe, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(probe);
    sqlite3_finalize(probe);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) fail("cannot read");
    return rc == SQLITE_ROW;
}

void SqliteFile::exec(const char* sql) {
    char* error = nullptr;
    if (sqlite3_exec(_db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
        std::string why = error ? error : sqlite3_errmsg(_db);
        sqlite3_free(error);
        throw SqliteFileError(_label + " " + _path + ": " + why);
    }
}

void SqliteFile::rollback() noexcept { sqlite3_exec(_db, "ROLLBACK", nullptr, nullptr, nullptr); }

sqlite3_stmt* SqliteFile::prepare(const char* sql, const std::string& what) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(_db, sql, -1, &statement, nullptr) != SQLITE_OK) fail(what);
    return statement;
}

void SqliteFile::fail(const std::string& what) const {
    std::string why = _db ? sqlite3_errmsg(_db) : "out of memory";
    throw SqliteFileError(_label + " " + _path + ": " + what + ": " + why);
}

}  // namespace rportd::util
