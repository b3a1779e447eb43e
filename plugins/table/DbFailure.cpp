#include "DbFailure.h"

#include <Poco/Data/DataException.h>
#include <Poco/Data/MySQL/MySQLException.h>
#include <Poco/Data/SQLite/SQLiteException.h>

#include <cstdlib>
#include <string_view>

namespace rport::plugins::table {

namespace {

// Server error numbers (mysqld_error.h) that matter here.
constexpr int kDuplicateKey = 1022;
constexpr int kDuplicateEntry = 1062;
constexpr int kDuplicateEntryWithKeyName = 1586;
constexpr int kDataTooLong = 1406;
constexpr int kTooManyConnections = 1040;
constexpr int kServerShutdown = 1053;
constexpr int kLockWaitTimeout = 1205;
constexpr int kDeadlock = 1213;
constexpr int kConnectionKilled = 1927;
// 2000-2999 are the client library's own errors: lost connection, cannot
// connect, server gone away, out of sync... all about the link, not the SQL.
constexpr int kFirstClientError = 2000;
constexpr int kLastClientError = 2999;

// Poco 1.11 puts the MySQL error number only into the message text, as
// "[mysql_stmt_errno]: 1062" or "[mysql_errno]: 2013" (the code() is 0).
int mysqlErrorNumber(const std::string& text) {
    for (std::string_view tag : {"[mysql_stmt_errno]: ", "[mysql_errno]: "}) {
        size_t at = text.find(tag);
        if (at != std::string::npos) return std::atoi(text.c_str() + at + tag.size());
    }
    return 0;
}

// The human part of a Poco MySQL message: "[mysql_stmt_error]: <this>\t...".
std::string mysqlReason(const std::string& text) {
    for (std::string_view tag : {"[mysql_stmt_error]: ", "[mysql_error]: "}) {
        size_t at = text.find(tag);
        if (at == std::string::npos) continue;
        size_t begin = at + tag.size();
        size_t end = text.find('\t', begin);
        std::string reason = text.substr(begin, end == std::string::npos ? end : end - begin);
        int number = mysqlErrorNumber(text);
        return number ? reason + " (" + std::to_string(number) + ")" : reason;
    }
    return text;
}

// Poco's SQLite exceptions often carry sqlite3_errmsg twice, as "m: m".
std::string sqliteReason(const std::string& text) {
    const size_t half = text.size() >= 2 ? (text.size() - 2) / 2 : 0;
    if (half > 0 && text.size() == 2 * half + 2 && text.compare(half, 2, ": ") == 0 &&
        text.compare(0, half, text, half + 2, half) == 0)
        return text.substr(0, half);
    return text;
}

bool isUniqueViolation(const std::string& sqliteMessage) {
    return sqliteMessage.find("UNIQUE constraint failed") != std::string::npos ||
           sqliteMessage.find("PRIMARY KEY constraint failed") != std::string::npos;
}

FailureKind mysqlKind(int number) {
    switch (number) {
        case kDuplicateKey:
        case kDuplicateEntry:
        case kDuplicateEntryWithKeyName:
            return FailureKind::Duplicate;
        case kDataTooLong:
            return FailureKind::TooLong;
        case kTooManyConnections:
        case kServerShutdown:
        case kLockWaitTimeout:
        case kDeadlock:
        case kConnectionKilled:
            return FailureKind::Unavailable;
        default:
            return number >= kFirstClientError && number <= kLastClientError
                       ? FailureKind::Unavailable
                       : FailureKind::Other;
    }
}

}  // namespace

DbFailure classify(const Poco::Exception& e) {
    namespace sqlite = Poco::Data::SQLite;
    // Failing to open a session is always "cannot reach the database".
    if (dynamic_cast<const Poco::Data::ConnectionFailedException*>(&e) ||
        dynamic_cast<const Poco::Data::NotConnectedException*>(&e) ||
        dynamic_cast<const Poco::Data::MySQL::ConnectionException*>(&e))
        return {FailureKind::Unavailable, mysqlReason(e.message())};
    if (dynamic_cast<const Poco::Data::MySQL::MySQLException*>(&e)) {
        int number = mysqlErrorNumber(e.message());
        return {mysqlKind(number), mysqlReason(e.message())};
    }
    // SQLITE_CONSTRAINT covers NOT NULL, CHECK and triggers too; only a
    // unique key means "taken". Poco passes no extended code, so the
    // message decides ("UNIQUE constraint failed: t.c").
    if (dynamic_cast<const sqlite::ConstraintViolationException*>(&e)) {
        std::string reason = sqliteReason(e.message());
        return {isUniqueViolation(reason) ? FailureKind::Duplicate : FailureKind::Other,
                std::move(reason)};
    }
    // Locked past the busy timeout, or the file cannot be reached: both may
    // pass without anyone touching the configuration.
    if (dynamic_cast<const sqlite::DBLockedException*>(&e) ||
        dynamic_cast<const sqlite::TableLockedException*>(&e) ||
        dynamic_cast<const sqlite::CantOpenDBFileException*>(&e) ||
        dynamic_cast<const sqlite::IOErrorException*>(&e) ||
        dynamic_cast<const sqlite::LockProtocolException*>(&e))
        return {FailureKind::Unavailable, sqliteReason(e.message())};
    return {FailureKind::Other, sqliteReason(e.message())};
}

}  // namespace rport::plugins::table
