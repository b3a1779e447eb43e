#include <cppunit/extensions/HelperMacros.h>
#include <sqlite3.h>

#include <fstream>
#include <set>

#include "TempDir.h"
#include "auth/ApiSessions.h"

using rportd::auth::ApiSessions;

namespace {

constexpr int64_t kSecond = 1000000000;
constexpr int64_t kNow = 1'800'000'000 * kSecond;

std::string query(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    std::string out;
    sqlite3_exec(
        db, sql.c_str(),
        [](void* target, int columns, char** values, char**) {
            auto* text = static_cast<std::string*>(target);
            for (int i = 0; i < columns; ++i)
                *text += std::string(values[i] ? values[i] : "NULL") + "|";
            *text += "\n";
            return 0;
        },
        &out, nullptr);
    sqlite3_close(db);
    return out;
}

}  // namespace

class ApiSessionsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ApiSessionsTest);
    CPPUNIT_TEST(aNewSessionIsOnDiskBeforeCreateReturns);
    CPPUNIT_TEST(useSlidesTheExpiryAndFlushWritesIt);
    CPPUNIT_TEST(anotherUsersTokenCannotUseTheSession);
    CPPUNIT_TEST(expiredSessionsAreRefusedAndPurged);
    CPPUNIT_TEST(removeIsDurable);
    CPPUNIT_TEST(sessionsSurviveARestart);
    CPPUNIT_TEST(idsAreNotReused);
    CPPUNIT_TEST(aDamagedFileStopsTheStartNamingIt);
    CPPUNIT_TEST(clientTextIsBounded);
    CPPUNIT_TEST_SUITE_END();

    rport::test::TempDir dir;
    std::string path() const { return dir.path() + "/api_sessions.db"; }

public:
    void aNewSessionIsOnDiskBeforeCreateReturns() {
        ApiSessions sessions(path(), kNow);
        int64_t id = sessions.create("admin", 600 * kSecond, "curl/8", "192.0.2.1", kNow);
        CPPUNIT_ASSERT(id > 0);
        std::string rows =
            query(path(), "SELECT session_id, username, user_agent, ip_address FROM api_sessions");
        CPPUNIT_ASSERT_EQUAL(std::to_string(id) + "|admin|curl/8|192.0.2.1|\n", rows);
        // golang-migrate's bookkeeping, so the original accepts the file.
        CPPUNIT_ASSERT_EQUAL(std::string("2|false|\n"),
                             query(path(), "SELECT version, dirty FROM schema_migrations"));
    }

    void useSlidesTheExpiryAndFlushWritesIt() {
        ApiSessions sessions(path(), kNow);
        int64_t id = sessions.create("admin", 60 * kSecond, "", "192.0.2.1", kNow);
        CPPUNIT_ASSERT(sessions.use(id, "admin", "ua", "192.0.2.9", kNow + 30 * kSecond) ==
                       ApiSessions::Use::Active);
        auto s = sessions.find(id);
        CPPUNIT_ASSERT_EQUAL(kNow + 30 * kSecond + ApiSessions::kSlidingNanos, s->expiresAt);
        CPPUNIT_ASSERT_EQUAL(std::string("192.0.2.9"), s->ipAddress);
        // Not on disk until flushed.
        CPPUNIT_ASSERT(query(path(), "SELECT ip_address FROM api_sessions").find("192.0.2.9") ==
                       std::string::npos);
        sessions.flush(kNow + 31 * kSecond);
        CPPUNIT_ASSERT_EQUAL(std::string("192.0.2.9|ua|\n"),
                             query(path(), "SELECT ip_address, user_agent FROM api_sessions"));
        // A long session is not shortened by a use.
        int64_t longOne = sessions.create("admin", 3600 * kSecond, "", "", kNow);
        sessions.use(longOne, "admin", "", "", kNow + kSecond);
        CPPUNIT_ASSERT_EQUAL(kNow + 3600 * kSecond, sessions.find(longOne)->expiresAt);
    }

    void anotherUsersTokenCannotUseTheSession() {
        ApiSessions sessions(path(), kNow);
        int64_t id = sessions.create("admin", 60 * kSecond, "", "", kNow);
        CPPUNIT_ASSERT(sessions.use(id, "mallory", "", "", kNow) == ApiSessions::Use::Unknown);
        CPPUNIT_ASSERT(sessions.use(id + 1, "admin", "", "", kNow) == ApiSessions::Use::Unknown);
    }

    void expiredSessionsAreRefusedAndPurged() {
        ApiSessions sessions(path(), kNow);
        int64_t id = sessions.create("admin", 60 * kSecond, "", "", kNow);
        CPPUNIT_ASSERT(sessions.use(id, "admin", "", "", kNow + 60 * kSecond) ==
                       ApiSessions::Use::Expired);
        sessions.flush(kNow + 61 * kSecond);
        CPPUNIT_ASSERT_EQUAL(size_t(0), sessions.size());
        CPPUNIT_ASSERT_EQUAL(std::string(), query(path(), "SELECT * FROM api_sessions"));
    }

    void removeIsDurable() {
        ApiSessions sessions(path(), kNow);
        int64_t id = sessions.create("admin", 60 * kSecond, "", "", kNow);
        CPPUNIT_ASSERT(sessions.remove(id));
        CPPUNIT_ASSERT(!sessions.remove(id));
        CPPUNIT_ASSERT(sessions.use(id, "admin", "", "", kNow) == ApiSessions::Use::Unknown);
        CPPUNIT_ASSERT_EQUAL(std::string(), query(path(), "SELECT * FROM api_sessions"));
    }

    void sessionsSurviveARestart() {
        int64_t keep = 0, drop = 0;
        {
            ApiSessions sessions(path(), kNow);
            keep = sessions.create("admin", 3600 * kSecond, "", "", kNow);
            drop = sessions.create("admin", 60 * kSecond, "", "", kNow);
        }
        ApiSessions again(path(), kNow + 120 * kSecond);
        CPPUNIT_ASSERT(again.use(keep, "admin", "", "", kNow + 120 * kSecond) ==
                       ApiSessions::Use::Active);
        CPPUNIT_ASSERT(again.use(drop, "admin", "", "", kNow + 120 * kSecond) ==
                       ApiSessions::Use::Unknown);
        // The expired one is gone from the file too.
        CPPUNIT_ASSERT_EQUAL(std::to_string(keep) + "|\n",
                             query(path(), "SELECT session_id FROM api_sessions"));
    }

    // An id is never handed out twice, so a logged-out token stays dead when
    // its user logs in again (with SQLite's rowids, deleting the newest
    // session would give its id to the next one).
    void idsAreNotReused() {
        ApiSessions sessions(path(), kNow);
        std::set<int64_t> seen;
        for (int i = 0; i < 200; ++i) {
            int64_t id = sessions.create("admin", 60 * kSecond, "", "", kNow);
            CPPUNIT_ASSERT(id > 0);
            CPPUNIT_ASSERT(seen.insert(id).second);
            CPPUNIT_ASSERT(sessions.remove(id));
        }
    }

    void aDamagedFileStopsTheStartNamingIt() {
        std::ofstream(path()) << "this is not a database, but it is someone's file";
        try {
            ApiSessions sessions(path(), kNow);
            CPPUNIT_FAIL("a file that is not a database was accepted");
        } catch (const rportd::util::SqliteFileError& e) {
            CPPUNIT_ASSERT_MESSAGE(e.what(),
                                   std::string(e.what()).find(path()) != std::string::npos);
        }
    }

    void clientTextIsBounded() {
        ApiSessions sessions(path(), kNow);
        int64_t id = sessions.create("admin", 60 * kSecond, std::string(100000, 'a'), "", kNow);
        CPPUNIT_ASSERT_EQUAL(ApiSessions::kMaxUserAgent, sessions.find(id)->userAgent.size());
        sessions.use(id, "admin", std::string(100000, 'b'), "", kNow);
        CPPUNIT_ASSERT_EQUAL(ApiSessions::kMaxUserAgent, sessions.find(id)->userAgent.size());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ApiSessionsTest);
